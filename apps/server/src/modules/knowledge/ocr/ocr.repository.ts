import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../../platform/db/client.js';
import type { Tx } from '../../../platform/db/transaction.js';
import { knowledgeArticles, knowledgeOcrPages } from '../../../platform/db/schema.ai.js';

export type OcrPageRow = typeof knowledgeOcrPages.$inferSelect;

/** The SQL of scanned pages. Every query is scoped by account. */
export class OcrRepository {
  constructor(private readonly db: Db) {}

  /** Lists a new document's scanned pages as waiting for OCR and counts them on the article. */
  async plan(tx: Tx, accountId: string, articleId: string, pages: number[]): Promise<void> {
    if (pages.length === 0) return;
    await tx.db.insert(knowledgeOcrPages).values(pages.map((page) => ({ accountId, articleId, page })));
    await tx.db
      .update(knowledgeArticles)
      .set({ ocrPagesTotal: pages.length, ocrPagesDone: 0, ocrPagesToReview: 0 })
      .where(and(eq(knowledgeArticles.accountId, accountId), eq(knowledgeArticles.id, articleId)));
  }

  pages(db: Db, accountId: string, articleId: string): Promise<OcrPageRow[]> {
    const p = knowledgeOcrPages;
    return db
      .select()
      .from(p)
      .where(and(eq(p.accountId, accountId), eq(p.articleId, articleId)))
      .orderBy(asc(p.page));
  }

  /** Stores one page's reading (once: a page already read is left as it is) and moves the article's counters. */
  async saveReading(
    tx: Tx,
    accountId: string,
    articleId: string,
    page: number,
    reading: { text: string; confidence: number | null; needsReview: boolean },
  ): Promise<void> {
    const p = knowledgeOcrPages;
    const saved = await tx.db
      .update(p)
      .set({ ...reading, recognisedAt: new Date() })
      .where(and(eq(p.accountId, accountId), eq(p.articleId, articleId), eq(p.page, page), isNull(p.recognisedAt)))
      .returning({ page: p.page });
    if (saved.length === 0) return;
    const a = knowledgeArticles;
    await tx.db
      .update(a)
      .set({
        ocrPagesDone: sql`${a.ocrPagesDone} + 1`,
        ocrPagesToReview: reading.needsReview ? sql`${a.ocrPagesToReview} + 1` : a.ocrPagesToReview,
      })
      .where(and(eq(a.accountId, accountId), eq(a.id, articleId)));
  }

  /** The recognised text of every read page, by page number: what the document's passages are built from. */
  async texts(accountId: string, articleId: string): Promise<Record<number, string>> {
    const rows = await this.pages(this.db, accountId, articleId);
    return Object.fromEntries(rows.flatMap((r) => (r.text === null ? [] : [[r.page, r.text]])));
  }
}
