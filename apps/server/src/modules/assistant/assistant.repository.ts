import { and, desc, eq, gte, isNull, lt, sql } from 'drizzle-orm';
import type { MessageAi } from '@switchboard/shared';
import type { Tx } from '../../platform/db/transaction.js';
import type { Db } from '../../platform/db/client.js';
import { conversations, messages } from '../../platform/db/schema.js';
import { aiSuggestions, handovers } from '../../platform/db/schema.ai.js';
import { forAnalysis } from '../ai/text/text.limits.js';
import { conversationLanguage, type ReplyLanguage } from './assistant.language.js';

export type SuggestionRow = typeof aiSuggestions.$inferSelect;

/** The assistant's view of a conversation, read under a row lock so turns of one chat do not interleave. */
export interface ConversationState {
  id: string;
  accountId: string;
  channelId: string;
  status: 'bot' | 'queued' | 'open' | 'snoozed' | 'resolved';
  assigneeId: string | null;
  category: string | null;
  categorySource: 'model' | 'llm' | 'operator' | null;
  botLowStreak: number;
  waitingNoticeAt: Date | null;
}

/** SQL of the AI first line: bot turns, hand-overs and their timings, suggestions. */
export class AssistantRepository {
  constructor(private readonly db: Db) {}

  /** The state under a row lock (in `tx`), or a plain read (with `db`). */
  async conversationState(tx: Tx | null, accountId: string, id: string): Promise<ConversationState | undefined> {
    const query = (tx?.db ?? this.db)
      .select({
        id: conversations.id,
        accountId: conversations.accountId,
        channelId: conversations.channelId,
        status: conversations.status,
        assigneeId: conversations.assigneeId,
        category: conversations.category,
        categorySource: conversations.categorySource,
        botLowStreak: conversations.botLowStreak,
        waitingNoticeAt: conversations.waitingNoticeAt,
      })
      .from(conversations)
      .where(and(eq(conversations.accountId, accountId), eq(conversations.id, id)));
    const [row] = tx ? await query.for('update') : await query;
    return row;
  }

  async setState(
    tx: Tx,
    accountId: string,
    id: string,
    patch: Partial<
      Pick<
        typeof conversations.$inferInsert,
        'status' | 'botLowStreak' | 'waitingNoticeAt' | 'category' | 'categoryConfidence' | 'categorySource' | 'predictedCategory'
      >
    >,
  ): Promise<void> {
    await tx.db
      .update(conversations)
      .set({ ...patch, updatedAt: sql`now()` })
      .where(and(eq(conversations.accountId, accountId), eq(conversations.id, id)));
  }

  /** A message the bot (or an automatic greeting) sends; queued for delivery by the caller. */
  async insertBotMessage(
    tx: Tx,
    input: { accountId: string; conversationId: string; channelId: string; text: string; ai: MessageAi; authorUserId?: string | null },
  ) {
    const [row] = await tx.db
      .insert(messages)
      .values({
        accountId: input.accountId,
        conversationId: input.conversationId,
        channelId: input.channelId,
        direction: 'out',
        authorType: input.authorUserId ? 'operator' : 'bot',
        authorUserId: input.authorUserId ?? null,
        text: input.text,
        status: 'queued',
        ai: input.ai,
        // A greeting goes out just before the person's first answer in the same transaction: it must list before it.
        ...(input.ai.kind === 'greeting' ? { createdAt: sql`now() - interval '1 millisecond'` } : {}),
      })
      .returning();
    // The inbox preview keeps showing the customer's question: an automatic turn is not what operators scan for.
    await tx.db
      .update(conversations)
      .set({ lastMessageAt: sql`now()`, updatedAt: sql`now()` })
      .where(eq(conversations.id, input.conversationId));
    return row!;
  }

  /** What the customer wrote before message `beforeSeq` (newest last), for the conversation's language. */
  async earlierCustomerText(db: Db, accountId: string, conversationId: string, beforeSeq: number, limit = 5): Promise<string> {
    const rows = await db
      .select({ text: messages.text })
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
    return rows
      .reverse()
      .map((r) => r.text ?? '')
      .filter(Boolean)
      .join('\n');
  }

