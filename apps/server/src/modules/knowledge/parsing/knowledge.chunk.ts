import type { ParsedDocument } from './parse.types.js';

export interface ChunkOptions {
  targetWords?: number;
  maxWords?: number;
  overlapWords?: number;
}

export interface DocumentChunk {
  ordinal: number;
  headingPath: string[];
  text: string;
  wordCount: number;
}

// Sentence ends: . ! ? … followed by space and a capital/digit/quote; common abbreviations are not ends.
const ABBREVIATIONS = /(?:\b(?:т\.е|т\.к|т\.д|т\.п|и\.о|г|гг|ул|д|стр|руб|коп|тыс|млн|см|др|e\.g|i\.e|etc|vs|mr|mrs|dr|no|p)\.)$/iu;

const countWords = (s: string) => (s.match(/\S+/g) ?? []).length;
const clean = (s: string) =>
  s
    .replace(/[ \t\f\v\u00a0]+/g, ' ')
    .replace(/\s*\n\s*/g, '\n')
    .trim();

/** Splits text into sentences (Russian and English punctuation), keeping abbreviations whole. */
export function sentences(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  const re = /[.!?…]+["»)]?\s+(?=["«(]?[\p{Lu}\p{N}])/gu;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const candidate = text.slice(start, m.index + m[0].trimEnd().length);
    if (ABBREVIATIONS.test(candidate)) continue;
    out.push(candidate.trim());
    start = m.index + m[0].length;
  }
  const rest = text.slice(start).trim();
  if (rest) out.push(rest);
  return out;
}

/** Units a section is cut into: paragraphs, and sentences of paragraphs too long to keep whole. */
function units(text: string, maxWords: number): string[] {
  return text
    .split(/\n{2,}/)
    .map(clean)
    .filter(Boolean)
    .flatMap((p) =>
      countWords(p) <= maxWords ? [p] : sentences(p).flatMap((s) => (countWords(s) <= maxWords ? [s] : hardSplit(s, maxWords))),
    );
}

function hardSplit(s: string, maxWords: number): string[] {
  const words = s.split(/\s+/);
  const out: string[] = [];
  for (let i = 0; i < words.length; i += maxWords) out.push(words.slice(i, i + maxWords).join(' '));
  return out;
}

/** The last `words` words of a passage, from a sentence start when one is close (the overlap). */
function tail(text: string, words: number): string {
  if (words <= 0) return '';
  const parts = sentences(text.replace(/\n/g, ' '));
  let out = '';
  for (let i = parts.length - 1; i >= 0; i--) {
    const next = out ? `${parts[i]} ${out}` : parts[i]!;
    if (countWords(next) > words) break;
    out = next;
  }
  return out || text.split(/\s+/).slice(-words).join(' ');
}

/**
 * Heading-aware chunks: never crossing a section, about `targetWords` each (at most `maxWords`),
 * consecutive chunks of a section sharing about `overlapWords` (whole sentences) so an answer that
 * straddles a cut is still found whole in one of them. A tiny trailing piece joins the previous chunk.
 */
export function chunkDocument(doc: ParsedDocument, opts: ChunkOptions = {}): DocumentChunk[] {
  const target = opts.targetWords ?? 120;
  const max = opts.maxWords ?? 200;
  const overlap = Math.min(opts.overlapWords ?? 30, Math.floor(target / 2));
  const chunks: DocumentChunk[] = [];
  for (const section of doc.sections) {
    const pieces: string[] = [];
    let current = '';
    for (const unit of units(section.text, max)) {
      const joined = current ? `${current}\n\n${unit}` : unit;
      if (current && countWords(joined) > target && countWords(current) >= target / 3) {
        pieces.push(current);
        const carried = tail(current, overlap);
        current = carried && countWords(carried) + countWords(unit) <= max ? `${carried}\n\n${unit}` : unit;
      } else if (countWords(joined) > max) {
        pieces.push(current);
        current = unit;
      } else {
        current = joined;
      }
    }
    if (current) {
      const last = pieces[pieces.length - 1];
      if (last && countWords(current) < target / 4 && countWords(last) + countWords(current) <= max)
        pieces[pieces.length - 1] = `${last}\n\n${current}`;
      else pieces.push(current);
    }
    for (const text of pieces) chunks.push({ ordinal: chunks.length, headingPath: section.headingPath, text, wordCount: countWords(text) });
  }
  return chunks;
}
