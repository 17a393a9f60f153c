import { normalise } from './text.normalise.js';

/**
 * Messenger-text repair before matching (the stored and shown message stays as written): emoji and
 * emoticons out, a keyboard left in the wrong layout ("ghbdtn" → "привет", "руддщ" → "hello"), Latin
 * transliteration of Russian ("dostavka platnaya" → "доставка платная"), and amounts written the way
 * people write them ("42 тыщи", "70к" → 42000, 70000). Which reading of a word wins is decided against
 * the account's own vocabulary (`known`): a word is rewritten only when the rewrite is a word the
 * knowledge base or the support lexicon knows — or, for a message written wholly in Latin to a Russian
 * knowledge base, when it reads as Russian.
 */

const EMOJI = /\p{Extended_Pictographic}|\p{Regional_Indicator}|\u{fe0f}|\u{200d}|[\u{1f3fb}-\u{1f3ff}]/gu;
/** ":)", ";-)", ":(", "))", "((", ":D", "xD", "<3" — not words, though tokenisers may keep a letter of them. */
const EMOTICON = /(?:^|\s)(?:[:;=8x][-']?[)(\][dpо3*]+|<3|\){2,}|\({2,})(?=\s|$)/giu;

const EN_KEYS = "`qwertyuiop[]asdfghjkl;'zxcvbnm,./";
const RU_KEYS = 'ёйцукенгшщзхъфывапролджэячсмитьбю.';
const toRuKey = new Map([...EN_KEYS].map((c, i) => [c, RU_KEYS[i]!]));
const toEnKey = new Map([...RU_KEYS].map((c, i) => [c, EN_KEYS[i]!]));

/** The same keys pressed with the other layout on: "ghbdtn" → "привет", "lj,hsq" → "добрый". */
export function layoutToRussian(chunk: string): string {
  return [...chunk.toLowerCase()].map((c) => toRuKey.get(c) ?? c).join('');
}
export function layoutToEnglish(chunk: string): string {
  return [...chunk.toLowerCase()].map((c) => (c === '.' ? c : (toEnKey.get(c) ?? c))).join('');
}

const TRANSLIT: [RegExp, string][] = [
  [/shch|sch/g, 'щ'],
  [/zh/g, 'ж'],
  [/kh/g, 'х'],
  [/ch/g, 'ч'],
  [/sh/g, 'ш'],
  [/ts/g, 'ц'],
  [/yo|jo/g, 'ё'],
  [/yu|ju|iu/g, 'ю'],
  [/ya|ja|ia(?=$)/g, 'я'],
  [/ye|je/g, 'е'],
  [/iy(?=$)|ii(?=$)/g, 'ий'],
  [/yy(?=$)|yi(?=$)/g, 'ый'],
  [/([аеёиоуыэюяaeiou])y/g, '$1й'],
  [/y/g, 'ы'],
  [/'/g, 'ь'],
  [/ck/g, 'к'],
  [/x/g, 'кс'],
];
const LETTER: Record<string, string> = {
  a: 'а',
  b: 'б',
  v: 'в',
  g: 'г',
  d: 'д',
  e: 'е',
  z: 'з',
  i: 'и',
  j: 'й',
  k: 'к',
  l: 'л',
  m: 'м',
  n: 'н',
  o: 'о',
  p: 'п',
  r: 'р',
  s: 'с',
  t: 'т',
  u: 'у',
  f: 'ф',
  h: 'х',
  c: 'ц',
  w: 'в',
  q: 'к',
};

/** Russian written in Latin letters, read back: "zdravstvuyte" → "здравствуйте", "skolko" → "сколко". */
export function transliterate(word: string): string {
  let s = word.toLowerCase();
  for (const [from, to] of TRANSLIT) s = s.replace(from, to);
  return [...s].map((c) => LETTER[c] ?? c).join('');
}

const MULTIPLIER: [RegExp, number][] = [
  [/^(тыс|тыщ|тысяч|k|к|тр)[а-я.]*$/u, 1000],
  [/^(млн|миллион)[а-я.]*$/u, 1_000_000],
];

/** "42 тыщи" → "42000", "70к" → "70000", "1,5 тыс" → "1500". Other text unchanged. */
export function amounts(text: string): string {
  return text
    .replace(/(\d+(?:[.,]\d+)?)\s?(к|k)(?=\s|$|[.,!?])/giu, (_m, n: string) => String(Math.round(Number(n.replace(',', '.')) * 1000)))
    .replace(/(\d+(?:[.,]\d+)?)\s+([\p{L}.]+)/gu, (m, n: string, unit: string) => {
      const hit = MULTIPLIER.find(([re]) => re.test(unit.toLowerCase()));
      return hit ? String(Math.round(Number(n.replace(',', '.')) * hit[1])) : m;
    })
    .replace(/(\d) (\d{3})(?!\d)/g, '$1$2');
}

export type Script = 'cyrillic' | 'latin';

const HAS_LATIN = /[a-z]/i;
const HAS_CYRILLIC = /[а-яё]/i;
const LAYOUT_CHARS = /^[a-z`[\];',./]+$/i;
const RU_LAYOUT_CHARS = /^[а-яё.]+$/i;

/**
 * The message as the matcher should read it. `known(word)` says whether a normalised word (either
 * script) is in the account's vocabulary or the lexicon; `script` is the knowledge base's main script.
 */
export function repairMessengerText(text: string, known: (word: string) => boolean, script: Script): string {
  const clean = amounts(normalise(text).replace(EMOJI, ' ').replace(EMOTICON, ' '));
  const chunks = clean.split(/\s+/).filter(Boolean);
  const latinMessage = chunks.length > 0 && !HAS_CYRILLIC.test(clean) && HAS_LATIN.test(clean);
  const wordsOf = (s: string) => s.match(/[\p{L}\p{N}]+/gu) ?? [];
  const knownShare = (s: string) => {
    const ws = wordsOf(s);
    return ws.length === 0 ? 0 : ws.filter(known).length / ws.length;
  };
  let rewrites = 0;
  let latinWords = 0;
  const out = chunks.map((chunk) => {
    if (script === 'cyrillic' && HAS_LATIN.test(chunk) && !HAS_CYRILLIC.test(chunk)) {
      latinWords++;
      if (knownShare(chunk) === 1) return chunk;
      const bare = chunk.replace(/^[^\p{L}\p{N}`[\];',./]+|[^\p{L}\p{N}]+$/gu, '');
      const layout = LAYOUT_CHARS.test(bare) ? layoutToRussian(bare) : null;
      const translit = wordsOf(chunk).map(transliterate).join(' ');
      if (layout && knownShare(layout) === 1) {
        rewrites++;
        return layout;
      }
      if (knownShare(translit) > 0) {
        rewrites++;
        return translit;
      }
      return latinMessage ? translit : chunk;
    }
    if (script === 'latin' && HAS_CYRILLIC.test(chunk) && !HAS_LATIN.test(chunk)) {
      const bare = chunk.replace(/[^\p{L}.]+$/gu, '');
      if (!known(bare) && RU_LAYOUT_CHARS.test(bare)) {
        const layout = layoutToEnglish(bare);
        if (knownShare(layout) === 1) return layout;
      }
    }
    return chunk;
  });
  // A Latin message to a Russian knowledge base is Russian in Latin letters only if some words read so.
  if (latinMessage && rewrites === 0 && latinWords > 0) return chunks.join(' ');
  return out.join(' ');
}
