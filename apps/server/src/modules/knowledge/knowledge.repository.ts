import { and, asc, desc, eq, ilike, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import type { Tx } from '../../platform/db/transaction.js';
import {
  knowledgeArticles,
  knowledgeArticleVersions,
  knowledgeChunks,
  knowledgeFiles,
  knowledgeIndexState,
} from '../../platform/db/schema.ai.js';

export type ArticleRow = typeof knowledgeArticles.$inferSelect;
export type ArticleInsert = typeof knowledgeArticles.$inferInsert;
export type ChunkInsert = Omit<typeof knowledgeChunks.$inferInsert, 'id' | 'createdAt'>;

export interface ArticleFilter {
  kind: 'faq' | 'document' | 'all';
  published: 'true' | 'false' | 'all';
  q?: string | undefined;
  limit: number;
  after?: { updatedAt: Date; id: string } | undefined;
}

/** A chunk as the search index loads it: the passage, its article and what makes it searchable. */
export interface SearchableChunk {
  id: string;
  articleId: string;
  kind: 'faq' | 'document';
  articleTitle: string;
  headingPath: string[];
  title: string;
  text: string;
  category: string | null;
  embedding: number[] | null;
}

/** The only SQL of the knowledge base. Every query is scoped by account. */
export class KnowledgeRepository {
  constructor(private readonly db: Db) {}

  /** The sections (article categories) the account's knowledge base uses, with how many entries each. */
  async sections(accountId: string): Promise<{ name: string; articles: number }[]> {
    const { rows } = await this.db.execute<{ name: string; articles: number }>(sql`
      select category as name, count(*)::int as articles from knowledge_articles
      where account_id = ${accountId} and category is not null and category <> ''
      group by category order by lower(category) limit 500`);
    return rows;
  }

  async list(accountId: string, f: ArticleFilter): Promise<ArticleRow[]> {
    const a = knowledgeArticles;
    const where: (SQL | undefined)[] = [eq(a.accountId, accountId)];
    if (f.kind !== 'all') where.push(eq(a.kind, f.kind));
    if (f.published !== 'all') where.push(eq(a.published, f.published === 'true'));
    if (f.q) {
      const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      where.push(or(ilike(a.title, like), ilike(a.question, like), ilike(a.answer, like), ilike(a.fileName, like)));
    }
    if (f.after) where.push(or(lt(a.updatedAt, f.after.updatedAt), and(eq(a.updatedAt, f.after.updatedAt), lt(a.id, f.after.id))));
    return this.db
      .select()
      .from(a)
      .where(and(...where))
      .orderBy(desc(a.updatedAt), desc(a.id))
      .limit(f.limit);
  }

  async get(db: Db, accountId: string, id: string): Promise<ArticleRow | undefined> {
    const [row] = await db
      .select()
      .from(knowledgeArticles)
      .where(and(eq(knowledgeArticles.accountId, accountId), eq(knowledgeArticles.id, id)));
    return row;
  }

  /** Locks the article row for an edit or an index run (serialises concurrent writers). */
  async lock(tx: Tx, accountId: string, id: string): Promise<ArticleRow | undefined> {
    const [row] = await tx.db
      .select()
      .from(knowledgeArticles)
      .where(and(eq(knowledgeArticles.accountId, accountId), eq(knowledgeArticles.id, id)))
      .for('update');
    return row;
  }

  async insert(tx: Tx, row: ArticleInsert): Promise<ArticleRow> {
    const [created] = await tx.db.insert(knowledgeArticles).values(row).returning();
    return created!;
  }

  async update(tx: Tx, accountId: string, id: string, patch: Partial<ArticleInsert>): Promise<ArticleRow> {
    const [row] = await tx.db
      .update(knowledgeArticles)
      .set({ ...patch, updatedAt: sql`now()` })
      .where(and(eq(knowledgeArticles.accountId, accountId), eq(knowledgeArticles.id, id)))
      .returning();
    return row!;
  }

  async delete(tx: Tx, accountId: string, id: string): Promise<boolean> {
    const rows = await tx.db
      .delete(knowledgeArticles)
      .where(and(eq(knowledgeArticles.accountId, accountId), eq(knowledgeArticles.id, id)))
      .returning({ id: knowledgeArticles.id });
    return rows.length > 0;
  }

  async addVersion(tx: Tx, row: ArticleRow, editedBy: string | null): Promise<void> {
    const { accountId, id, version, title, question, answer, alternatives, category, published, fileName } = row;
    await tx.db.insert(knowledgeArticleVersions).values({
      accountId,
      articleId: id,
      version,
      editedBy,
      snapshot: { title, question, answer, alternatives, category, published, fileName },
    });
  }

  versions(accountId: string, articleId: string) {
    const v = knowledgeArticleVersions;
    return this.db
      .select()
      .from(v)
      .where(and(eq(v.accountId, accountId), eq(v.articleId, articleId)))
      .orderBy(desc(v.version));
  }

  async saveFile(tx: Tx, accountId: string, articleId: string, content: Buffer): Promise<void> {
    await tx.db.insert(knowledgeFiles).values({ accountId, articleId, content });
  }

  async file(accountId: string, articleId: string): Promise<Buffer | undefined> {
    const [row] = await this.db
      .select({ content: knowledgeFiles.content })
      .from(knowledgeFiles)
      .where(and(eq(knowledgeFiles.accountId, accountId), eq(knowledgeFiles.articleId, articleId)));
    return row?.content;
  }

  chunks(accountId: string, articleId: string) {
    const c = knowledgeChunks;
    return this.db
      .select({ id: c.id, ordinal: c.ordinal, headingPath: c.headingPath, text: c.text, language: c.language })
      .from(c)
      .where(and(eq(c.accountId, accountId), eq(c.articleId, articleId)))
      .orderBy(asc(c.ordinal));
  }

  /** Swaps an article's passages for new ones in the caller's transaction. */
  async replaceChunks(tx: Tx, accountId: string, articleId: string, chunks: ChunkInsert[]): Promise<void> {
    await tx.db.delete(knowledgeChunks).where(and(eq(knowledgeChunks.accountId, accountId), eq(knowledgeChunks.articleId, articleId)));
    for (let i = 0; i < chunks.length; i += 500) await tx.db.insert(knowledgeChunks).values(chunks.slice(i, i + 500));
  }

  /** Moves the account's index version: every process rebuilds its in-memory index on next use. */
  async bumpIndexVersion(tx: Tx, accountId: string): Promise<void> {
    await tx.db
      .insert(knowledgeIndexState)
      .values({ accountId, version: 1 })
      .onConflictDoUpdate({ target: knowledgeIndexState.accountId, set: { version: sql`${knowledgeIndexState.version} + 1` } });
  }

  async indexVersion(accountId: string): Promise<number> {
    const [row] = await this.db
      .select({ version: knowledgeIndexState.version })
      .from(knowledgeIndexState)
      .where(eq(knowledgeIndexState.accountId, accountId));
    return row?.version ?? 0;
  }

  /** Published passages of an account, as the search index needs them. */
  async searchable(accountId: string): Promise<SearchableChunk[]> {
    const c = knowledgeChunks;
    const a = knowledgeArticles;
    return this.db
      .select({
        id: c.id,
        articleId: c.articleId,
        kind: a.kind,
        articleTitle: a.title,
        headingPath: c.headingPath,
        title: c.title,
        text: c.text,
        category: a.category,
        embedding: c.embedding,
      })
      .from(c)
      .innerJoin(a, eq(a.id, c.articleId))
      .where(and(eq(c.accountId, accountId), eq(a.published, true)))
      .orderBy(asc(c.articleId), asc(c.ordinal));
  }

  reindexState(accountId: string) {
    return this.db.select().from(knowledgeIndexState).where(eq(knowledgeIndexState.accountId, accountId));
  }

  async startReindex(tx: Tx, accountId: string): Promise<string[]> {
    // Articles first, then the state row: the order the index job locks them in (the other order deadlocked).
    const ids = await tx.db
      .update(knowledgeArticles)
      .set({ indexStatus: 'pending' })
      .where(eq(knowledgeArticles.accountId, accountId))
      .returning({ id: knowledgeArticles.id });
    await tx.db
      .insert(knowledgeIndexState)
      .values({ accountId, reindexTotal: ids.length, reindexDone: 0, reindexStartedAt: new Date() })
      .onConflictDoUpdate({
        target: knowledgeIndexState.accountId,
        set: { reindexTotal: ids.length, reindexDone: 0, reindexStartedAt: sql`now()`, reindexFinishedAt: null },
      });
    return ids.map((r) => r.id);
  }

  /** Counts one article of a re-index run as done; returns the run's progress. */
  async reindexStep(tx: Tx, accountId: string): Promise<{ done: number; total: number }> {
    const { rows } = await tx.client.query<{ reindex_done: number; reindex_total: number }>(
      `update knowledge_index_state set reindex_done = least(reindex_done + 1, reindex_total),
         reindex_finished_at = case when reindex_done + 1 >= reindex_total then now() else reindex_finished_at end
       where account_id = $1 returning reindex_done, reindex_total`,
      [accountId],
    );
    return { done: rows[0]?.reindex_done ?? 0, total: rows[0]?.reindex_total ?? 0 };
  }
}
