import type { HandoverReason, MessageAi } from '@switchboard/shared';
import type { AppContext } from '../../context.js';
import type { Tx } from '../../platform/db/transaction.js';
import { messagesTotal } from '../../platform/metrics.js';
import { ConversationsRepository } from '../conversations/conversations.repository.js';
import { toConversation, toMessage } from '../conversations/conversations.dto.js';
import { AssistantRepository } from './assistant.repository.js';

export interface TurnTarget {
  accountId: string;
  conversationId: string;
  channelId: string;
}

/**
 * Sends one automatic message (bot answer, hand-over notice, waiting notice, greeting) in the
 * caller's transaction: stored as `queued`, delivered by the `message.send` job like any reply.
 */
export async function sendAutomaticMessage(
  ctx: AppContext,
  tx: Tx,
  to: TurnTarget,
  text: string,
  ai: MessageAi,
  authorUserId: string | null = null,
): Promise<void> {
  const repo = new AssistantRepository(ctx.db);
  const message = await repo.insertBotMessage(tx, { ...to, text, ai, authorUserId });
  await ctx.queue.send(tx, 'message.send', { accountId: to.accountId, messageId: message.id });
  await ctx.bus.publish(tx, to.accountId, 'message.created', { conversationId: to.conversationId, message: toMessage(message) });
  tx.afterCommit(() => messagesTotal.inc({ channel_type: 'bot', direction: 'out', status: 'queued' }));
}

/** Hands a conversation to people: queued, a hand-over record with its reason, the customer told. */
export async function handOver(
  ctx: AppContext,
  tx: Tx,
  to: TurnTarget,
  input: { reason: HandoverReason; confidence: number | null; notice: string | null; mode: 'local' | 'llm' },
): Promise<void> {
  const repo = new AssistantRepository(ctx.db);
  await repo.openHandover(tx, {
    accountId: to.accountId,
    conversationId: to.conversationId,
    reason: input.reason,
    confidence: input.confidence,
  });
  await repo.setState(tx, to.accountId, to.conversationId, { status: 'queued', botLowStreak: 0, waitingNoticeAt: null });
  // Listeners (notifications, reports) learn of the hand-over itself, not only of the status it left behind.
  await ctx.bus.publish(tx, to.accountId, 'conversation.handed_over', { conversationId: to.conversationId, reason: input.reason });
  await ctx.hooks?.humanQueue?.(tx, to.accountId);
  if (input.notice) {
    await sendAutomaticMessage(ctx, tx, to, input.notice, {
      confidence: input.confidence,
      mode: input.mode,
      kind: 'handover',
      sources: [],
    });
  }
}

/** Publishes the conversation's current state to operators (in the transaction). */
export async function publishConversation(ctx: AppContext, tx: Tx, accountId: string, conversationId: string): Promise<void> {
  const row = await new ConversationsRepository(ctx.db).get(tx.db, accountId, conversationId);
  if (row) await ctx.bus.publish(tx, accountId, 'conversation.updated', { conversation: toConversation(row) });
}
