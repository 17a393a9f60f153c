import type { SearchableChunk } from '../../knowledge/knowledge.repository.js';
import { abstainConfidence, type MatchFeatures } from '../ai.abstain.js';
import { CONCEPT_PREFIX, lexiconFor, type Lexicon } from '../lexicon/lexicon.js';
import rankFitted from '../lexicon/rank-model.json' with { type: 'json' };
import { repairMessengerText, type Script } from '../text/text.messenger.js';
import { STOP_WORDS } from '../text/text.stopwords.js';
import { stem, words } from '../text/text.tokenise.js';
import { Bm25Index } from './bm25.js';
import { TrigramIndex } from './ngrams.js';

/** A passage as search results carry it (its embedding stays in the index). */
export type IndexedChunk = Omit<SearchableChunk, 'embedding'>;

export interface SearchHit {
  chunk: IndexedChunk;
  /** Fused lexical score (stems, concepts and trigrams), or the reciprocal-rank-fusion score when vectors take part. */
  score: number;
}

export interface Retrieval {
  hits: SearchHit[];
  /** Calibrated probability that the top passage answers the query. */
  confidence: number;
  /** What the confidence was computed from (for "test a question" and calibration). */
  features?: MatchFeatures | null;
  /** With `explain`: the re-ranked head with each candidate's rank features (for fitting the rank model). */
  pool?: { articleId: string; x: number[] }[];
}

export interface IndexOptions {
  /** The account's own synonym lines ("a, b, c"), added to the shipped support lexicon. */
  synonyms?: readonly string[];
}

/** The most confidence a message naming an unknown product or model can get (below any sensible threshold). */
export const TOPIC_MISS_CAP = 0.1;
/** At most this many clauses of one message are tried on their own. */
const MAX_CLAUSES = 4;
/** Reciprocal-rank-fusion constant (Cormack et al.): damps the head so both rankings count. */
const RRF_K = 60;
const CANDIDATES = 50;
/** The head of the first ranking that the rank model re-orders. */
const RERANK = 20;

interface QueryTerm {
  /** Index terms that count as this term. */
  same: Set<string>;
  idf: number;
  concept: boolean;
  known: boolean;
}

/**
 * Per-candidate evidence the rank model weighs: the first (fused) score, BM25 strength, trigram cosine to
 * the whole entry and to its question, and the share of the message's terms (IDF-weighted, and plain
 * content words) the entry has, in all of it and in its question and wordings.
 */
export const RANK_FEATURES = [
  'first',
  'bm25',
  'trigram',
  'titleTrigram',
  'idfCoverage',
  'idfTitleCoverage',
  'coverage',
  'coverage',
  'titleCoverage',
  'bodyTrigram',
  'conceptsTitle',
  'reciprocal',
] as const;
export type RankFeature = (typeof RANK_FEATURES)[number];
/** Weights of the rank model (logits): fitted by `bench/ai/rank.fit.ts` on ru-support-dev, reported leave-one-business-out. */
export const RANK_MODEL: Record<RankFeature, number> = { ...(rankFitted as Record<RankFeature, number>) };

function rankScore(x: number[]): number {
  let s = 0;
  RANK_FEATURES.forEach((k, i) => (s += RANK_MODEL[k] * x[i]!));
  return s;
}
/**
 * Ranking settings, chosen on ru-support-dev by ranking accuracy (top-1 FAQ of the answerable messages):
 *  - titleWeight: an FAQ's question (and its extra wordings) counts this many times its answer's words;
 *  - trigramShare: share of the fused lexical score given to trigram similarity (the rest: BM25 strength
 *    of stems and concepts);
 *  - b: BM25 length normalisation.
 */
export const MATCH_TUNING = { titleWeight: 3, trigramShare: 0.2, b: 0.75, partialWeight: 0.5 };
/** Greetings that are phrases rather than words ("добрый день" — "день" alone is a content word). */
const GREETING_PHRASE =
  /(?:добр\S*\s+(?:день|дня|утро|утра|вечер|вечера)|доброго\s+времени\s+суток|good\s+(?:morning|afternoon|evening|day))/giu;

interface Analysed {
  /** Normalised words after spelling repair, stop words included (phrases need them). */
  words: string[];
  /** Stems of content words: no stop words, no fillers, no bare numbers. */
  content: string[];
  /** Concept terms of the lexicon groups the text touches. */
  concepts: string[];
}

