import { analyse } from '../text/text.tokenise.js';
import { TypoNeighbourhood } from '../text/text.typos.js';
import { TopHits } from './bm25.top.js';

export interface Bm25Options {
  /** Term-frequency saturation: how fast repeating a term stops paying. */
  k1?: number;
  /** Length normalisation: 0 ignores document length, 1 divides fully by it. */
  b?: number;
  /** How many times a title term counts (BM25F-lite: an FAQ's question outweighs its answer). */
  titleWeight?: number;
  /** Weight of a query term matched through a one-letter typo, relative to an exact match; 0 turns it off. */
  typoWeight?: number;
  /** Text → terms; the same function analyses documents and queries. */
  analyser?: (text: string) => string[];
  /**
   * Weight of a query term matched through a vocabulary term it contains or that contains it (both at
   * least PARTIAL_MIN_LENGTH letters: "запломбирова" ~ "пломб"), when neither an exact nor a typo match
   * exists; 0 (the default) turns it off. Scans the vocabulary once per such term: meant for FAQ-sized
   * indexes (off above PARTIAL_MAX_VOCABULARY terms).
   */
  partialWeight?: number;
}

export const PARTIAL_MIN_LENGTH = 4;
export const PARTIAL_MAX_VOCABULARY = 50_000;

/**
 * Terms of a query that count: a question fits in far fewer, and each term costs postings reads and its
 * typo neighbourhood, so a pasted book costs no more than a long question.
 */
export const MAX_QUERY_TERMS = 512;

/** A document: plain text, or a title (an FAQ's question and its phrasings) and a body (the answer). */
export type Bm25Document = string | { title?: string; body: string };

export interface Bm25Hit<Id> {
  id: Id;
  score: number;
}

/** Documents containing a term, with the term's (title-weighted) frequency in each: parallel arrays. */
interface Postings {
  slots: number[];
  tfs: number[];
}

/**
 * Okapi BM25 over an inverted index, per Robertson & Zaragoza (2009): IDF in the +1 smoothed form
 * ln(1 + (N − df + 0.5) / (df + 0.5)) (never negative, so a term in most documents still counts a
 * little), term-frequency saturation (k1) and length normalisation (b). A query touches only the
 * postings of its own terms, so its cost grows with the matches, not with the collection.
 * Query terms absent from the vocabulary are matched to terms one typo away, at `typoWeight`.
 *
 * Scores are comparable only within one query. For a confidence signal, divide: the margin
 * `(s1 − s2) / s1` between the first two hits (see `topMargin`) and the strength `s1 / maxScore(query)`
 * are both in 0…1 and independent of the collection's size.
 */
export class Bm25Index<Id> {
  private readonly k1: number;
  private readonly b: number;
  private readonly titleWeight: number;
  private readonly typoWeight: number;
  private readonly partialWeight: number;
  private readonly analyse: (text: string) => string[];
  private readonly postings = new Map<string, Postings>();
  private readonly typos = new TypoNeighbourhood();
  private readonly slotOf = new Map<Id, number>();
  /** Per slot (a reused position): id, weighted length, score boost, distinct terms (for removal). */
  private readonly ids: (Id | undefined)[] = [];
  private readonly lengths: number[] = [];
  private readonly boosts: number[] = [];
  private readonly termsOf: (string[] | undefined)[] = [];
  private readonly freeSlots: number[] = [];
  private totalLength = 0;
  /** Score accumulator reused across queries; only touched slots are reset. */
  private scores = new Float64Array(0);

  constructor(opts: Bm25Options = {}) {
    this.k1 = opts.k1 ?? 1.2;
    this.b = opts.b ?? 0.75;
    this.titleWeight = opts.titleWeight ?? 2;
    this.typoWeight = opts.typoWeight ?? 0.5;
    this.partialWeight = opts.partialWeight ?? 0;
    this.analyse = opts.analyser ?? ((text) => analyse(text));
  }

  /** Number of documents in the index. */
  get size(): number {
    return this.slotOf.size;
  }

  has(id: Id): boolean {
    return this.slotOf.has(id);
  }

  /** Indexes a document under `id`, replacing any earlier one. `boost` multiplies its scores (default 1). */
  add(id: Id, doc: Bm25Document, opts: { boost?: number } = {}): void {
    this.remove(id);
    const { title, body } = typeof doc === 'string' ? { title: undefined, body: doc } : doc;
    const tf = new Map<string, number>();
    for (const t of this.analyse(body)) tf.set(t, (tf.get(t) ?? 0) + 1);
    if (title) for (const t of this.analyse(title)) tf.set(t, (tf.get(t) ?? 0) + this.titleWeight);

    const slot = this.freeSlots.pop() ?? this.ids.length;
    let length = 0;
    for (const [term, count] of tf) {
      length += count;
      let list = this.postings.get(term);
      if (!list) {
        this.postings.set(term, (list = { slots: [], tfs: [] }));
        if (this.typoWeight > 0) this.typos.add(term);
      }
      list.slots.push(slot);
      list.tfs.push(count);
    }
    this.slotOf.set(id, slot);
    this.ids[slot] = id;
    this.lengths[slot] = length;
    this.boosts[slot] = opts.boost ?? 1;
    this.termsOf[slot] = [...tf.keys()];
    this.totalLength += length;
  }

