import { reserveSendSlot, type DeliveryContext } from '../conversations/conversations.delivery.js';
import type { LoadedChannel } from '../channels/channels.runtime.js';
import type { TelegramAdapter, TelegramSecrets } from '../channels/telegram/telegram.adapter.js';
import { GrammyError, toSendError } from '../channels/telegram/telegram.client.js';
import { TELEGRAM_TEXT_LIMIT } from './bridge.format.js';

/** Waits up to this long in-process for a send slot; beyond it the job comes back later. */
const MAX_INLINE_WAIT_MS = 5_000;
// Bot API limits: ~1 message/s per private chat, 20 messages/min per group, ~30 messages/s per bot.
const PER_PRIVATE_CHAT_MS = 1_000;
const PER_GROUP_MS = 3_000;
const PER_BOT_MS = 34;

/** The send slot is too far away to wait for in-process: run the job again after `seconds`. */
export class RetryLater extends Error {
  constructor(readonly seconds: number) {
    super(`operator chat is busy; retrying in ${seconds} s`);
  }
}

/** Group and supergroup chat ids are negative. */
export const isGroupChat = (chatId: string) => chatId.startsWith('-');

/** The operator bot's outgoing side: throttled like customer delivery, errors as `SendError`s. */
export class BridgeTelegram {
  constructor(private readonly ctx: DeliveryContext) {}

  private api(bot: LoadedChannel) {
    return this.ctx.channels.typed<TelegramAdapter>('telegram').api(bot.secrets as unknown as TelegramSecrets);
  }

  /** Waits for the chat's and the bot's next slot; `consume: false` waits without taking the chat's slot. */
  private async waitForSlot(bot: LoadedChannel, chatId: string, consume = true): Promise<void> {
    const perChat = !consume ? 0 : isGroupChat(chatId) ? PER_GROUP_MS : PER_PRIVATE_CHAT_MS;
    const waitMs = await reserveSendSlot(this.ctx, bot.record.id, chatId, { perChatMs: perChat, perChannelMs: PER_BOT_MS });
    if (waitMs > MAX_INLINE_WAIT_MS) throw new RetryLater(Math.ceil(waitMs / 1000));
    if (waitMs > 0) await new Promise((r) => setTimeout(r, waitMs));
  }

  /** Sends plain text (no markup to escape); returns Telegram's message id. */
  async send(
    bot: LoadedChannel,
    chatId: string,
    text: string,
    opts: { replyTo?: number | null; topicId?: number | null } = {},
  ): Promise<number> {
    await this.waitForSlot(bot, chatId);
    try {
      const sent = await this.api(bot).sendMessage(chatId, text.slice(0, TELEGRAM_TEXT_LIMIT), {
        ...(opts.topicId ? { message_thread_id: opts.topicId } : {}),
        // A deleted post must not make the answer fail: it is then sent without the quote.
        ...(opts.replyTo ? { reply_parameters: { message_id: opts.replyTo, allow_sending_without_reply: true } } : {}),
        link_preview_options: { is_disabled: true },
      });
      this.ctx.channels.noteOutbound(bot.record.id);
      return sent.message_id;
    } catch (err) {
      throw toSendError(err);
    }
  }

  /** Opens a forum topic; null when the group has no topics (posts then go to the group itself). */
  async createTopic(bot: LoadedChannel, chatId: string, name: string): Promise<number | null> {
    // Not a message of the group's per-minute budget: the post that follows takes the slot.
    await this.waitForSlot(bot, chatId, false);
    try {
      return (await this.api(bot).createForumTopic(chatId, name)).message_thread_id;
    } catch (err) {
      if (err instanceof GrammyError && err.error_code === 400 && /not a forum|TOPICS?_DISABLED|CHAT_NOT_MODIFIED/i.test(err.description)) {
        this.ctx.log.warn({ chatId, reason: err.description }, 'bridge group has no topics; posting to the group itself');
        return null;
      }
      throw toSendError(err);
    }
  }
}