export function analyseForMatch(text: string, lexicon: Lexicon): Analysed {
  const ws = lexicon.spelled(words(text.replace(GREETING_PHRASE, ' ')));
  const concepts = lexicon.concepts(ws.map(stem));
  const content: string[] = [];
  for (const w of ws) {
    if (STOP_WORDS.has(w) || lexicon.isFiller(w) || /^\d/.test(w)) continue;
    content.push(stem(w));
  }
  return { words: ws, content, concepts };
}

/**
 * One account's published passages, searchable for short messenger questions: the message is repaired
 * (layout, transliteration, emoji, amounts — against this index's own vocabulary), then ranked by BM25
 * over word stems and support-lexicon concepts (an FAQ's question and extra wordings weighted as the
 * question) fused with character-trigram similarity; with vectors, fused again with exact cosine over
 * stored embeddings. The confidence comes from the abstain model (ai.abstain.ts) over the top match.
 */
export class KnowledgeIndex {
  private constructor(
    private readonly bm25: Bm25Index<number>,
    private readonly grams: TrigramIndex,
    private readonly titleGrams: TrigramIndex,
    private readonly bodyGrams: TrigramIndex,
    private readonly chunks: IndexedChunk[],
    private readonly terms: { all: Set<string>; title: Set<string> }[],
    private readonly vectors: (Float32Array | null)[],
    private readonly lexicon: Lexicon,
    private readonly script: Script,
  ) {}

  static build(chunks: SearchableChunk[], opts: IndexOptions = {}): KnowledgeIndex {
    const lexicon = lexiconFor(opts.synonyms);
    // While building, each field is analysed once for BM25 and the coverage sets alike.
    let building: Map<string, Analysed> | null = new Map();
    const analysed = (text: string) => {
      let a = building?.get(text);
      if (!a) {
        a = analyseForMatch(text, lexicon);
        building?.set(text, a);
      }
      return a;
    };
    const analyser = (text: string) => {
      const a = analysed(text);
      return [...a.content, ...a.concepts];
    };
    const bm25 = new Bm25Index<number>({
      analyser,
      titleWeight: MATCH_TUNING.titleWeight,
      b: MATCH_TUNING.b,
      partialWeight: MATCH_TUNING.partialWeight,
    });
    const terms: { all: Set<string>; title: Set<string> }[] = [];
    const gramDocs: string[][] = [];
    const titleDocs: string[][] = [];
    const bodyDocs: string[][] = [];
    let cyrillic = 0;
    let latin = 0;
    chunks.forEach((c, i) => {
      bm25.add(i, { title: c.title, body: c.text });
      const title = analysed(c.title);
      const body = analysed(c.text);
      building!.clear();
      terms.push({
        all: new Set([...title.content, ...title.concepts, ...body.content, ...body.concepts]),
        title: new Set([...title.content, ...title.concepts]),
      });
      const contentWords = (a: Analysed) => a.words.filter((w) => !STOP_WORDS.has(w) && !/^\d/.test(w));
      titleDocs.push(contentWords(title));
      bodyDocs.push(contentWords(body));
      gramDocs.push([...contentWords(title), ...contentWords(body)]);
      const letters = `${c.title} ${c.text}`.slice(0, 2000);
      cyrillic += letters.match(/[а-яё]/giu)?.length ?? 0;
      latin += letters.match(/[a-z]/giu)?.length ?? 0;
    });
    building = null;
    const vectors = chunks.map((c) => (c.embedding ? unit(c.embedding) : null));
    return new KnowledgeIndex(
      bm25,
      new TrigramIndex(gramDocs),
      new TrigramIndex(titleDocs),
      new TrigramIndex(bodyDocs),
      chunks.map(({ embedding: _embedding, ...chunk }) => chunk),
      terms,
      vectors,
      lexicon,
      latin > cyrillic ? 'latin' : 'cyrillic',
    );
  }

  /** Whether a normalised word (either script) is one this account's passages or the lexicon use. */
  private knows = (word: string): boolean => {
    const [w] = this.lexicon.spelled([word]);
    const s = stem(w ?? word);
    return this.bm25.hasTerm(s) || this.lexicon.knownStems.has(s);
  };

  /** The message as the matcher reads it (layout, transliteration, emoji and amounts repaired). */
  repair(query: string): string {
    return repairMessengerText(query, this.knows, this.script);
  }

