import type { AppContext } from '../../context.js';
import { transaction } from '../../platform/db/transaction.js';
import { messagesTotal } from '../../platform/metrics.js';
import { cleanDeep } from '../../platform/text.js';
import type { ChannelRecord, InboundMessage } from '../channels/adapter.js';
import { assistantEnabled } from '../channels/channels.dto.js';
import { ConversationsRepository } from './conversations.repository.js';
import { toConversation, toMessage } from './conversations.dto.js';
import { storeFiles, type InboundFile } from './conversations.files.js';

export type IngestOutcome = 'stored' | 'duplicate' | 'edited';

export interface IngestOptions {
  /** Bytes of attachments that came inside the message (e-mail), stored with it; `Attachment.fileId` names them. */
  files?: InboundFile[];
  /**
   * Sent by a machine (an auto-generated notice, a mailing list): people handle it and nothing answers
   * it automatically (no bot turn, no waiting notice), so two automatic senders cannot loop.
   */
  automated?: boolean;
}

/**
 * Stores one inbound message durably (contact, conversation, message, its `message.inbound` job and
 * realtime event in one transaction). Callers acknowledge the provider only after this resolves; a replay is a no-op.
 */
export async function ingestInbound(
  ctx: AppContext,
  channel: ChannelRecord,
  inbound: InboundMessage,
  opts: IngestOptions = {},
): Promise<IngestOutcome> {
  // Every channel (webhooks, pollers, IMAP) stores through here: a NUL or lone surrogate a customer sent
  // would fail the insert and lose the message, so it is cleaned, not refused.
  inbound = cleanDeep(inbound);
  if (opts.files) opts = { ...opts, files: cleanDeep(opts.files) };
  const repo = new ConversationsRepository(ctx.db);
  const bot = !opts.automated && assistantEnabled(channel.config);
  // Decided before the transaction: it must not wait for a second pool connection while holding one.
  const route = !opts.automated && (bot || (await ctx.ai.routingNeeded(channel.accountId)));
  let numberFor: string | undefined;
  const outcome = await transaction(ctx.pool, async (tx): Promise<IngestOutcome> => {
    if (inbound.edited) {
      const edited = await repo.applyEdit(tx, channel.id, inbound);
      if (edited) {
        if (opts.files?.length) await storeFiles(tx, channel, opts.files);
        await ctx.bus.publish(tx, channel.accountId, 'message.updated', {
          conversationId: edited.conversationId,
          message: toMessage(edited),
        });
        return 'edited';
      }
    }
    const stored = await repo.insertInbound(tx, channel, inbound, bot ? 'bot' : 'queued');
    if (!stored) return 'duplicate';
    if (stored.newConversation) numberFor = stored.conversation.id;
    if (opts.files?.length) await storeFiles(tx, channel, opts.files);
    // The ingest statement reopened a snoozed conversation and left its time: the customer woke it.
    if (stored.conversation.snoozedUntil && stored.conversation.status !== 'snoozed') {
      await repo.clearSnooze(tx, channel.accountId, stored.conversation.id);
      stored.conversation.snoozedUntil = null;
      await ctx.bus.publish(tx, channel.accountId, 'conversation.snooze_woke', {
        conversationId: stored.conversation.id,
        reason: 'customer',
      });
    }
    // Routing (AI first line, waiting notice, classification, suggestions) runs in a worker. A blocked
    // contact's message is only stored: the bot stays silent and nobody is notified.
    if (route && !stored.contactBlocked) {
      await ctx.queue.send(tx, 'message.inbound', { accountId: channel.accountId, messageId: stored.message.id });
    }
    await ctx.bus.publish(tx, channel.accountId, 'message.created', {
      conversationId: stored.conversation.id,
      message: toMessage(stored.message),
      conversation: toConversation(stored.conversation),
      // Listeners that alert people (notifications, sounds) skip these.
      ...(stored.contactBlocked ? { contactBlocked: true } : {}),
    });
    if (stored.conversation.status === 'queued' && !stored.conversation.assigneeId) await ctx.hooks?.humanQueue?.(tx, channel.accountId);
    return 'stored';
  });
  if (numberFor) await repo.numberConversation(ctx.pool, channel.accountId, numberFor);
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
