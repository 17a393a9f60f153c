import { Bm25Index } from './retrieval/bm25.js';
import { analyse } from './text/text.tokenise.js';
import type { KnowledgeRepository, SearchableChunk } from '../knowledge/knowledge.repository.js';
import { retrievalConfidence } from './ai.confidence.js';

export interface SearchHit {
  chunk: SearchableChunk;
  /** BM25 score, or the reciprocal-rank-fusion score when vectors take part. */
  score: number;
}

export interface Retrieval {
  hits: SearchHit[];
  /** Calibrated probability that the top passage answers the query. */
  confidence: number;
}

interface AccountIndex {
  version: number;
  bm25: Bm25Index<number>;
  chunks: SearchableChunk[];
  vectors: (Float32Array | null)[];
}

/** Reciprocal-rank-fusion constant (Cormack et al.): damps the head so both rankings count. */
const RRF_K = 60;
const CANDIDATES = 50;

/**
 * Knowledge search, strictly per account: an in-memory BM25 index per account, rebuilt when the
 * account's index version moves (one cheap read per query), fused with exact cosine over stored
 * embeddings when the account has an embedding endpoint.
 */
export class KnowledgeSearch {
  private readonly indexes = new Map<string, AccountIndex>();
  private readonly building = new Map<string, Promise<AccountIndex>>();

  constructor(private readonly repo: KnowledgeRepository) {}

  async retrieve(accountId: string, query: string, limit: number, queryVector?: number[] | null): Promise<Retrieval> {
    const index = await this.index(accountId);
    const lexical = index.bm25.search(query, { limit: Math.max(limit, CANDIDATES) });
    const confidence = retrievalConfidence(
      analyse(query),
      lexical.map((h) => h.score),
      lexical[0] ? analyse(`${index.chunks[lexical[0].id]!.title}\n${index.chunks[lexical[0].id]!.text}`) : [],
      index.bm25.maxScore(query),
    );
    let ranked: { id: number; score: number }[] = lexical;
    if (queryVector && index.vectors.some(Boolean)) ranked = fuse(lexical, semantic(index, queryVector));
    return { hits: ranked.slice(0, limit).map((h) => ({ chunk: index.chunks[h.id]!, score: h.score })), confidence };
  }

  /** Drops every cached index (tests; memory pressure). */
  clear(): void {
    this.indexes.clear();
  }

  private async index(accountId: string): Promise<AccountIndex> {
    const version = await this.repo.indexVersion(accountId);
    const cached = this.indexes.get(accountId);
    if (cached && cached.version === version) return cached;
    // One build per account at a time; concurrent queries wait for it.
    let pending = this.building.get(accountId);
    if (!pending) {
      pending = this.build(accountId, version).finally(() => this.building.delete(accountId));
      this.building.set(accountId, pending);
    }
    return pending;
  }

  private async build(accountId: string, version: number): Promise<AccountIndex> {
    const chunks = await this.repo.searchable(accountId);
    const bm25 = new Bm25Index<number>();
    chunks.forEach((c, i) => bm25.add(i, { title: c.title, body: c.text }));
    const vectors = chunks.map((c) => (c.embedding ? unit(c.embedding) : null));
    const index = { version, bm25, chunks, vectors };
    this.indexes.set(accountId, index);
    return index;
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

/** Exact cosine over every stored vector: fine for thousands of passages per account. */
function semantic(index: AccountIndex, queryVector: number[]): { id: number; score: number }[] {
  const q = unit(queryVector);
  const scored: { id: number; score: number }[] = [];
  index.vectors.forEach((v, id) => {
    if (!v || v.length !== q.length) return;
    let dot = 0;
    for (let i = 0; i < q.length; i++) dot += q[i]! * v[i]!;
    scored.push({ id, score: dot });
  });
  return scored.sort((a, b) => b.score - a.score).slice(0, CANDIDATES);
}

function fuse(...rankings: { id: number; score: number }[][]): { id: number; score: number }[] {
  const fused = new Map<number, number>();
  for (const ranking of rankings) ranking.forEach((h, rank) => fused.set(h.id, (fused.get(h.id) ?? 0) + 1 / (RRF_K + rank + 1)));
  return [...fused].map(([id, score]) => ({ id, score })).sort((a, b) => b.score - a.score);
}
