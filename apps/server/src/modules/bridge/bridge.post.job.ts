import { ExponentialBackoff, handleAll, retry } from 'cockatiel';
import type { JobData } from '../../jobs.schema.js';
import { transaction } from '../../platform/db/transaction.js';
import { defineJob } from '../../platform/queue/queue.js';
import { SendError } from '../channels/adapter.js';
import type { LoadedChannel } from '../channels/channels.runtime.js';
import type { DeliveryContext } from '../conversations/conversations.delivery.js';
import { ConversationsRepository, type ConversationRow } from '../conversations/conversations.repository.js';
import { botConversed, introText, messageText, topicName, transcriptText, type PostedMessage } from './bridge.format.js';
import type { BridgeState } from './bridge.outbox.repository.js';
import { groupChatOf, recipientsOf, type Recipient } from './bridge.recipients.js';
import { BridgeRepository, withAdvisoryLock } from './bridge.repository.js';
import { BridgeTelegram, RetryLater } from './bridge.telegram.js';

type SyncData = Extract<JobData<'bridge.post'>, { kind: 'sync' }>;
type NoticeData = Extract<JobData<'bridge.post'>, { kind: 'notice' }>;

const INTRO_MESSAGES = 8;
const bookkeeping = retry(handleAll, { maxAttempts: 8, backoff: new ExponentialBackoff({ initialDelay: 100, maxDelay: 5_000 }) });
const CATCH_UP_MESSAGES = 20;

/**
 * `bridge.post`: a notice to an operator, or a `sync` that brings one operator chat up to date on
 * one conversation — its first post (header, context, recent exchange; a forum topic in group mode),
 * then each later customer message, or one transcript of what the bot said meanwhile. Idempotent: a
 * sync posts only messages after the last one recorded in `bridge_posts`, so repeats cost nothing.
 */
export const bridgePostJob = defineJob<'bridge.post', DeliveryContext>({
  name: 'bridge.post',
  concurrency: 4,
  options: { retryLimit: 8, retryDelay: 5, retryBackoff: true, expireInSeconds: 120 },
  async handler(data, _meta, ctx) {
    const bot = await ctx.channels.load(data.accountId, data.botChannelId);
    if (!bot || bot.record.config.purpose !== 'operators') {
      ctx.log.info({ botChannelId: data.botChannelId }, 'bridge.post skipped: the operator bot is gone');
      return;
    }
    try {
      if (data.kind === 'notice') await postNotice(ctx, bot, data);
      else await syncConversation(ctx, bot, data);
    } catch (err) {
      if (err instanceof RetryLater) return later(ctx, data, err.seconds);
      if (!(err instanceof SendError)) throw err;
      switch (err.kind) {
        case 'rate_limited':
          return later(ctx, data, err.retryAfterSeconds ?? 5);
        case 'auth':
          await ctx.channels.markAuthFailed(data.accountId, data.botChannelId, err.message);
          return;
        case 'permanent':
          // The operator blocked the bot, left the group, the chat is gone: retrying cannot help.
          ctx.log.warn({ chatId: data.chatId, reason: err.message }, 'bridge post dropped');
          await ctx.channels.noteError(data.botChannelId, err.message);
          return;
        case 'retryable':
          throw err;
        default: {
          const never: never = err.kind;
          throw new Error(`unhandled send error ${String(never)}`);
        }
      }
    }
  },
});

/** Puts the job back to run after `seconds` without spending one of its retries. */
async function later(ctx: DeliveryContext, data: JobData<'bridge.post'>, seconds: number): Promise<void> {
  await transaction(ctx.pool, (tx) => ctx.queue.send(tx, 'bridge.post', data, { startAfterSeconds: Math.max(1, seconds) }));
}

async function postNotice(ctx: DeliveryContext, bot: LoadedChannel, data: NoticeData): Promise<void> {
  await new BridgeTelegram(ctx).send(bot, data.chatId, data.text, { replyTo: data.replyTo ?? null, topicId: data.topicId ?? null });
}

async function syncConversation(ctx: DeliveryContext, bot: LoadedChannel, data: SyncData): Promise<void> {
  const conv = await new ConversationsRepository(ctx.db).get(ctx.db, data.accountId, data.conversationId);
  if (!conv) return;
  const state = (await ctx.channels.state(bot.record.id)).bridge as BridgeState | undefined;
  const recipients = await recipientsOf(
    ctx.db,
    { id: bot.record.id, accountId: data.accountId, config: bot.record.config, bridge: state ?? {} },
    conv,
  );
  const to = recipients.find((r) => r.chatId === data.chatId);
  if (!to) {
    ctx.log.info({ conversationId: conv.id, chatId: data.chatId }, 'bridge.post skipped: this chat no longer receives the conversation');
    return;
  }
  await withAdvisoryLock(ctx.pool, `bridge:${bot.record.id}:${to.chatId}:${conv.id}`, () => catchUp(ctx, bot, conv, to));
}

async function catchUp(ctx: DeliveryContext, bot: LoadedChannel, conv: ConversationRow, to: Recipient): Promise<void> {
  const repo = new BridgeRepository(ctx.db);
  const telegram = new BridgeTelegram(ctx);
  const thread = await repo.thread(conv.accountId, bot.record.id, to.chatId, conv.id);
  // Recording what was sent is retried hard: failing it would post the same message again.
  const record = (messageId: number, topicId: number | null, meta: Record<string, unknown>) =>
    bookkeeping.execute(() =>
      repo.recordPost(ctx.db, {
        accountId: conv.accountId,
        conversationId: conv.id,
        botChannelId: bot.record.id,
        telegramChatId: to.chatId,
        telegramMessageId: messageId,
        topicId,
        meta,
      }),
    );
  const handedOver = (messages: PostedMessage[]) => conv.status === 'queued' && botConversed(messages);

  if (thread.posts === 0) {
    const messages = await repo.messagesAfter(conv.accountId, conv.id, null, INTRO_MESSAGES);
    let topicId = thread.topicId;
    if (topicId === null && groupChatOf(bot.record.config)) {
      topicId = await telegram.createTopic(bot, to.chatId, topicName(conv));
      // Kept at once (the topic's opening service message has the topic's id): a retry reuses it.
      if (topicId !== null) await record(topicId, topicId, { kind: 'topic' });
    }
    const messageId = await telegram.send(bot, to.chatId, introText(to.lang, conv, messages, handedOver(messages)), { topicId });
    await record(messageId, topicId, { kind: 'intro', seq: lastSeq(messages) });
    return;
  }

  const messages = await repo.messagesAfter(conv.accountId, conv.id, thread.lastSeq, CATCH_UP_MESSAGES);
  if (messages.length === 0) return;
  const where = { replyTo: thread.topicId ? null : thread.anchor, topicId: thread.topicId };
  if (handedOver(messages)) {
    // The bot had the conversation again: one transcript instead of a message per turn.
    const messageId = await telegram.send(bot, to.chatId, transcriptText(to.lang, messages, true), where);
    await record(messageId, thread.topicId, { kind: 'transcript', seq: lastSeq(messages) });
    return;
  }
  // Each customer message on its own, recorded as it goes: a failure resumes after the last one sent.
  for (const m of messages.filter((x) => x.direction === 'in')) {
    const messageId = await telegram.send(bot, to.chatId, messageText(conv, m), where);
    await record(messageId, thread.topicId, { kind: 'message', seq: m.seq });
  }
}

const lastSeq = (messages: PostedMessage[]) => messages.reduce((max, m) => Math.max(max, m.seq), 0);
