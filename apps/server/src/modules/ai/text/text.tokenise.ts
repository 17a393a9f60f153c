// The package ships no types: the reference carries our declaration into every program that compiles
// this file, including bench/ (its own tsconfig does not include apps/server).
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./snowball-stemmers.d.ts" />
import { newStemmer, type Stemmer } from 'snowball-stemmers';
import { normalise } from './text.normalise.js';
import { STOP_WORDS } from './text.stopwords.js';

const russian: Stemmer = newStemmer('russian');
const english: Stemmer = newStemmer('english');

/**
 * A number with inner separators ("3.5", "24/7", "10:30", "1,000") or a word of letters and digits with
 * inner apostrophes ("don't", "tesla's": the English stemmer strips the possessive). Hyphens split
 * ("e-mail" → e, mail; "нью-йорк" → нью, йорк) so the spaced and hyphenated spellings match.
 */
const TOKEN = /\p{N}+(?:[.,/:]\p{N}+)+|[\p{L}\p{N}]+(?:'[\p{L}\p{N}]+)*/gu;
const THOUSANDS = /^\d{1,3}(?:,\d{3})+$/;
const CYRILLIC = /[а-яё]/;
const LATIN = /[a-z]/;
const DIGIT = /\d/;

/** Letters that look alike in both scripts: "дoставка" typed with a Latin o is still "доставка". */
const TO_CYRILLIC: Record<string, string> = { a: 'а', c: 'с', e: 'е', k: 'к', m: 'м', o: 'о', p: 'р', x: 'х', y: 'у' };
const TO_LATIN: Record<string, string> = Object.fromEntries(Object.entries(TO_CYRILLIC).map(([lat, cyr]) => [cyr, lat]));
const LATIN_LOOKALIKE = /[acekmopxy]/g;
const CYRILLIC_LOOKALIKE = /[асекморху]/g;

/** Stemming dominates analysis time and words repeat a lot (Zipf): cache, bounded so memory cannot grow. */
const STEM_CACHE_LIMIT = 100_000;
const stems = new Map<string, string>();

/** Words of a text in normalised form: letters and digits, numbers kept whole ("3.5", "24/7"). */
export function words(text: string): string[] {
  const tokens = normalise(text).match(TOKEN) ?? [];
  for (let i = 0; i < tokens.length; i++) if (tokens[i]!.includes(',')) tokens[i] = canonicalNumber(tokens[i]!);
  return tokens;
}

/** "1,000" → "1000" (thousands separator); "3,5" → "3.5" (Russian decimal comma); anything else as is. */
function canonicalNumber(token: string): string {
  if (!DIGIT.test(token[0]!)) return token;
  return THOUSANDS.test(token) ? token.replace(/,/g, '') : token.replace(/,/g, '.');
}

/**
 * The Snowball stem of one normalised word, by the word's own script: Cyrillic → Russian, Latin →
 * English, anything else (numbers, other scripts) unchanged. Mixed-language text therefore works
 * word by word. A Cyrillic word with Latin look-alike letters is folded to Cyrillic first.
 */
export function stem(word: string): string {
  let s = stems.get(word);
  if (s === undefined) {
    s = stemUncached(word);
    if (stems.size >= STEM_CACHE_LIMIT) stems.delete(stems.keys().next().value!);
    stems.set(word, s);
  }
  return s;
}

function stemUncached(word: string): string {
  const folded = CYRILLIC.test(word) && LATIN.test(word) ? foldToMajorityScript(word) : word;
  const cyrillic = CYRILLIC.test(folded);
  const latin = LATIN.test(folded);
  // Still mixed after folding (a code like "юkassa2"): no stemmer fits, keep it whole.
  if (cyrillic && latin) return folded;
  if (cyrillic) return russian.stem(folded.replace(/'/g, ''));
  return latin ? english.stem(folded) : folded;
}

/** A word mixing scripts is meant in the script most of its letters use: look-alikes are folded to it. */
function foldToMajorityScript(word: string): string {
  const cyrillic = word.match(/[а-я]/g)?.length ?? 0;
  const latin = word.match(/[a-z]/g)?.length ?? 0;
  return cyrillic >= latin
    ? word.replace(LATIN_LOOKALIKE, (ch) => TO_CYRILLIC[ch]!)
    : word.replace(CYRILLIC_LOOKALIKE, (ch) => TO_LATIN[ch]!);
}

export interface AnalyseOptions {
  /** Keep function words (phrase matching such as "позовите оператора" needs them). */
  keepStopWords?: boolean;
}

/**
 * Index and query terms of a text: normalised, split into words, function words dropped, each word
 * stemmed by its own script. The same function must analyse documents and queries.
 */
export function analyse(text: string, opts: AnalyseOptions = {}): string[] {
  const out: string[] = [];
  for (const w of words(text)) {
    if (!opts.keepStopWords && STOP_WORDS.has(w)) continue;
    out.push(stem(w));
  }
  return out;
}