  /**
   * The best reading of a message: the whole of it, or one of its clauses when that clause alone is a
   * clearer question ("Подскажите адрес сервиса, хочу привезти машинку": the first clause asks, the
   * second explains). Clauses are split at punctuation; only those with two or more words are tried.
   */
  retrieve(query: string, limit: number, queryVector: number[] | null, explain = false): Retrieval {
    const clauses = query
      .split(/[,.!?;:()\n]+|\s[-–—]\s/u)
      .map((c) => c.trim())
      .filter((c) => (c.match(/[\p{L}\p{N}]+/gu)?.length ?? 0) >= 2);
    const whole = this.rank(query, limit, queryVector, explain);
    if (clauses.length < 2) return whole.retrieval;
    const readings = [whole, ...clauses.slice(0, MAX_CLAUSES).map((c) => this.rank(c, limit, queryVector, explain))];
    // The entry the readings support most (the rank model's probabilities summed over readings) is the
    // answer; of the readings that put it first, the surest one speaks for the message.
    const support = new Map<number, number>();
    for (const r of readings) for (const [id, p] of r.probs) support.set(id, (support.get(id) ?? 0) + p);
    let chosen = -1;
    let most = 0;
    for (const [id, p] of support) if (p > most || (p === most && id < chosen)) [chosen, most] = [id, p];
    let best: Retrieval | null = null;
    for (const r of readings) {
      if (r.top !== chosen) continue;
      if (!best || r.retrieval.confidence > best.confidence) best = r.retrieval;
    }
    if (best) return best;
    best = whole.retrieval;
    for (const r of readings) if (r.retrieval.confidence > best.confidence) best = r.retrieval;
    return best;
  }

  /** Every reading of a message (whole, then its clauses) with its re-ranked head, for fitting the rank model. */
  readings(query: string): { articleId: string; x: number[] }[][] {
    const clauses = query
      .split(/[,.!?;:()\n]+|\s[-–—]\s/u)
      .map((c) => c.trim())
      .filter((c) => (c.match(/[\p{L}\p{N}]+/gu)?.length ?? 0) >= 2);
    const texts = clauses.length < 2 ? [query] : [query, ...clauses.slice(0, MAX_CLAUSES)];
    return texts.map((t) => this.rank(t, 1, null, true).retrieval.pool ?? []);
  }

  /** One reading ranked: the retrieval, its top entry and the rank model's probability of each head entry. */
  private rank(
    query: string,
    limit: number,
    queryVector: number[] | null,
    explain = false,
  ): { retrieval: Retrieval; top: number; probs: Map<number, number> } {
    const repaired = this.repair(query);
    const analysed = analyseForMatch(repaired, this.lexicon);
    const lexical = this.bm25.search(repaired, { limit: Math.max(limit, CANDIDATES) });
    const max = this.bm25.maxScore(repaired) || 1;
    const contentWords = analysed.words.filter((w) => !STOP_WORDS.has(w) && !this.lexicon.isFiller(w) && !/^\d/.test(w));
    const grams = this.grams.similarities(contentWords);
    const titleGrams = this.titleGrams.similarities(contentWords);
    const bodyGrams = this.bodyGrams.similarities(contentWords);
    const bm25Of = new Map(lexical.map((h) => [h.id, h.score / max]));
    const candidates = new Set<number>(lexical.map((h) => h.id));
    for (const [id] of [...grams].sort((a, b) => b[1] - a[1]).slice(0, CANDIDATES)) candidates.add(id);
    const share = MATCH_TUNING.trigramShare;
    const fusedScore = (id: number) => (1 - share) * (bm25Of.get(id) ?? 0) + share * Math.max(grams.get(id) ?? 0, titleGrams.get(id) ?? 0);
    const first = [...candidates].map((id) => ({ id, score: fusedScore(id) })).sort((a, b) => b.score - a.score || a.id - b.id);
    // The head of the first ranking is re-ranked by a linear model over per-candidate evidence (RANK_MODEL).
    const terms = this.queryTerms(analysed);
    const pool = first.slice(0, RERANK).map((h, rank) => {
      const x = this.candidateFeatures(h.id, terms, bm25Of, grams, titleGrams, h.score, bodyGrams, rank);
      return { id: h.id, score: rankScore(x), x };
    });
    pool.sort((a, b) => b.score - a.score || a.id - b.id);
    const floor = pool.length ? pool[pool.length - 1]!.score : 0;
    let ranked = [
      ...pool.map(({ id, score }) => ({ id, score })),
      ...first.slice(RERANK).map((h, i) => ({ id: h.id, score: floor - 1 - i })),
    ];
    const features = pool[0] ? this.features(analysed, pool, first, bm25Of, grams, titleGrams, terms, query) : null;
    // Topic check: a product or model the knowledge base does not name is not answered by an entry that
    // merely shares a word with the message ("диван Осло" is not the delivery price).
    const confidence = !features
      ? 0
      : features.unknownName
        ? Math.min(TOPIC_MISS_CAP, abstainConfidence(features))
        : abstainConfidence(features);
    if (queryVector && this.vectors.some(Boolean)) ranked = fuse(ranked.slice(0, CANDIDATES), this.semantic(queryVector));
    const hits = ranked.slice(0, limit).map((h) => ({ chunk: this.chunks[h.id]!, score: h.score }));
    const probs = new Map<number, number>();
    if (pool[0]) {
      const m = pool[0].score;
      let z = Math.exp(-m);
      for (const h of pool) z += Math.exp(h.score - m);
      for (const h of pool) probs.set(h.id, Math.exp(h.score - m) / z);
    }
    const retrieval: Retrieval = explain
      ? { hits, confidence, features, pool: pool.map((h) => ({ articleId: this.chunks[h.id]!.articleId, x: h.x })) }
      : { hits, confidence, features };
    return { retrieval, top: pool[0]?.id ?? -1, probs };
  }

