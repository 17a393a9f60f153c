import { sql } from 'drizzle-orm';
import { retry, handleAll, ExponentialBackoff } from 'cockatiel';
import type { AppContext } from '../../context.js';
import { transaction } from '../../platform/db/transaction.js';
import { messagesTotal } from '../../platform/metrics.js';
import { defineJob, type JobMeta } from '../../platform/queue/queue.js';
import { SendError, type SendResult } from '../channels/adapter.js';
import type { ChannelRuntime } from '../channels/channels.runtime.js';
import { ConversationsRepository, type MessageRow } from './conversations.repository.js';
import { toMessage } from './conversations.dto.js';
import { accountIsActive, HELD_REASON } from '../accounts/accounts.status.js';
import type { DeliveryFailureCode } from '@switchboard/shared';

const UNCERTAIN =
  'Delivery uncertain: an earlier attempt was interrupted after it may have reached the channel; the customer may already have it, so check the chat before sending it again';

/** States a send job leaves alone: delivered, or waiting for a person's decision. */
const SETTLED: ReadonlySet<MessageRow['status']> = new Set(['sent', 'failed', 'dead', 'uncertain']);

/** Waits up to this long in-process for a throttle slot; beyond it the job is rescheduled. */
const MAX_INLINE_WAIT_MS = 5_000;

/** Our own bookkeeping after a successful send is retried hard: failing it must not cause a resend. */
const bookkeeping = retry(handleAll, { maxAttempts: 8, backoff: new ExponentialBackoff({ initialDelay: 100, maxDelay: 5_000 }) });

export interface DeliveryContext extends AppContext {
  channels: ChannelRuntime;
}

type Outcome = Pick<MessageRow, 'status'> & { failureReason: string | null; failureCode?: DeliveryFailureCode | null };

/**
 * `message.send`: delivers one outbound message through its channel's adapter, throttled per chat
 * and per channel across processes. Idempotent: a message already sent, failed or dead is skipped.
 */
export const messageSendJob = defineJob<'message.send', DeliveryContext>({
  name: 'message.send',
  concurrency: 8,
  options: { retryLimit: 7, retryDelay: 2, retryBackoff: true, expireInSeconds: 120 },
  async handler({ accountId, messageId, slotAt }, meta, ctx) {
    const repo = new ConversationsRepository(ctx.db);
    const message = await repo.getMessage(ctx.db, accountId, messageId);
    if (!message || SETTLED.has(message.status) || message.externalId) {
      ctx.log.info({ messageId, status: message?.status }, 'message.send skipped: nothing to deliver');
      return;
    }
    if (message.status === 'sending') {
      // An earlier attempt reached the provider and then died (process crash, bookkeeping that kept
      // failing). It may have been delivered: sending again could duplicate it, so a person decides.
      await settle(ctx, repo, message, { status: 'uncertain', failureReason: UNCERTAIN, failureCode: 'uncertain' }, 'unknown');
      return;
    }
    if (!(await accountIsActive(ctx.db, accountId))) {
      // Held, not lost: resuming the account queues every held message again.
      await repo.setMessageState(ctx.db, accountId, messageId, { status: 'queued', failureReason: HELD_REASON, failureCode: 'held' });
      ctx.log.info({ messageId }, 'message.send held: the account is suspended');
      return;
    }
    const conv = await repo.get(ctx.db, accountId, message.conversationId);
    const channel = conv && (await ctx.channels.load(accountId, conv.channelId));
    if (!conv || !channel) {
      await settle(
        ctx,
        repo,
        message,
        { status: 'failed', failureReason: 'The channel of this conversation was deleted', failureCode: 'channel_deleted' },
        'unknown',
      );
      return;
    }
    const adapter = ctx.channels.adapter(channel.record.type);
    const waitMs =
      slotAt !== undefined
        ? Math.max(0, slotAt - Date.now())
        : await reserveSendSlot(ctx, channel.record.id, conv.externalChatId, adapter.throttle);
    if (waitMs > MAX_INLINE_WAIT_MS) {
      // Keeps the reserved slot: reserving again on wake-up would push the send back forever (throttles over 5 s).
      await reschedule(ctx, message, Math.floor(waitMs / 1000), null, null, Date.now() + waitMs);
      return;
    }
    if (waitMs > 0) await new Promise((r) => setTimeout(r, waitMs));
    await repo.setMessageState(ctx.db, accountId, messageId, { status: 'sending', bumpAttempts: true });

    let result: SendResult;
    try {
      result = await adapter.send(channel.record, channel.secrets, {
        id: message.id,
        text: message.text ?? '',
        chatId: conv.externalChatId,
        threadKey: conv.threadKey,
        context: conv.context,
      });
    } catch (err) {
      await onSendError(
        ctx,
        repo,
        message,
        channel.record.type,
        err instanceof SendError ? err : new SendError('retryable', String(err)),
        meta,
      );
      return;
    }
    await bookkeeping.execute(async () => {
      if (result.context) await repo.mergeContext(ctx.db, accountId, conv.id, result.context);
      await settle(ctx, repo, message, { status: 'sent', failureReason: null }, channel.record.type, {
        externalId: result.externalId,
        sentAt: new Date(),
        ...(result.meta ? { meta: result.meta } : {}),
      });
    });
    ctx.channels.noteOutbound(channel.record.id);
  },
  async onDead({ accountId, messageId }, ctx) {
    const repo = new ConversationsRepository(ctx.db);
    const message = await repo.getMessage(ctx.db, accountId, messageId);
    if (!message || SETTLED.has(message.status)) return;
    await settle(
      ctx,
      repo,
      message,
      {
        status: 'dead',
        failureReason: message.failureReason ?? 'Delivery kept failing; gave up after the last retry',
        failureCode: 'gave_up',
      },
      'unknown',
    );
  },
});

