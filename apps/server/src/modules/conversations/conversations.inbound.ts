import type { AppContext } from '../../context.js';
import { transaction } from '../../platform/db/transaction.js';
import { messagesTotal } from '../../platform/metrics.js';
import type { ChannelRecord, InboundMessage } from '../channels/adapter.js';
import { assistantEnabled } from '../channels/channels.dto.js';
import { ConversationsRepository } from './conversations.repository.js';
import { toConversation, toMessage } from './conversations.dto.js';

export type IngestOutcome = 'stored' | 'duplicate' | 'edited';

/**
 * Stores one inbound message durably (contact, conversation, message, its `message.inbound` job and
 * realtime event in one transaction). Callers acknowledge the provider only after this resolves; a replay is a no-op.
 */
export async function ingestInbound(ctx: AppContext, channel: ChannelRecord, inbound: InboundMessage): Promise<IngestOutcome> {
  const repo = new ConversationsRepository(ctx.db);
  const bot = assistantEnabled(channel.config);
  // Decided before the transaction: it must not wait for a second pool connection while holding one.
  const route = bot || (await ctx.ai.routingNeeded(channel.accountId));
  const outcome = await transaction(ctx.pool, async (tx): Promise<IngestOutcome> => {
    if (inbound.edited) {
      const edited = await repo.applyEdit(tx, channel.id, inbound);
      if (edited) {
        await ctx.bus.publish(tx, channel.accountId, 'message.updated', {
          conversationId: edited.conversationId,
          message: toMessage(edited),
        });
        return 'edited';
      }
    }
    const stored = await repo.insertInbound(tx, channel, inbound, bot ? 'bot' : 'queued');
    if (!stored) return 'duplicate';
    // Routing (AI first line, waiting notice, classification, suggestions) runs in a worker.
    if (route) {
      await ctx.queue.send(tx, 'message.inbound', { accountId: channel.accountId, messageId: stored.message.id });
    }
    await ctx.bus.publish(tx, channel.accountId, 'message.created', {
      conversationId: stored.conversation.id,
      message: toMessage(stored.message),
      conversation: toConversation(stored.conversation),
    });
    return 'stored';
  });
  if (outcome !== 'duplicate') messagesTotal.inc({ channel_type: channel.type, direction: 'in', status: outcome });
  return outcome;
}

/**
 * A provider's delivery report for one of our sends (WhatsApp `statuses`, Avito read marks): moves the
 * message forward or fails it with the provider's reason, and tells the operators. Unknown ids and
 * out-of-order reports (delivered after read) change nothing.
 */
export async function applyDeliveryReport(
  ctx: AppContext,
  channel: ChannelRecord,
  report: { externalId: string; status: 'sent' | 'delivered' | 'read' | 'failed'; reason?: string | null },
): Promise<boolean> {
  const repo = new ConversationsRepository(ctx.db);
  return transaction(ctx.pool, async (tx) => {
    const row = await repo.applyProviderStatus(tx.db, channel.id, report.externalId, report.status, report.reason ?? null);
    if (!row) return false;
    await ctx.bus.publish(tx, channel.accountId, 'message.updated', { conversationId: row.conversationId, message: toMessage(row) });
    if (report.status === 'failed') messagesTotal.inc({ channel_type: channel.type, direction: 'out', status: 'failed' });
    return true;
  });
}
