import type { KnowledgeRepository } from '../knowledge/knowledge.repository.js';
import type { AnalysisThread } from './ai.analysis.client.js';
import { forAnalysis } from './text/text.limits.js';
import type { Retrieval } from './retrieval/knowledge.index.js';

export type { Retrieval, SearchHit } from './retrieval/knowledge.index.js';

/** The analysis thread kept losing the account's index (replaced while it loaded): the server's trouble, worth a retry. */
export class IndexNotLoaded extends Error {
  override readonly name = 'IndexNotLoaded';
}

/**
 * Knowledge search, strictly per account. The index lives in the analysis thread; this side reads the
 * account's index version (one cheap query) and, when the thread holds an older index or none, loads the
 * passages and sends them over. Only the first AI_TEXT_LIMIT characters of a query are read.
 */
export class KnowledgeSearch {
  private readonly loading = new Map<string, Promise<void>>();

  constructor(
    private readonly repo: KnowledgeRepository,
    private readonly analysis: AnalysisThread,
  ) {}

  /** @throws ThreadStopped when the search was stopped at its time limit; IndexNotLoaded. */
  async retrieve(
    accountId: string,
    query: string,
    limit: number,
    vector: number[] | null = null,
    synonyms: string[] = [],
  ): Promise<Retrieval> {
    const version = await this.repo.indexVersion(accountId);
    const task = { kind: 'retrieve', accountId, version, query: forAnalysis(query), limit, vector, synonyms } as const;
    // A fresh thread (after a restart) may hold nothing yet: load once, then once more if it was replaced meanwhile.
    for (let attempt = 0; ; attempt++) {
      const found = await this.analysis.run(task);
      if (found !== 'missing') return found;
      if (attempt === 2) throw new IndexNotLoaded('the knowledge index could not be loaded into the analysis thread');
      await this.load(accountId, version, synonyms);
    }
  }

  /** One load per account and version at a time; concurrent queries wait for it. */
  private load(accountId: string, version: number, synonyms: string[]): Promise<void> {
    const key = `${accountId}:${version}:${synonyms.join('\n')}`;
    let pending = this.loading.get(key);
    if (!pending) {
      pending = this.repo
        .searchable(accountId)
        .then((chunks) => this.analysis.run({ kind: 'index', accountId, version, chunks, synonyms }))
        .then(() => undefined)
        .finally(() => this.loading.delete(key));
      this.loading.set(key, pending);
    }
    return pending;
  }
}
