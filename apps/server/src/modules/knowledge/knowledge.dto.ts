import type { Article, ReindexStatus } from '@switchboard/shared';
import type { ArticleRow } from './knowledge.repository.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toArticle(r: ArticleRow): Article {
  return {
    id: r.id,
    kind: r.kind,
    title: r.title,
    question: r.question,
    answer: r.answer,
    alternatives: r.alternatives,
    category: r.category,
    published: r.published,
    version: r.version,
    fileName: r.fileName,
    mimeType: r.mimeType,
    sizeBytes: r.sizeBytes,
    indexStatus: r.indexStatus,
    indexError: r.indexError,
    chunkCount: r.chunkCount,
    ocr: r.ocrPagesTotal > 0 ? { pagesTotal: r.ocrPagesTotal, pagesDone: r.ocrPagesDone, pagesToReview: r.ocrPagesToReview } : null,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

export function toReindexStatus(
  s: { reindexTotal: number; reindexDone: number; reindexStartedAt: Date | null; reindexFinishedAt: Date | null } | undefined,
): ReindexStatus {
  if (!s) return { running: false, total: 0, done: 0, startedAt: null, finishedAt: null };
  return {
    running: s.reindexStartedAt !== null && s.reindexFinishedAt === null && s.reindexTotal > 0,
    total: s.reindexTotal,
    done: s.reindexDone,
    startedAt: iso(s.reindexStartedAt),
    finishedAt: iso(s.reindexFinishedAt),
  };
}