  /** Indexes many documents at once: `add` for each (an id indexed before is replaced). Returns the index. */
  build(docs: Iterable<{ id: Id; doc: Bm25Document; boost?: number }>): this {
    for (const { id, doc, boost } of docs) this.add(id, doc, { boost });
    return this;
  }

  /** Drops a document; unknown ids are ignored. */
  remove(id: Id): void {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return;
    for (const term of this.termsOf[slot]!) {
      const list = this.postings.get(term)!;
      const at = list.slots.indexOf(slot);
      // Order within postings does not matter: move the last entry into the hole.
      list.slots[at] = list.slots[list.slots.length - 1]!;
      list.tfs[at] = list.tfs[list.tfs.length - 1]!;
      list.slots.pop();
      list.tfs.pop();
      if (list.slots.length === 0) {
        this.postings.delete(term);
        this.typos.delete(term);
      }
    }
    this.totalLength -= this.lengths[slot]!;
    this.slotOf.delete(id);
    this.ids[slot] = undefined;
    this.termsOf[slot] = undefined;
    this.freeSlots.push(slot);
  }

  /** Whether an analysed term occurs in some document. */
  hasTerm(term: string): boolean {
    return this.postings.has(term);
  }

  /** Vocabulary terms one typo away from an unknown term (empty when typo matching is off). */
  nearTerms(term: string): string[] {
    return this.typoWeight > 0 ? this.typos.near(term, (t) => this.postings.has(t)) : [];
  }

  /** Vocabulary terms that contain `term` or are contained in it (see `partialWeight`). */
  partialTerms(term: string): string[] {
    if (term.length < PARTIAL_MIN_LENGTH || term.length > 40 || this.postings.size > PARTIAL_MAX_VOCABULARY || /\d/.test(term)) return [];
    const out: string[] = [];
    for (const v of this.postings.keys()) {
      if (v.length < PARTIAL_MIN_LENGTH || v === term) continue;
      if (v.length < term.length ? term.includes(v) : v.includes(term)) out.push(v);
    }
    return out;
  }

  /** In how many documents a term occurs. */
  documentFrequency(term: string): number {
    return this.postings.get(term)?.slots.length ?? 0;
  }

  /** The best `limit` documents for `query`, best first (ties: earlier slot first). */
  search(query: string, opts: { limit: number }): Bm25Hit<Id>[] {
    const docs = this.size;
    if (docs === 0 || opts.limit <= 0) return [];
    if (this.scores.length < this.ids.length) this.scores = new Float64Array(Math.max(this.ids.length, this.scores.length * 2));
    const scores = this.scores;
    const touched: number[] = [];
    const avgLength = this.totalLength / docs || 1;
    const { k1, b } = this;
    for (const [term, weight] of this.queryTerms(query)) {
      const { slots, tfs } = this.postings.get(term)!;
      const idf = weight * this.idf(slots.length);
      for (let i = 0; i < slots.length; i++) {
        const slot = slots[i]!;
        const tf = tfs[i]!;
        const norm = tf + k1 * (1 - b + (b * this.lengths[slot]!) / avgLength);
        if (scores[slot] === 0) touched.push(slot);
        scores[slot]! += (idf * tf * (k1 + 1)) / norm;
      }
    }
    const top = new TopHits(opts.limit);
    for (const slot of touched) {
      top.offer(slot, scores[slot]! * this.boosts[slot]!);
      scores[slot] = 0;
    }
    return top.sorted().map(({ slot, score }) => ({ id: this.ids[slot]!, score }));
  }

  /**
   * The supremum of an unboosted score for `query` in this index: every known query term matched at full
   * saturation, tf·(k1+1)/(tf+norm) → k1+1. `hit.score / maxScore(query)` is a 0…1 match strength.
   */
  maxScore(query: string): number {
    let max = 0;
    for (const [term, weight] of this.queryTerms(query)) max += weight * this.idf(this.postings.get(term)!.slots.length) * (this.k1 + 1);
    return max;
  }

  private idf(df: number): number {
    return Math.log(1 + (this.size - df + 0.5) / (df + 0.5));
  }

  /** Known query terms with their weights; an unknown term stands for its one-typo neighbours, discounted. */
  private queryTerms(query: string): Map<string, number> {
    const terms = new Map<string, number>();
    const known = (t: string) => this.postings.has(t);
    for (const t of this.analyse(query).slice(0, MAX_QUERY_TERMS)) {
      if (known(t)) terms.set(t, 1);
      else {
        const near = this.typoWeight > 0 ? this.typos.near(t, known) : [];
        for (const n of near) terms.set(n, Math.max(terms.get(n) ?? 0, this.typoWeight));
        if (near.length === 0 && this.partialWeight > 0) {
          for (const p of this.partialTerms(t)) terms.set(p, Math.max(terms.get(p) ?? 0, this.partialWeight));
        }
      }
    }
    return terms;
  }
}

/**
 * How clearly the first hit beats the second, in 0…1: (s1 − s2) / s1; 1 for a single hit, 0 for none
 * or a tie. A scale-free confidence feature: raw BM25 scores grow with query length and corpus.
 */
export function topMargin(hits: readonly { score: number }[]): number {
  const s1 = hits[0]?.score ?? 0;
  if (!(s1 > 0)) return 0;
  return (s1 - (hits[1]?.score ?? 0)) / s1;
}
