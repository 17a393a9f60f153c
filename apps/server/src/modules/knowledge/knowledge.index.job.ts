import type { AppContext } from '../../context.js';
import { transaction } from '../../platform/db/transaction.js';
import { AppError } from '../../platform/http/errors.js';
import { defineJob } from '../../platform/queue/queue.js';
import { documentChunks, faqChunks } from './knowledge.chunks.js';
import { KnowledgeRepository, type ArticleRow, type ChunkInsert } from './knowledge.repository.js';
import { OcrRepository } from './ocr/ocr.repository.js';

/**
 * `knowledge.index`: (re)builds one article's passages — re-parsing a stored document when `run`
 * marks a whole-account re-index — and embeds them when an embedding endpoint is configured.
 * Idempotent: it always rebuilds from the article's current state; a deleted article is skipped.
 */
export const knowledgeIndexJob = defineJob<'knowledge.index', AppContext>({
  name: 'knowledge.index',
  concurrency: 2,
  options: { retryLimit: 3, retryDelay: 10, retryBackoff: true, expireInSeconds: 600 },
  async handler({ accountId, articleId, run }, _meta, ctx) {
    const repo = new KnowledgeRepository(ctx.db);
    const article = await repo.get(ctx.db, accountId, articleId);
    if (!article) {
      ctx.log.info({ articleId }, 'knowledge.index skipped: the article was deleted');
      if (run) await step(ctx, repo, accountId);
      return;
    }
    if (article.ocrPagesDone < article.ocrPagesTotal) {
      // Its scanned pages are still being read: `knowledge.ocr` indexes it when done.
      if (run) await step(ctx, repo, accountId);
      return;
    }
    await setStatus(ctx, repo, article, 'indexing', null);
    let chunks: ChunkInsert[];
    try {
      chunks = await buildChunks(ctx, repo, article, run);
    } catch (err) {
      // The parse line is full: a passing condition, so pg-boss retries later.
      if (err instanceof AppError && err.code === 'service_unavailable') throw err;
      // A file that no longer parses is a permanent failure: shown on the article, not retried.
      await setStatus(ctx, repo, article, 'failed', err instanceof Error ? err.message : String(err));
      if (run) await step(ctx, repo, accountId);
      return;
    }
    await transaction(ctx.pool, async (tx) => {
      const current = await repo.lock(tx, accountId, articleId);
      if (!current || current.version !== article.version) return; // edited meanwhile: that edit re-indexes
      await repo.replaceChunks(tx, accountId, articleId, chunks);
      await repo.update(tx, accountId, articleId, { chunkCount: chunks.length, indexStatus: 'ready', indexError: null });
      await repo.bumpIndexVersion(tx, accountId);
      await ctx.bus.publish(tx, accountId, 'knowledge.updated', { articleId });
    });
    if (run) await step(ctx, repo, accountId);
  },
});

async function buildChunks(ctx: AppContext, repo: KnowledgeRepository, article: ArticleRow, rebuild: boolean): Promise<ChunkInsert[]> {
  let chunks: ChunkInsert[];
  if (article.kind === 'faq') {
    chunks = faqChunks(article);
  } else if (rebuild) {
    const file = await repo.file(article.accountId, article.id);
    if (!file) throw new Error('The original file is missing; upload it again.');
    // Scanned pages are never read again: their stored OCR text is used.
    const ocrTexts = article.ocrPagesTotal > 0 ? await new OcrRepository(ctx.db).texts(article.accountId, article.id) : undefined;
    chunks = (await documentChunks(article, file, ocrTexts ? { ocrTexts } : {})).chunks;
  } else {
    const stored = await repo.chunks(article.accountId, article.id);
    chunks = stored.map((c) => ({ ...c, accountId: article.accountId, articleId: article.id, title: c.headingPath.join(' / ') }));
  }
  const embeddings = await ctx.ai.embed(
    article.accountId,
    chunks.map((c) => `${c.title ?? ''}\n${c.text}`.trim()),
  );
  return embeddings ? chunks.map((c, i) => ({ ...c, embedding: embeddings[i] ?? null })) : chunks;
}

/** Sets an article's index status (and reason) and tells the open pages. */
export async function setStatus(
  ctx: AppContext,
  repo: KnowledgeRepository,
  a: ArticleRow,
  status: ArticleRow['indexStatus'],
  error: string | null,
) {
  await transaction(ctx.pool, async (tx) => {
    await repo.update(tx, a.accountId, a.id, { indexStatus: status, indexError: error });
    await ctx.bus.publish(tx, a.accountId, 'knowledge.updated', { articleId: a.id, indexStatus: status });
  });
}

async function step(ctx: AppContext, repo: KnowledgeRepository, accountId: string) {
  await transaction(ctx.pool, async (tx) => {
    const progress = await repo.reindexStep(tx, accountId);
    await ctx.bus.publish(tx, accountId, 'knowledge.updated', { reindex: progress });
  });
}
