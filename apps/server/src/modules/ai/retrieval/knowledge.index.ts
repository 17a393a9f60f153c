import type { SearchableChunk } from '../../knowledge/knowledge.repository.js';
import { retrievalConfidence } from '../ai.confidence.js';
import { analyse } from '../text/text.tokenise.js';
import { Bm25Index } from './bm25.js';

/** A passage as search results carry it (its embedding stays in the index). */
export type IndexedChunk = Omit<SearchableChunk, 'embedding'>;

export interface SearchHit {
  chunk: IndexedChunk;
  /** BM25 score, or the reciprocal-rank-fusion score when vectors take part. */
  score: number;
}

export interface Retrieval {
  hits: SearchHit[];
  /** Calibrated probability that the top passage answers the query. */
  confidence: number;
}

/** Reciprocal-rank-fusion constant (Cormack et al.): damps the head so both rankings count. */
const RRF_K = 60;
const CANDIDATES = 50;

/**
 * One account's published passages, searchable: BM25 over their text, fused with exact cosine over
 * their stored embeddings when the query has a vector too.
 */
export class KnowledgeIndex {
  private constructor(
    private readonly bm25: Bm25Index<number>,
    private readonly chunks: IndexedChunk[],
    private readonly vectors: (Float32Array | null)[],
  ) {}

  static build(chunks: SearchableChunk[]): KnowledgeIndex {
    const bm25 = new Bm25Index<number>();
    chunks.forEach((c, i) => bm25.add(i, { title: c.title, body: c.text }));
    const vectors = chunks.map((c) => (c.embedding ? unit(c.embedding) : null));
    return new KnowledgeIndex(
      bm25,
      chunks.map(({ embedding: _embedding, ...chunk }) => chunk),
      vectors,
    );
  }

  retrieve(query: string, limit: number, queryVector: number[] | null): Retrieval {
    const lexical = this.bm25.search(query, { limit: Math.max(limit, CANDIDATES) });
    const top = lexical[0] ? this.chunks[lexical[0].id]! : undefined;
    const confidence = retrievalConfidence(
      analyse(query),
      lexical.map((h) => h.score),
      top ? analyse(`${top.title}\n${top.text}`) : [],
      this.bm25.maxScore(query),
    );
    let ranked: { id: number; score: number }[] = lexical;
    if (queryVector && this.vectors.some(Boolean)) ranked = fuse(lexical, this.semantic(queryVector));
    return { hits: ranked.slice(0, limit).map((h) => ({ chunk: this.chunks[h.id]!, score: h.score })), confidence };
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