async function onSendError(
  ctx: DeliveryContext,
  repo: ConversationsRepository,
  message: MessageRow,
  channelType: string,
  err: SendError,
  meta: JobMeta,
) {
  // counted on the channel's health (markAuthFailed counts auth failures itself)
  if (err.kind !== 'auth') await ctx.channels.noteError(message.channelId, err.message).catch(() => undefined);
  switch (err.kind) {
    case 'permanent':
      return settle(ctx, repo, message, { status: 'failed', failureReason: err.message, failureCode: 'permanent' }, channelType);
    case 'auth':
      await ctx.channels.markAuthFailed(message.accountId, message.channelId, err.message);
      return settle(ctx, repo, message, { status: 'failed', failureReason: err.message, failureCode: 'auth' }, channelType);
    case 'rate_limited': {
      // The provider said when to come back: honour it without burning one of our retries.
      if (message.attempts + 1 >= ctx.config.sendMaxAttempts * 3) {
        return settle(
          ctx,
          repo,
          message,
          { status: 'dead', failureReason: `${err.message} (still rate limited after many attempts)`, failureCode: 'rate_limited' },
          channelType,
        );
      }
      // The provider's own words stay as they are; the UI says "retrying at …" from the code, in the reader's language.
      return reschedule(ctx, message, err.retryAfterSeconds ?? 5, err.message, 'rate_limited');
    }
    case 'retryable':
      if (meta.isLastAttempt) {
        return settle(
          ctx,
          repo,
          message,
          { status: 'dead', failureReason: `${err.message} (gave up after ${meta.retryCount + 1} attempts)`, failureCode: 'gave_up' },
          channelType,
        );
      }
      await retrying(ctx, repo, message, err.message, nextRetryDelaySeconds(ctx, meta));
      throw err;
    default: {
      const never: never = err.kind;
      throw new Error(`unhandled send error ${String(never)}`);
    }
  }
}

/** Final state of a send, with its realtime event, in one transaction. */
async function settle(
  ctx: AppContext,
  repo: ConversationsRepository,
  message: MessageRow,
  outcome: Outcome,
  channelType: string,
  extra: { externalId?: string; sentAt?: Date; meta?: Record<string, unknown> } = {},
): Promise<void> {
  await transaction(ctx.pool, async (tx) => {
    const row = await repo.setMessageState(tx.db, message.accountId, message.id, { ...outcome, ...extra });
    if (row)
      await ctx.bus.publish(tx, message.accountId, 'message.updated', {
        conversationId: row.conversationId,
        message: toMessage(row),
      });
  });
  messagesTotal.inc({ channel_type: channelType, direction: 'out', status: outcome.status });
}

/** pg-boss backoff (`retryDelay * 2^retryCount`): when the queue tries the failed job again. */
function nextRetryDelaySeconds(ctx: AppContext, meta: JobMeta): number {
  return ctx.config.sendRetryDelaySeconds * 2 ** Math.min(16, meta.retryCount);
}

/**
 * Queued again after a temporary failure, with the reason and the next attempt's time: listed with the
 * undelivered replies (a person can send it now) and shown live in the conversation.
 */
async function retrying(
  ctx: AppContext,
  repo: ConversationsRepository,
  message: MessageRow,
  reason: string,
  inSeconds: number,
): Promise<void> {
  await transaction(ctx.pool, async (tx) => {
    const row = await repo.setMessageState(tx.db, message.accountId, message.id, {
      status: 'queued',
      failureReason: reason,
      failureCode: 'temporary',
      retryAt: new Date(Date.now() + inSeconds * 1000),
    });
    if (row)
      await ctx.bus.publish(tx, message.accountId, 'message.updated', { conversationId: row.conversationId, message: toMessage(row) });
  });
}

/** Puts the message back in the queue to be tried after `seconds`, with a visible reason. */
async function reschedule(
  ctx: AppContext,
  message: MessageRow,
  seconds: number,
  reason: string | null,
  code: DeliveryFailureCode | null,
  slotAt?: number,
): Promise<void> {
  const repo = new ConversationsRepository(ctx.db);
  await transaction(ctx.pool, async (tx) => {
    const row = await repo.setMessageState(tx.db, message.accountId, message.id, {
      status: 'queued',
      failureReason: reason,
      ...(reason ? { failureCode: code, retryAt: new Date(Date.now() + seconds * 1000) } : {}),
    });
    await ctx.queue.send(
      tx,
      'message.send',
      { accountId: message.accountId, messageId: message.id, ...(slotAt ? { slotAt } : {}) },
      { startAfterSeconds: seconds },
    );
    if (row && reason)
      await ctx.bus.publish(tx, message.accountId, 'message.updated', {
        conversationId: row.conversationId,
        message: toMessage(row),
      });
  });
}

/**
 * Reserves the next free send slot for this chat and this channel (shared by all processes) and
 * returns how long to wait for it.
 */
export async function reserveSendSlot(
  ctx: AppContext,
  channelId: string,
  chatId: string,
  t: { perChatMs: number; perChannelMs: number },
): Promise<number> {
  const result = await ctx.db.execute<{ wait_ms: number }>(sql`
    with slots as (
      insert into send_slots (key, next_at) values (${`chat:${channelId}:${chatId}`}, now()), (${`channel:${channelId}`}, now())
      on conflict (key) do update set next_at = greatest(
        send_slots.next_at + (case when send_slots.key like 'chat:%' then ${t.perChatMs}::int else ${t.perChannelMs}::int end) * interval '1 millisecond',
        now())
      returning next_at)
    select greatest(0, extract(epoch from (max(next_at) - now())) * 1000)::int as wait_ms from slots`);
  return result.rows[0]?.wait_ms ?? 0;
}