  /** The language to write to the customer in now: their latest message, read against what they wrote before. */
  async customerLanguage(db: Db, accountId: string, conversationId: string): Promise<ReplyLanguage> {
    const rows = await db
      .select({ text: messages.text })
      .from(messages)
      .where(and(eq(messages.accountId, accountId), eq(messages.conversationId, conversationId), eq(messages.direction, 'in')))
      .orderBy(desc(messages.seq))
      .limit(6);
    const texts = rows.map((r) => forAnalysis(r.text ?? '')).filter(Boolean);
    return conversationLanguage(texts[0] ?? '', texts.slice(1).reverse().join('\n'));
  }

  /** Whether the customer has been greeted by a person since `since` (one greeting per hand-over). */
  async greetedSince(tx: Tx, accountId: string, conversationId: string, since: Date): Promise<boolean> {
    const [row] = await tx.db
      .select({ id: messages.id })
      .from(messages)
      .where(
        and(
          eq(messages.accountId, accountId),
          eq(messages.conversationId, conversationId),
          eq(messages.direction, 'out'),
          gte(messages.createdAt, since),
          sql`${messages.ai}->>'kind' = 'greeting'`,
        ),
      )
      .limit(1);
    return row !== undefined;
  }

  async openHandover(tx: Tx, input: { accountId: string; conversationId: string; reason: string; confidence: number | null }) {
    await tx.db.insert(handovers).values(input);
  }

  /** The hand-over still waiting for (or being served by) a person, newest first. */
  async currentHandover(tx: Tx, accountId: string, conversationId: string) {
    const [row] = await tx.db
      .select()
      .from(handovers)
      .where(and(eq(handovers.accountId, accountId), eq(handovers.conversationId, conversationId), isNull(handovers.resolvedAt)))
      .orderBy(desc(handovers.queuedAt))
      .limit(1);
    return row;
  }

  async updateHandover(tx: Tx, id: string, patch: Partial<typeof handovers.$inferInsert>): Promise<void> {
    await tx.db.update(handovers).set(patch).where(eq(handovers.id, id));
  }

  /** Retires the conversation's pending suggestion (a newer one came, or the operator answered otherwise). */
  async supersedePending(tx: Tx, accountId: string, conversationId: string): Promise<void> {
    await tx.db
      .update(aiSuggestions)
      .set({ status: 'superseded' })
      .where(
        and(eq(aiSuggestions.accountId, accountId), eq(aiSuggestions.conversationId, conversationId), eq(aiSuggestions.status, 'pending')),
      );
  }

  async insertSuggestion(tx: Tx, input: typeof aiSuggestions.$inferInsert): Promise<SuggestionRow> {
    // A newer suggestion replaces the pending one: operators see one proposal per conversation.
    await this.supersedePending(tx, input.accountId, input.conversationId);
    const [row] = await tx.db.insert(aiSuggestions).values(input).returning();
    return row!;
  }

  async pendingSuggestion(accountId: string, conversationId: string): Promise<SuggestionRow | undefined> {
    const [row] = await this.db
      .select()
      .from(aiSuggestions)
      .where(
        and(eq(aiSuggestions.accountId, accountId), eq(aiSuggestions.conversationId, conversationId), eq(aiSuggestions.status, 'pending')),
      )
      .orderBy(desc(aiSuggestions.createdAt))
      .limit(1);
    return row;
  }

  async lockSuggestion(tx: Tx, accountId: string, conversationId: string, id: string): Promise<SuggestionRow | undefined> {
    const [row] = await tx.db
      .select()
      .from(aiSuggestions)
      .where(and(eq(aiSuggestions.accountId, accountId), eq(aiSuggestions.conversationId, conversationId), eq(aiSuggestions.id, id)))
      .for('update');
    return row;
  }

  async decideSuggestion(tx: Tx, id: string, patch: Pick<SuggestionRow, 'status' | 'decidedBy'> & { messageId?: string }): Promise<void> {
    await tx.db
      .update(aiSuggestions)
      .set({ ...patch, decidedAt: sql`now()` })
      .where(eq(aiSuggestions.id, id));
  }
}
