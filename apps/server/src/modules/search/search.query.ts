/**
 * What a person typed into the search box, read as full-text terms: `"a phrase"`, `-excluded`, `prefix*`,
 * plain words (all must match). The last plain word of 3+ letters also matches as a prefix, so results
 * follow the typing ("достав" finds "доставка"). ё is folded to е, as in the index.
 */
export interface ParsedQuery {
  terms: Term[];
  /** `#1042` or `1042`: a conversation number. */
  number: number | null;
  /** The digits when the query reads as a phone (8 916 123-45-67). */
  phoneDigits: string | null;
}

export type Term = { kind: 'word'; text: string; prefix: boolean; negated: boolean } | { kind: 'phrase'; text: string; negated: boolean };

const fold = (s: string) => s.replace(/ё/g, 'е').replace(/Ё/g, 'Е');
/** Letters and digits only: what a lexeme may hold (everything else would be tsquery syntax). */
const lexeme = (s: string) => s.replace(/[^\p{L}\p{N}]+/gu, '');

export function parseSearchQuery(raw: string): ParsedQuery {
  const q = fold(raw.trim());
  const terms: Term[] = [];
  const re = /(-?)"([^"]*)"|(\S+)/g;
  for (let m = re.exec(q); m; m = re.exec(q)) {
    if (m[2] !== undefined) {
      const text = m[2].trim();
      if (text) terms.push({ kind: 'phrase', text, negated: m[1] === '-' });
      continue;
    }
    let word = m[3]!;
    const negated = word.startsWith('-') && word.length > 1;
    if (negated) word = word.slice(1);
    const prefix = word.endsWith('*');
    const text = lexeme(word);
    if (text) terms.push({ kind: 'word', text, prefix, negated });
  }
  const lastPlain = [...terms].reverse().find((t) => t.kind === 'word' && !t.negated);
  if (lastPlain?.kind === 'word' && lastPlain.text.length >= 3 && !/^\d+$/.test(lastPlain.text)) lastPlain.prefix = true;
  const numberMatch = /^#?(\d{1,9})$/.exec(raw.trim());
  const digits = raw.replace(/\D/g, '');
  const phoneLike = /^[\d\s()+\-.]+$/.test(raw.trim()) && digits.length >= 5;
  return { terms, number: numberMatch ? Number(numberMatch[1]) : null, phoneDigits: phoneLike ? digits : null };
}
