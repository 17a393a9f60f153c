import * as cheerio from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import { Parser } from 'htmlparser2';
import { tooComplex } from './parse.errors.js';
import { cleanBlock, cleanLine, listItemLine, tableToLines } from './parse.text.js';
import type { DocumentBlock } from './parse.types.js';

// Page furniture and non-content: none of it belongs in an answer.
const SKIPPED = new Set([
  'head', 'script', 'style', 'noscript', 'template', 'nav', 'footer', 'svg', 'canvas', 'iframe', 'object', 'embed',
  'button', 'input', 'select', 'textarea', 'img', 'video', 'audio', 'map',
]); // prettier-ignore

// Elements that start a new paragraph; anything else is inline and flows into the surrounding text.
const BLOCKS = new Set([
  'address', 'article', 'aside', 'blockquote', 'body', 'dd', 'details', 'dialog', 'div', 'dl', 'dt', 'fieldset', 'figcaption',
  'figure', 'form', 'header', 'hgroup', 'hr', 'html', 'li', 'main', 'p', 'section', 'summary', 'caption',
]); // prettier-ignore

// domhandler's node types are an enum; compare their string values.
const typeOf = (node: AnyNode): string => node.type;
const isElement = (node: AnyNode): node is Element => ['tag', 'script', 'style'].includes(typeOf(node));

const isHidden = (el: Element) =>
  el.attribs.hidden !== undefined || el.attribs['aria-hidden'] === 'true' || /display\s*:\s*none/i.test(el.attribs.style ?? '');

const skipped = (el: Element) => SKIPPED.has(el.name) || isHidden(el);

/** Real pages and Word documents stay far below this; 200,000 nested divs took parse5 7.5 minutes. */
export const MAX_HTML_DEPTH = 200;

/** Turns HTML (an uploaded page or mammoth's rendering of a DOCX) into headings and text blocks. */
export function htmlBlocks(html: string): DocumentBlock[] {
  assertNestingWithin(html, MAX_HTML_DEPTH);
  const $ = cheerio.load(html);
  const root = $('main').first().get(0) ?? $('body').get(0) ?? $.root().get(0);
  const blocks: DocumentBlock[] = [];
  let inline = '';
  const flush = () => {
    if (inline.trim()) blocks.push({ kind: 'text', text: inline });
    inline = '';
  };
  const walk = (nodes: AnyNode[]) => {
    for (const node of nodes) {
      if (typeOf(node) === 'text' && 'data' in node) inline += node.data.replace(/\s+/g, ' ');
      if (!isElement(node) || skipped(node)) continue;
      const depth = /^h([1-6])$/.exec(node.name)?.[1];
      if (depth) {
        flush();
        blocks.push({ kind: 'heading', depth: Number(depth), text: cleanLine(flatText(node)) });
      } else if (node.name === 'br') inline += '\n';
      else if (node.name === 'ul' || node.name === 'ol' || node.name === 'table' || node.name === 'pre') {
        flush();
        blocks.push({ kind: 'text', text: structuredText(node) });
      } else if (BLOCKS.has(node.name)) {
        flush();
        walk(node.children);
        flush();
      } else walk(node.children);
    }
  };
  if (root) walk(root.children);
  flush();
  return blocks;
}

function structuredText(el: Element): string {
  if (el.name === 'table') return tableText(el);
  if (el.name === 'pre') return cleanBlock(rawText(el)); // code: line breaks matter, markup does not
  return listLines(el).join('\n');
}

function listLines(list: Element, depth = 0): string[] {
  const ordered = list.name === 'ol';
  const start = Number(list.attribs.start ?? 1) || 1;
  const items = list.children.filter((c): c is Element => isElement(c) && c.name === 'li');
  return items.flatMap((li, i) => {
    const nested = li.children.filter((c): c is Element => isElement(c) && (c.name === 'ul' || c.name === 'ol'));
    const own = li.children.filter((c) => !nested.includes(c as Element));
    const line = cleanLine(own.map(flatText).join(''));
    return [...(line ? [listItemLine(line, ordered, start + i, depth)] : []), ...nested.flatMap((n) => listLines(n, depth + 1))];
  });
}

function tableText(table: Element): string {
  const rows = rowsOf(table).map((tr) => tr.children.filter((c): c is Element => isElement(c) && (c.name === 'td' || c.name === 'th')));
  const [first, ...rest] = rows;
  const hasHeader = first !== undefined && first.length > 0 && first.every((cell) => cell.name === 'th');
  const text = (cells: Element[]) => cells.map(flatText);
  return tableToLines(hasHeader ? text(first) : undefined, (hasHeader ? rest : rows).map(text)).join('\n');
}

// Rows of this table only: a table nested in a cell is read as that cell's text.
const rowsOf = (el: Element): Element[] =>
  el.children.filter(isElement).flatMap((c) => (c.name === 'tr' ? [c] : /^(thead|tbody|tfoot)$/.test(c.name) ? rowsOf(c) : []));

/** Text of an element with inline whitespace collapsed; line breaks and nested blocks become newlines. */
function flatText(node: AnyNode): string {
  if (typeOf(node) === 'text' && 'data' in node) return node.data.replace(/\s+/g, ' ');
  if (!isElement(node) || skipped(node)) return '';
  if (node.name === 'br') return '\n';
  const inner = node.children.map(flatText).join('');
  return BLOCKS.has(node.name) || /^(h[1-6]|tr|table|ul|ol|pre)$/.test(node.name) ? `\n${inner}\n` : inner;
}

function rawText(node: AnyNode): string {
  if (typeOf(node) === 'text' && 'data' in node) return node.data;
  if (!isElement(node)) return '';
  return node.name === 'br' ? '\n' : node.children.map(rawText).join('');
}

/**
 * Refuses HTML nested deeper than `maxDepth` before a DOM is built: parse5's cost grows with the depth of
 * open elements and the walks above recurse once per level. htmlparser2's tokenizer is linear and closes
 * void and implied elements itself, so its open-tag count is the depth.
 */
function assertNestingWithin(html: string, maxDepth: number): void {
  let depth = 0;
  const parser = new Parser({
    onopentag() {
      if (++depth > maxDepth) throw tooComplex('document', `nests elements more than ${maxDepth} levels deep`);
    },
    onclosetag() {
      depth--;
    },
  });
  parser.end(html);
}
