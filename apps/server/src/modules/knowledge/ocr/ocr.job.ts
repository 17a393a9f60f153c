import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AppContext } from '../../../context.js';
import { transaction } from '../../../platform/db/transaction.js';
import { AppError } from '../../../platform/http/errors.js';
import { defineJob } from '../../../platform/queue/queue.js';
import { documentChunks } from '../knowledge.chunks.js';
import { setStatus } from '../knowledge.index.job.js';
import { KnowledgeRepository, type ArticleRow } from '../knowledge.repository.js';
import { isPdf, OCR_LOW_CONFIDENCE, ocrUnavailable, recognisePage } from './ocr.engine.js';
import { OcrRepository } from './ocr.repository.js';

/**
 * `knowledge.ocr`: reads a document's scanned pages one by one (each reading is stored at once, so
 * progress is live and a restart resumes at the next page), then builds the document's passages from
 * its text layer and the recognised pages. Embeddings, when configured, follow in `knowledge.index`.
 */
export const knowledgeOcrJob = defineJob<'knowledge.ocr', AppContext>({
  name: 'knowledge.ocr',
  // OCR takes a core for seconds per page: one document at a time per process.
  concurrency: 1,
  options: { retryLimit: 2, retryDelay: 30, retryBackoff: true, expireInSeconds: 3 * 3600 },
  async handler({ accountId, articleId }, _meta, ctx) {
    const repo = new KnowledgeRepository(ctx.db);
    const ocr = new OcrRepository(ctx.db);
    const article = await repo.get(ctx.db, accountId, articleId);
    if (!article) return; // deleted meanwhile
    const unavailable = await ocrUnavailable();
    if (unavailable) return fail(ctx, repo, article, `Scanned pages cannot be read on this server: ${unavailable}.`);
    const file = await repo.file(accountId, articleId);
    if (!file) return fail(ctx, repo, article, 'The original file is missing; upload it again.');
    await setStatus(ctx, repo, article, 'indexing', null);

    const dir = await mkdtemp(path.join(tmpdir(), 'switchboard-ocr-'));
    try {
      const source = path.join(dir, 'source');
      await writeFile(source, file);
      const format = isPdf(file) ? 'pdf' : 'image';
      for (const page of await ocr.pages(ctx.db, accountId, articleId)) {
        if (page.recognisedAt) continue; // read before a restart
        let reading;
        try {
          reading = await recognisePage({ path: source, format }, page.page, dir);
        } catch (err) {
          // A page tesseract or pdftoppm cannot read (or that takes past its deadline) will not read on a retry either.
          ctx.log.warn({ articleId, page: page.page, err }, 'knowledge.ocr: a page could not be read');
          return await fail(ctx, repo, article, `Page ${page.page} could not be read: it may be damaged or too large.`);
        }
        await transaction(ctx.pool, async (tx) => {
          const needsReview = reading.confidence === null || reading.confidence < OCR_LOW_CONFIDENCE;
          await ocr.saveReading(tx, accountId, articleId, page.page, { ...reading, needsReview });
          await ctx.bus.publish(tx, accountId, 'knowledge.updated', { articleId, ocrPage: page.page });
        });
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }

    let chunks;
    try {
      ({ chunks } = await documentChunks(article, file, { ocrTexts: await ocr.texts(accountId, articleId) }));
    } catch (err) {
      if (err instanceof AppError && err.code === 'service_unavailable') throw err; // parse line full: retried
      return fail(ctx, repo, article, err instanceof Error ? err.message : String(err));
    }
    const embed = await ctx.ai.embeddingsEnabled(accountId);
    await transaction(ctx.pool, async (tx) => {
      if (!(await repo.lock(tx, accountId, articleId))) return;
      await repo.replaceChunks(tx, accountId, articleId, chunks);
      await repo.update(tx, accountId, articleId, {
        chunkCount: chunks.length,
        indexStatus: embed ? 'pending' : 'ready',
        indexError: null,
      });
      if (embed) await ctx.queue.send(tx, 'knowledge.index', { accountId, articleId, run: false });
      await repo.bumpIndexVersion(tx, accountId);
      tx.afterCommit(() => ctx.ai.forgetRouting(accountId));
      await ctx.bus.publish(tx, accountId, 'knowledge.updated', { articleId, indexStatus: embed ? 'pending' : 'ready' });
    });
  },
});

/** A permanent failure: shown on the article with its reason, not retried. */
const fail = (ctx: AppContext, repo: KnowledgeRepository, a: ArticleRow, reason: string) => setStatus(ctx, repo, a, 'failed', reason);
