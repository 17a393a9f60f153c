import { and, asc, count, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import type { Tx } from '../../platform/db/transaction.js';
import { knowledgeArticles } from '../../platform/db/schema.ai.js';
import { evaluationCases } from '../../platform/db/schema.learning.js';

export type CaseInsert = Omit<typeof evaluationCases.$inferInsert, 'id' | 'createdAt'>;
export const MAX_CASES = 2000;

const caseColumns = {
  id: evaluationCases.id,
  question: evaluationCases.question,
  expectedArticleId: evaluationCases.expectedArticleId,
  expectedTitle: knowledgeArticles.title,
  source: evaluationCases.source,
  createdAt: evaluationCases.createdAt,
};
export interface CaseRow {
  id: string;
  question: string;
  expectedArticleId: string | null;
  expectedTitle: string | null;
  source: 'upload' | 'conversation' | 'manual';
  createdAt: Date;
}

/** SQL of the account's evaluation set. */
export class EvaluationRepository {
  constructor(private readonly db: Db) {}

  async list(accountId: string, limit = MAX_CASES): Promise<CaseRow[]> {
    return this.db
      .select(caseColumns)
      .from(evaluationCases)
      .leftJoin(knowledgeArticles, eq(knowledgeArticles.id, evaluationCases.expectedArticleId))
      .where(eq(evaluationCases.accountId, accountId))
      .orderBy(asc(evaluationCases.createdAt), asc(evaluationCases.id))
      .limit(limit);
  }

  async count(accountId: string): Promise<number> {
    const [row] = await this.db.select({ n: count() }).from(evaluationCases).where(eq(evaluationCases.accountId, accountId));
    return row?.n ?? 0;
  }

  async get(accountId: string, id: string): Promise<CaseRow | undefined> {
    const [row] = await this.db
      .select(caseColumns)
      .from(evaluationCases)
      .leftJoin(knowledgeArticles, eq(knowledgeArticles.id, evaluationCases.expectedArticleId))
      .where(and(eq(evaluationCases.accountId, accountId), eq(evaluationCases.id, id)));
    return row;
  }

  /** Inserts the cases whose question the set does not hold yet; returns how many were new. */
  async insertMany(tx: Tx, rows: CaseInsert[]): Promise<{ created: number; ids: string[] }> {
    if (rows.length === 0) return { created: 0, ids: [] };
    const inserted = await tx.db.insert(evaluationCases).values(rows).onConflictDoNothing().returning({ id: evaluationCases.id });
    return { created: inserted.length, ids: inserted.map((r) => r.id) };
  }

  async delete(accountId: string, id: string): Promise<boolean> {
    const rows = await this.db
      .delete(evaluationCases)
      .where(and(eq(evaluationCases.accountId, accountId), eq(evaluationCases.id, id)))
      .returning({ id: evaluationCases.id });
    return rows.length > 0;
  }

  async clear(accountId: string): Promise<number> {
    const rows = await this.db
      .delete(evaluationCases)
      .where(eq(evaluationCases.accountId, accountId))
      .returning({ id: evaluationCases.id });
    return rows.length;
  }

  /** The account's FAQ entries (id, title, question), to resolve "expected" cells and check ids. */
  async faqEntries(accountId: string, ids?: string[]) {
    return this.db
      .select({ id: knowledgeArticles.id, title: knowledgeArticles.title, question: knowledgeArticles.question })
      .from(knowledgeArticles)
      .where(
        and(
          eq(knowledgeArticles.accountId, accountId),
          eq(knowledgeArticles.kind, 'faq'),
          ...(ids ? [inArray(knowledgeArticles.id, ids.length > 0 ? ids : ['00000000-0000-0000-0000-000000000000'])] : []),
        ),
      );
  }

  /**
   * Question → FAQ pairs the account's own conversations already settled: wordings operators added, suggestions
   * they sent (as is or edited) from an FAQ entry, and bot answers from an FAQ entry after which nobody asked
   * for a person in that conversation.
   */
  async pairsFromConversations(
    accountId: string,
    limit: number,
  ): Promise<{ question: string; articleId: string; conversationId: string }[]> {
    const { rows } = await this.db.execute(sql`
      with pairs as (
        select o.question, o.article_id, o.conversation_id, o.created_at
          from ai_wording_offers o
          where o.account_id = ${accountId} and o.status in ('added', 'auto_added')
        union all
        select q.text, (s.sources->0->>'articleId')::uuid, s.conversation_id, s.created_at
          from ai_suggestions s join messages q on q.id = s.for_message_id
          where s.account_id = ${accountId} and s.status in ('sent', 'edited') and s.sources->0->>'kind' = 'faq'
        union all
        select q.text, (a.ai->'sources'->0->>'articleId')::uuid, a.conversation_id, a.created_at
          from messages a
          join lateral (
            select m.text from messages m
            where m.conversation_id = a.conversation_id and m.direction = 'in' and m.seq < a.seq
            order by m.seq desc limit 1
          ) q on true
          where a.account_id = ${accountId} and a.author_type = 'bot' and a.ai->>'kind' = 'answer'
            and a.ai->'sources'->0->>'kind' = 'faq'
            and not exists (select 1 from handovers h where h.conversation_id = a.conversation_id and h.queued_at > a.created_at)
      )
      select distinct on (p.question) p.question, p.article_id as "articleId", p.conversation_id as "conversationId"
        from pairs p join knowledge_articles k on k.id = p.article_id and k.account_id = ${accountId} and k.kind = 'faq'
        where p.question is not null and length(trim(p.question)) > 0
        order by p.question, p.created_at desc
        limit ${limit}`);
    return rows as { question: string; articleId: string; conversationId: string }[];
  }
}