  /**
   * The message's terms (content stems and lexicon concepts), each with the index terms that count as it
   * (itself, its concepts, one-letter typos, partial stems for words the index lacks) and its IDF here.
   */
  private queryTerms(q: Analysed): QueryTerm[] {
    const n = this.bm25.size;
    const idf = (df: number) => Math.log(1 + (n - df + 0.5) / (df + 0.5));
    const out: QueryTerm[] = [];
    for (const t of new Set(q.content)) {
      const near = this.bm25.hasTerm(t) ? [] : this.bm25.nearTerms(t);
      const partial = this.bm25.hasTerm(t) || near.length ? [] : this.bm25.partialTerms(t);
      const same = new Set([t, ...this.lexicon.conceptsOfStem(t), ...near, ...partial]);
      let df = 0;
      for (const s of same) df = Math.max(df, this.bm25.documentFrequency(s));
      const known = df > 0 || this.lexicon.knownStems.has(t);
      out.push({ same, idf: idf(df), concept: false, known });
    }
    for (const c of q.concepts) out.push({ same: new Set([c]), idf: idf(this.bm25.documentFrequency(c)), concept: true, known: true });
    return out;
  }

  private candidateFeatures(
    id: number,
    terms: QueryTerm[],
    bm25Of: Map<number, number>,
    grams: Map<number, number>,
    titleGrams: Map<number, number>,
    first: number,
    bodyGrams: Map<number, number>,
    rank: number,
  ): number[] {
    const doc = this.terms[id]!;
    const has = (t: QueryTerm, set: Set<string>) => {
      for (const s of t.same) if (set.has(s)) return true;
      return false;
    };
    let idfAll = 0;
    let idfIn = 0;
    let idfTitle = 0;
    let words = 0;
    let wordsIn = 0;
    let titleIn = 0;
    let concepts = 0;
    let conceptsTitle = 0;
    for (const t of terms) {
      if (t.concept) {
        concepts++;
        if (has(t, doc.title)) conceptsTitle++;
      }
      idfAll += t.idf;
      const inAll = has(t, doc.all);
      const inTitle = has(t, doc.title);
      if (inAll) idfIn += t.idf;
      if (inTitle) idfTitle += t.idf;
      if (!t.concept) {
        words++;
        if (inAll) wordsIn++;
        if (inTitle) titleIn++;
      }
    }
    const share = (a: number, b: number) => (b > 0 ? a / b : 0);
    const x: Record<RankFeature, number> = {
      first,
      bm25: bm25Of.get(id) ?? 0,
      trigram: grams.get(id) ?? 0,
      titleTrigram: titleGrams.get(id) ?? 0,
      idfCoverage: share(idfIn, idfAll),
      idfTitleCoverage: share(idfTitle, idfAll),
      coverage: share(wordsIn, words),
      titleCoverage: share(titleIn, words),
      bodyTrigram: bodyGrams.get(id) ?? 0,
      conceptsTitle: share(conceptsTitle, concepts),
      reciprocal: 1 / (1 + rank),
    };
    return RANK_FEATURES.map((k) => x[k]);
  }

