export type Language = 'ru' | 'en' | 'other';

const CYRILLIC = /\p{Script=Cyrillic}/u;
const LATIN = /\p{Script=Latin}/u;
const LETTER = /\p{L}/u;

/**
 * The language of a text by its letters: mostly Cyrillic → Russian, mostly Latin → English. For the two
 * languages we serve this is as accurate as a statistical detector and costs nothing. A mixed message
 * ("статус заказа order #123") goes to the script with more letters, ties to Russian (our primary
 * audience). "other" when there are no letters, or when most letters are of another script (Greek, CJK…).
 */
export function detectLanguage(text: string): Language {
  let cyrillic = 0;
  let latin = 0;
  let letters = 0;
  for (const ch of text) {
    if (!LETTER.test(ch)) continue;
    letters++;
    if (CYRILLIC.test(ch)) cyrillic++;
    else if (LATIN.test(ch)) latin++;
  }
  if (letters === 0 || cyrillic + latin < letters / 2) return 'other';
  return cyrillic >= latin ? 'ru' : 'en';
}

/** A stored passage's language tag: the detected language, or "und" (BCP 47 "undetermined"). */
export function passageLanguage(text: string): string {
  const lang = detectLanguage(text);
  return lang === 'other' ? 'und' : lang;
}
