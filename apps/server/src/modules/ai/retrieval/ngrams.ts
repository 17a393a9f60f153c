/**
 * Character trigram similarity: each word padded with spaces (" дост", …) cut into 3-letter pieces,
 * TF-IDF weighted, cosine between a query and each document, over an inverted index (a query touches
 * only the postings of its own trigrams). Catches what stems miss in short messages: misspellings
 * beyond one letter, clipped and colloquial forms, compound and hyphenated words.
 */
export const NGRAM = 3;
/** Words longer than this are cut: a pasted 100,000-letter "word" costs no more than a long real one. */
const MAX_WORD = 40;
const MAX_QUERY_GRAMS = 2048;

export function trigrams(words: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const w of words) {
    const padded = ` ${w.slice(0, MAX_WORD)} `;
    for (let i = 0; i + NGRAM <= padded.length; i++) {
      const g = padded.slice(i, i + NGRAM);
      out.set(g, (out.get(g) ?? 0) + 1);
    }
  }
  return out;
}

export class TrigramIndex {
  private readonly postings = new Map<string, { docs: number[]; weights: number[] }>();
  private readonly norms: number[] = [];
  private docs = 0;
  private scores = new Float64Array(0);

  /** Builds the index over documents given as word lists (ids are positions). */
  constructor(documents: readonly (readonly string[])[]) {
    const grams = documents.map((ws) => trigrams(ws));
    this.docs = documents.length;
    const df = new Map<string, number>();
    for (const g of grams) for (const k of g.keys()) df.set(k, (df.get(k) ?? 0) + 1);
    grams.forEach((g, doc) => {
      let norm = 0;
      for (const [k, tf] of g) {
        const w = (1 + Math.log(tf)) * this.idfOf(df.get(k)!);
        norm += w * w;
        let list = this.postings.get(k);
        if (!list) this.postings.set(k, (list = { docs: [], weights: [] }));
        list.docs.push(doc);
        list.weights.push(w);
      }
      this.norms[doc] = Math.sqrt(norm) || 1;
    });
    this.scores = new Float64Array(this.docs);
  }

  private idfOf(df: number): number {
    return Math.log(1 + this.docs / df);
  }

  /** Cosine similarity (0…1) of the query's words to every document that shares a trigram with it. */
  similarities(words: readonly string[]): Map<number, number> {
    const q = trigrams(words);
    const scores = this.scores;
    const touched: number[] = [];
    let qnorm = 0;
    let n = 0;
    for (const [k, tf] of q) {
      if (n++ >= MAX_QUERY_GRAMS) break;
      const list = this.postings.get(k);
      if (!list) {
        qnorm += (1 + Math.log(tf)) ** 2 * this.idfOf(1) ** 2;
        continue;
      }
      const qw = (1 + Math.log(tf)) * this.idfOf(list.docs.length);
      qnorm += qw * qw;
      for (let i = 0; i < list.docs.length; i++) {
        const d = list.docs[i]!;
        if (scores[d] === 0) touched.push(d);
        scores[d]! += qw * list.weights[i]!;
      }
    }
    const out = new Map<number, number>();
    const qn = Math.sqrt(qnorm) || 1;
    for (const d of touched) {
      out.set(d, scores[d]! / (qn * this.norms[d]!));
      scores[d] = 0;
    }
    return out;
  }
}
