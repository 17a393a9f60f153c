import type { DocumentBlock } from './parse.types.js';

const UTF8_BOM = [0xef, 0xbb, 0xbf];
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes uploaded text: UTF-8 (BOM optional), UTF-16 with a BOM (Notepad's "Unicode"), and
 * windows-1251 when the bytes are not valid UTF-8 — still how many Russian Windows tools save text.
 */
export function decodeText(buffer: Uint8Array): string {
  if (startsWith(buffer, UTF8_BOM)) return new TextDecoder('utf-8').decode(buffer.subarray(3));
  if (startsWith(buffer, [0xff, 0xfe])) return new TextDecoder('utf-16le').decode(buffer.subarray(2));
  if (startsWith(buffer, [0xfe, 0xff])) return new TextDecoder('utf-16be').decode(buffer.subarray(2));
  try {
    return strictUtf8.decode(buffer);
  } catch {
    return new TextDecoder('windows-1251').decode(buffer);
  }
}

/** Text files do not contain NUL bytes; binaries renamed to .txt/.csv do. */
export const looksBinary = (text: string): boolean => text.slice(0, 8192).includes('\u0000');

const startsWith = (buffer: Uint8Array, bytes: number[]) => bytes.every((b, i) => buffer[i] === b);

// Invisible characters that only get in the way of search and display; soft hyphens split words.
const INVISIBLE = /[\u00ad\u200b-\u200d\u2060\ufeff]/g;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

/** One line of readable text: no control characters, whitespace collapsed. */
export const cleanLine = (line: string): string => line.replace(INVISIBLE, '').replace(CONTROL, ' ').replace(/\s+/g, ' ').trim();

/** A block keeps its line structure (list items, table rows) but every line is cleaned; blank lines go. */
export const cleanBlock = (block: string): string =>
  block
    .split(/\r\n|\r|\n/)
    .map(cleanLine)
    .filter(Boolean)
    .join('\n');

/**
 * Plain text into blocks at blank lines. A line counts as a heading only when it is unmistakable:
 * alone between blank lines, short, not ending like a sentence, and followed by a real paragraph.
 * Wrongly promoting a line would move it out of the quoted text, so doubt means "paragraph".
 */
export function plainTextBlocks(text: string): DocumentBlock[] {
  const paragraphs = text
    .split(/(?:\r?\n|\r)[ \t]*(?:\r?\n|\r)/)
    .map((p) => reflow(cleanBlock(p)))
    .filter(Boolean);
  return paragraphs.map((p, i): DocumentBlock => {
    const next = paragraphs[i + 1];
    return next !== undefined && looksLikeHeading(p, next) ? { kind: 'heading', depth: 1, text: p } : { kind: 'text', text: p };
  });
}

function looksLikeHeading(line: string, next: string): boolean {
  if (line.includes('\n') || line.length > 60) return false;
  const words = line.split(' ').length;
  if (words > 8) return false;
  if (/[.,;:!?…)\]»"”-]$/.test(line)) return false;
  if (!/^(\d+(\.\d+)*\.?\s)?[\p{Lu}]/u.test(line)) return false; // "Доставка", "2. Оплата", "FAQ"
  if (/^[-*•–—]\s/.test(line)) return false; // a one-item list, not a title
  return next.split(/\s+/).length >= 8;
}

/**
 * A table as readable lines: with a header row each cell is labelled ("Тариф: Стандарт; Цена: 300 ₽"),
 * which keeps a row meaningful when it ends up quoted on its own; without one, cells are joined by "; ".
 */
export function tableToLines(header: string[] | undefined, rows: string[][]): string[] {
  const labels = header?.map(cleanLine) ?? [];
  const joinCells = (cells: string[]) => cells.filter(Boolean).join('; ');
  if (labels.length < 2 || rows.length === 0) return [labels, ...rows].map((r) => joinCells(r.map(cleanLine))).filter(Boolean);
  return rows
    .map((row) => joinCells(row.map(cleanLine).map((cell, i) => (cell && labels[i] ? `${labels[i]}: ${cell}` : cell))))
    .filter(Boolean);
}

/** List items as plain lines: "• item", "◦ nested item" or "3. item", never Markdown syntax. */
export const listItemLine = (text: string, ordered: boolean, index: number, depth: number): string =>
  `${ordered ? `${index}.` : depth > 0 ? '◦' : '•'} ${cleanLine(text)}`;

const LIST_ITEM = /^([-*•◦–—]|\d{1,3}[.)])\s/;

/**
 * Rejoins hard-wrapped lines (plain text at 72 columns, every PDF line) into paragraphs. A line is a
 * continuation when the one before it fills most of the width and did not visibly end a sentence;
 * short lines (headings, paragraph ends, list items) keep their break.
 */
export function reflow(block: string): string {
  const lines = block.split('\n');
  const width = Math.max(...lines.map((l) => l.length));
  if (lines.length < 2 || width < 40) return block;
  const out: string[] = [];
  for (const line of lines) {
    const previous = out.at(-1);
    if (previous !== undefined && continues(previous, line, width)) out[out.length - 1] = joinWrapped(previous, line);
    else out.push(line);
  }
  return out.join('\n');
}

function continues(previous: string, next: string, width: number): boolean {
  if (LIST_ITEM.test(next)) return false;
  if (/\p{L}-$/u.test(previous)) return true;
  if (previous.length < width * 0.7) return false;
  return !(/[.!?…:;]["»”)]?$/.test(previous) && /^["«„(]?[\p{Lu}\p{N}]/u.test(next));
}

function joinWrapped(previous: string, next: string): string {
  if (/\p{Ll}-$/u.test(previous) && /^\p{Ll}/u.test(next)) return previous.slice(0, -1) + next; // "инфор-" + "мация"
  if (/\p{L}-$/u.test(previous)) return previous + next; // "Санкт-" + "Петербург"
  return `${previous} ${next}`;
}
