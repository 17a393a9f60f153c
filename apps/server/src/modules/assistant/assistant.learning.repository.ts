import { and, desc, eq, lt, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import { messages } from '../../platform/db/schema.js';
import { handovers, knowledgeArticles } from '../../platform/db/schema.ai.js';
import { wordingOffers } from '../../platform/db/schema.learning.js';

export type WordingOfferRow = typeof wordingOffers.$inferSelect & { articleTitle: string };
type OfferPatch = Partial<Pick<typeof wordingOffers.$inferInsert, 'status' | 'decidedBy' | 'decidedAt' | 'confidenceAfter'>>;

const offerColumns = {
  id: wordingOffers.id,
  accountId: wordingOffers.accountId,
  conversationId: wordingOffers.conversationId,
  questionMessageId: wordingOffers.questionMessageId,
  question: wordingOffers.question,
  articleId: wordingOffers.articleId,
  via: wordingOffers.via,
  similarity: wordingOffers.similarity,
  status: wordingOffers.status,
  confidenceBefore: wordingOffers.confidenceBefore,
  confidenceAfter: wordingOffers.confidenceAfter,
  operatorId: wordingOffers.operatorId,
  decidedBy: wordingOffers.decidedBy,
  decidedAt: wordingOffers.decidedAt,
  createdAt: wordingOffers.createdAt,
  articleTitle: knowledgeArticles.title,
};

/** SQL of learning from operators: wording offers and what they changed. */
export class LearningRepository {
  constructor(private readonly db: Db) {}

  /** The customer's latest messages before `beforeSeq`, newest first. */
  async customerMessagesBefore(accountId: string, conversationId: string, beforeSeq: number, limit = 3) {
    return this.db
      .select({ id: messages.id, text: messages.text, seq: messages.seq })
      .from(messages)
      .where(
        and(
          eq(messages.accountId, accountId),
          eq(messages.conversationId, conversationId),
          eq(messages.direction, 'in'),
          lt(messages.seq, beforeSeq),
        ),
      )
      .orderBy(desc(messages.seq))
      .limit(limit);
  }

  async message(accountId: string, id: string) {
    const [row] = await this.db
      .select({ id: messages.id, seq: messages.seq, text: messages.text, conversationId: messages.conversationId })
      .from(messages)
      .where(and(eq(messages.accountId, accountId), eq(messages.id, id)));
    return row;
  }

  async wasHandedOver(accountId: string, conversationId: string): Promise<boolean> {
    const [row] = await this.db
      .select({ id: handovers.id })
      .from(handovers)
      .where(and(eq(handovers.accountId, accountId), eq(handovers.conversationId, conversationId)))
      .limit(1);
    return row !== undefined;
  }

  /** Published FAQ entries with their answers, to find the one an operator's reply repeats. */
  async faqAnswers(accountId: string, limit = 5000) {
    return this.db
      .select({ id: knowledgeArticles.id, title: knowledgeArticles.title, answer: knowledgeArticles.answer })
      .from(knowledgeArticles)
      .where(and(eq(knowledgeArticles.accountId, accountId), eq(knowledgeArticles.kind, 'faq'), eq(knowledgeArticles.published, true)))
      .limit(limit);
  }

  /** Records an offer; null when this question was already offered for this entry (a reply and its suggestion both report it). */
  async insertOffer(input: typeof wordingOffers.$inferInsert): Promise<string | null> {
    const [row] = await this.db.insert(wordingOffers).values(input).onConflictDoNothing().returning({ id: wordingOffers.id });
    return row?.id ?? null;
  }

  async offer(db: Db, accountId: string, id: string, lock = false): Promise<WordingOfferRow | undefined> {
    const query = db
      .select(offerColumns)
      .from(wordingOffers)
      .innerJoin(knowledgeArticles, eq(knowledgeArticles.id, wordingOffers.articleId))
      .where(and(eq(wordingOffers.accountId, accountId), eq(wordingOffers.id, id)));
    const [row] = lock ? await query.for('update', { of: wordingOffers }) : await query;
    return row;
  }

  async pendingOffers(accountId: string, conversationId: string): Promise<WordingOfferRow[]> {
    return this.db
      .select(offerColumns)
      .from(wordingOffers)
      .innerJoin(knowledgeArticles, eq(knowledgeArticles.id, wordingOffers.articleId))
      .where(
        and(eq(wordingOffers.accountId, accountId), eq(wordingOffers.conversationId, conversationId), eq(wordingOffers.status, 'pending')),
      )
      .orderBy(desc(wordingOffers.createdAt))
      .limit(10);
  }

  async recentOffers(accountId: string, limit = 20): Promise<WordingOfferRow[]> {
    return this.db
      .select(offerColumns)
      .from(wordingOffers)
      .innerJoin(knowledgeArticles, eq(knowledgeArticles.id, wordingOffers.articleId))
      .where(eq(wordingOffers.accountId, accountId))
      .orderBy(desc(wordingOffers.createdAt))
      .limit(limit);
  }

  async updateOffer(db: Db, id: string, patch: OfferPatch): Promise<void> {
    await db.update(wordingOffers).set(patch).where(eq(wordingOffers.id, id));
  }

  /** What learning changed over the last `days` (see `LearningMetrics`). */
  async metrics(accountId: string, days: number, threshold: number) {
    const since = sql`now() - make_interval(days => ${days})`;
    const learnedStatuses = sql`('added', 'auto_added')`;
    const offers = (
      await this.db.execute(sql`
      select
        count(*) filter (where status in ${learnedStatuses} and decided_at >= ${since})::int as learned,
        count(*) filter (where status = 'auto_added' and decided_at >= ${since})::int as auto_learned,
        count(*) filter (where status = 'pending')::int as pending,
        count(*) filter (where status in ${learnedStatuses} and decided_at >= ${since} and confidence_after >= ${threshold})::int as now_answered,
        min(decided_at) filter (where status in ${learnedStatuses}) as first_learned_at
      from ai_wording_offers where account_id = ${accountId}`)
    ).rows[0] as { learned: number; auto_learned: number; pending: number; now_answered: number; first_learned_at: Date | string | null };
    const first = offers.first_learned_at ? new Date(offers.first_learned_at) : null;
    const rates = (
      await this.db.execute(sql`
      select
        count(*) filter (where ai->>'kind' = 'answer' and (${first}::timestamptz is null or created_at < ${first}))::int as answered_before,
        count(*) filter (where ai->>'kind' = 'handover' and (${first}::timestamptz is null or created_at < ${first}))::int as handed_before,
        count(*) filter (where ai->>'kind' = 'answer' and created_at >= ${first})::int as answered_since,
        count(*) filter (where ai->>'kind' = 'handover' and created_at >= ${first})::int as handed_since,
        count(*) filter (where ai->>'kind' = 'answer' and exists (
          select 1 from ai_wording_offers o where o.account_id = ${accountId} and o.status in ${learnedStatuses}
            and o.decided_at <= m.created_at and m.ai->'sources' @> jsonb_build_array(jsonb_build_object('articleId', o.article_id::text))
        ))::int as from_learned
      from messages m
      where m.account_id = ${accountId} and m.author_type = 'bot' and m.created_at >= ${since}`)
    ).rows[0] as { answered_before: number; handed_before: number; answered_since: number; handed_since: number; from_learned: number };
    const rate = (a: number, h: number) => (a + h > 0 ? a / (a + h) : null);
    return {
      learned: offers.learned,
      autoLearned: offers.auto_learned,
      pending: offers.pending,
      nowAnswered: offers.now_answered,
      answersFromLearned: rates.from_learned,
      autoAnswerRateBefore: rate(rates.answered_before, rates.handed_before),
      autoAnswerRateSince: first ? rate(rates.answered_since, rates.handed_since) : null,
      firstLearnedAt: first?.toISOString() ?? null,
    };
  }
}
