import type { Message, Update } from 'grammy/types';
import { sha256 } from '../../platform/crypto/secret-box.js';
import { transaction } from '../../platform/db/transaction.js';
import { AppError } from '../../platform/http/errors.js';
import type { LoadedChannel } from '../channels/channels.runtime.js';
import type { DeliveryContext } from '../conversations/conversations.delivery.js';
import type { ConversationsService } from '../conversations/conversations.service.js';
import { IdentityRepository } from '../identity/identity.repository.js';
import { can, requirePermission } from '../identity/permissions.js';
import { actorFor } from '../access/access.resolve.js';
import { historyText, parseCommand } from './bridge.format.js';
import { BridgeRepository, type LinkRow, type PostRow } from './bridge.repository.js';
import { languageOf, texts, type Lang } from './bridge.texts.js';

const HISTORY_MESSAGES = 10;

/** Where the bot answers an operator's message: beside it, in the same topic. */
interface Origin {
  bot: LoadedChannel;
  chatId: string;
  messageId: number;
  topicId: number | undefined;
}

/**
 * Updates of an operator bot: `/start <token>` links a Telegram user; a reply to a bridge post (or
 * a message inside a conversation's forum topic) answers the customer as the linked user; `/take`,
 * `/resolve`, `/history`, `/help`. Only conversations of the bot's own account are ever reached.
 */
export class OperatorUpdates {
  private readonly repo: BridgeRepository;

  constructor(
    private readonly ctx: DeliveryContext,
    private readonly conversations: ConversationsService,
  ) {
    this.repo = new BridgeRepository(ctx.db);
  }

  readonly handle = async (bot: LoadedChannel, update: Update): Promise<void> => {
    const msg = update.message;
    if (!msg?.from || msg.from.is_bot || !hasContent(msg)) return; // edits, service messages, other bots
    const origin: Origin = {
      bot,
      chatId: String(msg.chat.id),
      messageId: msg.message_id,
      topicId: msg.is_topic_message ? msg.message_thread_id : undefined,
    };
    const isPrivate = msg.chat.type === 'private';
    const fallback = languageOf(msg.from.language_code);
    const command = parseCommand(
      msg.text ?? '',
      typeof bot.record.config.botUsername === 'string' ? bot.record.config.botUsername : undefined,
    );

    if (command?.name === 'start') {
      if (isPrivate) await this.start(origin, msg, command.args, fallback);
      return;
    }
    if (command?.name === 'help') return this.say(origin, texts(fallback).help);

    const post = await this.postOf(bot, msg);
    if (!post) {
      // In a group, chatter outside the conversations' topics is not for the bot.
      if (isPrivate || command) await this.say(origin, texts(fallback).replyToPost);
      return;
    }
    const link = await this.repo.linkByTelegramUser(bot.record.accountId, bot.record.id, String(msg.from.id));
    if (!link) return this.say(origin, texts(fallback).linkFirst);
    const lang = languageOf(link.userLocale);

    // Recording the operator's message first makes a redelivered update a no-op (nothing sent twice).
    const claim = await this.repo.recordPost(this.ctx.db, {
      accountId: bot.record.accountId,
      conversationId: post.conversationId,
      botChannelId: bot.record.id,
      telegramChatId: origin.chatId,
      telegramMessageId: msg.message_id,
      topicId: post.topicId,
      meta: { kind: 'operator', userId: link.userId, ...(command ? { command: command.name } : {}) },
    });
    if (!claim) return;
    try {
      await this.act(origin, link, lang, post.conversationId, claim, msg, command?.name);
    } catch (err) {
      if (err instanceof AppError) return this.say(origin, texts(lang).failed(err.message));
      await this.repo.deletePost(claim.id); // not done: a redelivery may try again
      throw err;
    }
  };

