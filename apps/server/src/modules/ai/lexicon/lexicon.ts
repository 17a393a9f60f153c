import data from './support-lexicon.json' with { type: 'json' };
import { normalise } from '../text/text.normalise.js';
import { stem, words } from '../text/text.tokenise.js';

/**
 * The support lexicon (shipped as data in support-lexicon.json, extendable per account): colloquial
 * spellings mapped to the standard word, greeting/politeness/filler words that carry no question, and
 * groups of words and phrases that ask about the same thing ("доставка" / "привезти" / "довезти").
 * A text that contains any member of a group gets the group's concept term, so a message and an FAQ
 * entry sharing a group share a term even when they share no word.
 */
export interface LexiconData {
  spellings: Record<string, string>;
  fillers: string[];
  groups: string[][];
}

/** Concept terms start with a character no analysed word can contain. */
export const CONCEPT_PREFIX = '§';
/** At most this many account groups (and words per group) are read: the setting is bounded too. */
const MAX_ACCOUNT_GROUPS = 500;
const MAX_GROUP_WORDS = 50;

interface Phrase {
  stems: string[];
  concept: string;
}

export class Lexicon {
  private readonly spellings = new Map<string, string[]>();
  private readonly fillers: ReadonlySet<string>;
  /** First stem of a phrase → phrases starting with it (longest first). */
  private readonly phrases = new Map<string, Phrase[]>();
  /** Every stem that occurs in a group: a word the lexicon knows. */
  readonly knownStems = new Set<string>();
  /** Concepts a single word stands for by itself ("адрес" → the address concept). */
  private readonly wordConcepts = new Map<string, string[]>();

  constructor(data: LexiconData, extraGroups: string[][] = []) {
    for (const [from, to] of Object.entries(data.spellings)) this.spellings.set(normalise(from), words(to));
    this.fillers = new Set(data.fillers.map(normalise));
    const groups = [...data.groups, ...extraGroups.slice(0, MAX_ACCOUNT_GROUPS).map((g) => g.slice(0, MAX_GROUP_WORDS))];
    groups.forEach((group, i) => {
      const concept = `${CONCEPT_PREFIX}${i}`;
      for (const member of group) {
        const stems = this.spelled(words(member)).map(stem);
        if (stems.length === 0) continue;
        for (const s of stems) this.knownStems.add(s);
        if (stems.length === 1) {
          const list = this.wordConcepts.get(stems[0]!) ?? [];
          if (!list.includes(concept)) list.push(concept);
          this.wordConcepts.set(stems[0]!, list);
        }
        const list = this.phrases.get(stems[0]!) ?? [];
        list.push({ stems, concept });
        list.sort((a, b) => b.stems.length - a.stems.length);
        this.phrases.set(stems[0]!, list);
      }
    });
  }

  /** Words with colloquial spellings replaced ("скока" → "сколько", "whats" → "what", "is"). */
  spelled(ws: string[]): string[] {
    const out: string[] = [];
    for (const w of ws) {
      const to = this.spellings.get(w);
      if (to) out.push(...to);
      else out.push(w);
    }
    return out;
  }

  isFiller(word: string): boolean {
    return this.fillers.has(word);
  }

  knowsWord(word: string): boolean {
    return this.spellings.has(word) || this.fillers.has(word) || this.knownStems.has(stem(word));
  }

  /** The concepts one stem stands for by itself (empty when it is in no group as a single word). */
  conceptsOfStem(s: string): readonly string[] {
    return this.wordConcepts.get(s) ?? [];
  }

  /** Concept terms of a text's stems (stop words included: "где вы" is a phrase). Each concept once. */
  concepts(stems: string[]): string[] {
    const found = new Set<string>();
    for (let i = 0; i < stems.length; i++) {
      const candidates = this.phrases.get(stems[i]!);
      if (!candidates) continue;
      for (const p of candidates) {
        if (found.has(p.concept)) continue;
        let ok = true;
        for (let k = 1; k < p.stems.length; k++) {
          if (stems[i + k] !== p.stems[k]) {
            ok = false;
            break;
          }
        }
        if (ok) found.add(p.concept);
      }
    }
    return [...found];
  }
}

/** Parses the account's synonym setting: one group per line, words or phrases separated by commas. */
export function parseSynonymLines(lines: readonly string[]): string[][] {
  return lines
    .map((line) =>
      line
        .split(/[,;]/)
        .map((w) => w.trim())
        .filter(Boolean),
    )
    .filter((g) => g.length >= 2);
}

export const SUPPORT_LEXICON: LexiconData = data;

let shared: Lexicon | undefined;
/** The shipped lexicon alone (accounts without their own synonyms share it). */
export function supportLexicon(): Lexicon {
  return (shared ??= new Lexicon(SUPPORT_LEXICON));
}

/** The shipped lexicon extended with an account's synonym lines. */
export function lexiconFor(synonymLines: readonly string[] = []): Lexicon {
  const extra = parseSynonymLines(synonymLines);
  return extra.length === 0 ? supportLexicon() : new Lexicon(SUPPORT_LEXICON, extra);
}
