/** Invisible characters that split or glue words without showing: soft hyphen, zero-width spaces/joiners, BOM. */
const INVISIBLE = /[\u00ad\u200b-\u200d\u2060\ufeff]/g;
const DOUBLE_QUOTES = /[«»„‟“”″〝〞＂]/g;
const SINGLE_QUOTES = /[‘’‚‛′‹›`´]/g;
const DASHES = /[‐‑‒–—―−﹘﹣－]/g;

/**
 * Folds text to the form every comparison uses: accents stripped (NFKD), lower case, ё → е, typographic
 * quotes and dashes unified, invisible characters removed. "Ёлка", "ёлка" and "елка" become one word,
 * "café" matches "cafe", and a word pasted from Word with a soft hyphen still matches its plain spelling.
 *
 * ё → е falls out of accent stripping (NFKD gives е + U+0308). Й keeps its breve: NFKD splits it into
 * и + U+0306, but й is a letter of its own in Russian ("мой" ≠ "мои") and the Russian stemmer expects it.
 */
export function normalise(text: string): string {
  return text
    .replace(INVISIBLE, '')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, (mark, offset: number, whole: string) =>
      mark === '\u0306' && /[иИ]/.test(whole[offset - 1] ?? '') ? mark : '',
    )
    .normalize('NFC')
    .toLowerCase()
    .replace(DOUBLE_QUOTES, '"')
    .replace(SINGLE_QUOTES, "'")
    .replace(DASHES, '-');
}