  private features(
    q: Analysed,
    pool: { id: number; score: number; x: number[] }[],
    first: { id: number; score: number }[],
    bm25Of: Map<number, number>,
    grams: Map<number, number>,
    titleGrams: Map<number, number>,
    terms: QueryTerm[],
    original: string,
  ): MatchFeatures {
    const top = pool[0]!;
    const doc = this.terms[top.id]!;
    const has = (t: QueryTerm, set: Set<string>) => {
      for (const x of t.same) if (set.has(x)) return true;
      return false;
    };
    const content = terms.filter((t) => !t.concept);
    const share = (n: number, d: number) => (d === 0 ? 0 : n / d);
    const conceptHits = q.concepts.filter((c) => doc.all.has(c)).length;
    // Probability of the top entry among the re-ranked head and "none of them" (logit 0): the rank
    // model's scores are logits, so a lone weak candidate is not a sure one.
    let z = Math.exp(-top.score);
    for (const h of pool) z += Math.exp(h.score - top.score);
    const argmax = (m: Map<number, number>) => {
      let best = -1;
      let v = -Infinity;
      for (const [id, s] of m) if (s > v || (s === v && id < best)) [best, v] = [id, s];
      return best;
    };
    const tops = [first[0]?.id, argmax(bm25Of), argmax(grams), argmax(titleGrams)];
    // Share of the message's term weight the top entry lacks but another candidate has.
    let idfAll = 0;
    let elsewhere = 0;
    for (const t of terms) {
      idfAll += t.idf;
      if (!has(t, doc.all) && pool.slice(1).some((h) => has(t, this.terms[h.id]!.all))) elsewhere += t.idf;
    }
    const rankX = Object.fromEntries(RANK_FEATURES.map((k, i) => [k, top.x[i]!])) as Record<RankFeature, number>;
    return {
      strength: bm25Of.get(top.id) ?? 0,
      margin: pool.length > 1 ? 1 - Math.exp((pool[1]!.score - top.score) / 1) : 1,
      coverage: share(content.filter((t) => has(t, doc.all)).length, content.length),
      titleCoverage: share(
        content.filter((t) => has(t, doc.title)).length + q.concepts.filter((c) => doc.title.has(c)).length,
        content.length + q.concepts.length,
      ),
      concepts: share(conceptHits, q.concepts.length),
      unknown: share(content.filter((t) => !t.known).length, content.length),
      trigram: grams.get(top.id) ?? 0,
      titleTrigram: titleGrams.get(top.id) ?? 0,
      terms: content.length + q.concepts.length,
      unknownName: unknownName(original, (w) => this.knows(w)) ? 1 : 0,
      rankProb: 1 / z,
      agreement: share(tops.filter((id) => id === top.id).length, tops.length),
      idfCoverage: rankX.idfCoverage,
      elsewhere: share(elsewhere, idfAll),
    };
  }

  /** Exact cosine over every stored vector: fine for thousands of passages per account. */
  private semantic(queryVector: number[]): { id: number; score: number }[] {
    const q = unit(queryVector);
    const scored: { id: number; score: number }[] = [];
    this.vectors.forEach((v, id) => {
      if (!v || v.length !== q.length) return;
      let dot = 0;
      for (let i = 0; i < q.length; i++) dot += q[i]! * v[i]!;
      scored.push({ id, score: dot });
    });
    return scored.sort((a, b) => b.score - a.score).slice(0, CANDIDATES);
  }
}

const PREPOSITIONS = new Set(['в', 'во', 'на', 'из', 'до', 'по', 'под', 'у', 'к', 'от', 'за', 'через', 'in', 'to', 'at', 'from', 'near']);

/**
 * Topic check: a name the knowledge base does not know, written right after a word it does know —
 * "диван Осло", "кресло Мальмё", "iPhone 15" — is a product or model the FAQ does not cover. A name after
 * a preposition ("в Тюмень") is a place and does not count. Reads the message as written (capitals).
 */
export function unknownName(text: string, knows: (word: string) => boolean): boolean {
  const tokens = text.match(/[\p{L}\p{N}]+/gu) ?? [];
  for (let i = 1; i < tokens.length; i++) {
    const w = tokens[i]!;
    if (!/^\p{Lu}/u.test(w) || w === w.toUpperCase()) continue;
    const prev = tokens[i - 1]!.toLowerCase();
    if (PREPOSITIONS.has(prev) || STOP_WORDS.has(prev) || !knows(prev)) continue;
    if (!knows(w.toLowerCase())) return true;
  }
  return false;
}

/** The concept prefix, re-exported for tests that inspect terms. */
export { CONCEPT_PREFIX };

function unit(v: number[]): Float32Array {
  const out = Float32Array.from(v);
  let norm = 0;
  for (const x of out) norm += x * x;
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < out.length; i++) out[i]! /= norm;
  return out;
}

function fuse(...rankings: { id: number; score: number }[][]): { id: number; score: number }[] {
  const fused = new Map<number, number>();
  for (const ranking of rankings) ranking.forEach((h, rank) => fused.set(h.id, (fused.get(h.id) ?? 0) + 1 / (RRF_K + rank + 1)));
  return [...fused].map(([id, score]) => ({ id, score })).sort((a, b) => b.score - a.score);
}
