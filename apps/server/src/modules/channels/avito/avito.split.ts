/** Avito takes at most this many characters per text message. */
export const AVITO_MAX_TEXT = 1000;

// The end of a sentence: terminal punctuation (with closing quotes/brackets) followed by whitespace.
const SENTENCE_END = /[.!?…]+["'»”)\]]*\s+/g;

/**
 * Splits a reply into messages of at most `max` characters: at a paragraph or line break, else at
 * the last sentence end, else between words, and only as a last resort inside a word. The result
 * depends on the text alone, so a retried send plans the same parts.
 */
export function splitForAvito(text: string, max = AVITO_MAX_TEXT): string[] {
  const parts: string[] = [];
  let rest = text.trim();
  while (rest.length > max) {
    const cut = cutPoint(rest, max);
    const part = rest.slice(0, cut).trimEnd();
    if (part) parts.push(part);
    rest = rest.slice(cut).trimStart();
  }
  if (rest) parts.push(rest);
  return parts;
}

/** Where to cut `text` so that the first piece fits in `max`: the index just after a boundary. */
function cutPoint(text: string, max: number): number {
  const window = text.slice(0, max + 1); // a boundary right after the limit still counts
  const paragraph = window.lastIndexOf('\n\n');
  if (paragraph > max / 2) return paragraph + 2;
  let sentence = -1;
  for (const m of window.matchAll(SENTENCE_END)) {
    const end = m.index + m[0].trimEnd().length;
    if (end <= max) sentence = m.index + m[0].length;
  }
  const line = window.lastIndexOf('\n');
  const best = Math.max(sentence, line > 0 ? line + 1 : -1);
  if (best > 0) return Math.min(best, max);
  const space = window.search(/\s\S*$/);
  if (space > 0) return space + 1;
  // One word longer than a message: cut it, but not inside a surrogate pair.
  const code = text.charCodeAt(max - 1);
  return code >= 0xd800 && code <= 0xdbff ? max - 1 : max;
}