  private async act(
    origin: Origin,
    link: LinkRow,
    lang: Lang,
    conversationId: string,
    claim: PostRow,
    msg: Message,
    command: string | undefined,
  ) {
    const t = texts(lang);
    // Resolved per update: a role change (or losing `bridge.use`) applies to the next message from Telegram.
    const actor = await actorFor(this.ctx.db, {
      userId: link.userId,
      accountId: origin.bot.record.accountId,
      role: link.role,
      via: 'telegram',
    });
    requirePermission(actor, 'bridge.use');
    const conv = await this.conversations.get(actor, conversationId);
    const takenBy = async () => {
      if (!conv.assigneeId || conv.assigneeId === actor.userId || can(actor, 'conversation.assign_others')) return null;
      return (await this.repo.userSummary(actor.accountId, conv.assigneeId))?.name ?? '—';
    };
    switch (command) {
      case undefined: {
        const text = msg.text ?? msg.caption;
        if (!text?.trim() || !msg.text) return this.say(origin, t.textOnly);
        const other = await takenBy();
        if (other) return this.say(origin, t.takenBy(other));
        const sent = await this.conversations.reply(actor, conversationId, { text: text.trim(), private: false });
        // Lets a failed delivery of this reply be reported back beside the operator's message.
        await this.repo.setPostMeta(claim.id, { replyMessageId: sent.id });
        return;
      }
      case 'take': {
        const other = await takenBy();
        if (other) return this.say(origin, t.takenBy(other));
        await this.conversations.update(actor, conversationId, { assigneeId: actor.userId });
        return this.say(origin, t.taken);
      }
      case 'resolve': {
        const other = await takenBy();
        if (other) return this.say(origin, t.takenBy(other));
        await this.conversations.update(actor, conversationId, { status: 'resolved' });
        return this.say(origin, t.resolved);
      }
      case 'history':
        return this.say(origin, historyText(lang, await this.repo.messagesAfter(actor.accountId, conversationId, null, HISTORY_MESSAGES)));
      default:
        return this.say(origin, t.help);
    }
  }

  /** `/start <token>`: spends the token and links this Telegram user to its Switchboard user. */
  private async start(origin: Origin, msg: Message, token: string, lang: Lang): Promise<void> {
    const t = texts(lang);
    if (!token) return this.say(origin, t.startWithoutToken);
    const from = msg.from!;
    const { record } = origin.bot;
    const result = await transaction(this.ctx.pool, async (tx) => {
      const spent = await this.repo.consumeToken(tx.db, record.id, sha256(token));
      if (spent.outcome === 'ok') {
        const linkId = await this.repo.link(tx.db, {
          accountId: record.accountId,
          userId: spent.token.userId,
          botChannelId: record.id,
          telegramUserId: String(from.id),
          telegramChatId: origin.chatId,
          username: from.username ?? null,
        });
        await new IdentityRepository(tx.db).audit({
          accountId: record.accountId,
          actorUserId: spent.token.userId,
          action: 'bridge.linked',
          targetType: 'operator_link',
          targetId: linkId,
          details: { via: 'start', telegramUserId: String(from.id) },
        });
        return { ...spent, linkId };
      }
      return spent;
    });
    const current = await this.repo.linkByTelegramUser(record.accountId, record.id, String(from.id));
    // A redelivered `/start` finds its token spent by this very link: say the same again.
    const linked = result.outcome === 'ok' || (result.outcome === 'used' && current?.userId === result.token.userId);
    if (!linked)
      return this.say(origin, result.outcome === 'expired' ? t.tokenExpired : result.outcome === 'used' ? t.tokenUsed : t.tokenUnknown);
    const user = await this.repo.userSummary(record.accountId, result.token.userId);
    if (!user) return this.say(origin, t.tokenUnknown);
    await this.say(origin, texts(languageOf(user.locale)).linked(user.name, user.email, user.accountName));
  }

  /** The bridge post a message answers, or the conversation topic it was written in. */
  private async postOf(bot: LoadedChannel, msg: Message): Promise<PostRow | undefined> {
    const { accountId, id } = bot.record;
    const chatId = String(msg.chat.id);
    if (msg.is_topic_message && msg.message_thread_id) {
      const inTopic = await this.repo.postOf(accountId, id, chatId, { topicId: msg.message_thread_id });
      if (inTopic) return inTopic;
    }
    const replied = msg.reply_to_message?.message_id;
    return replied === undefined ? undefined : this.repo.postOf(accountId, id, chatId, { messageId: replied });
  }

  /** Answers the operator through the throttled, retried `bridge.post` job. */
  private async say(origin: Origin, text: string): Promise<void> {
    await transaction(this.ctx.pool, (tx) =>
      this.ctx.queue.send(tx, 'bridge.post', {
        kind: 'notice',
        accountId: origin.bot.record.accountId,
        botChannelId: origin.bot.record.id,
        chatId: origin.chatId,
        text: text.slice(0, 4096),
        replyTo: origin.messageId,
        ...(origin.topicId ? { topicId: origin.topicId } : {}),
      }),
    );
  }
}

/** Something a person wrote or sent (not a service message such as a topic being renamed). */
function hasContent(msg: Message): boolean {
  return Boolean(msg.text ?? msg.caption ?? msg.photo ?? msg.document ?? msg.voice ?? msg.video ?? msg.audio ?? msg.sticker);
}
