import { decodeCursor, decodeSeqCursor, encodeCursor } from '../../platform/http/cursor.js';
import type { Attachment, ConversationStatus } from '@switchboard/shared';
import { checkNoteAttachments } from './conversations.note-files.js';
import type { DeliveryContext } from './conversations.delivery.js';
import { TakeoverLedger } from '../assistant/assistant.takeover.js';
import { LearningService } from '../assistant/assistant.learning.js';
import { transaction, type Tx } from '../../platform/db/transaction.js';
import { AppError, notFound } from '../../platform/http/errors.js';
import { messagesTotal } from '../../platform/metrics.js';
import { IdentityRepository } from '../identity/identity.repository.js';
import { requirePermission, type Actor } from '../identity/permissions.js';
import { ConversationsRepository, type ConversationRow, type ListFilter } from './conversations.repository.js';
import { toConversation, toMessage } from './conversations.dto.js';
import { assertWithinLimit } from '../accounts/accounts.limits.js';

/** What needs someone: snoozed conversations are out of the way until they wake (their own filter). */
const ACTIVE: ConversationStatus[] = ['bot', 'queued', 'open'];
/** A snooze shorter than this is a mistake (a time in the past in another time zone, a double click). */
const MIN_SNOOZE_MS = 30_000;

export interface ConversationPatch {
  status?: ConversationStatus | undefined;
  assigneeId?: string | null | undefined;
  category?: string | null | undefined;
  snoozedUntil?: string | undefined;
}

export interface ListQuery {
  status: ConversationStatus | 'all' | 'active';
  /** `me`, `unassigned`, `any` or a user id. */
  assignee: string;
  team?: string | undefined;
  tag?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

export class ConversationsService {
  readonly repo: ConversationsRepository;
  private readonly identity: IdentityRepository;
  private readonly ledger: TakeoverLedger;
  readonly learning: LearningService;

  constructor(private readonly ctx: DeliveryContext) {
    this.repo = new ConversationsRepository(ctx.db);
    this.identity = new IdentityRepository(ctx.db);
    this.ledger = new TakeoverLedger(ctx);
    this.learning = new LearningService(ctx);
  }

  async list(actor: Actor, q: ListQuery) {
    requirePermission(actor, 'conversation.read');
    const filter: ListFilter = {
      statuses: q.status === 'all' ? null : q.status === 'active' ? ACTIVE : [q.status],
      assignee:
        q.assignee === 'any'
          ? { kind: 'any' }
          : q.assignee === 'unassigned'
            ? { kind: 'unassigned' }
            : { kind: 'user', userId: q.assignee === 'me' ? actor.userId : q.assignee },
      teamId: q.team,
      tagId: q.tag,
      limit: q.limit + 1,
      ...(q.cursor ? { after: afterCursor(q.cursor) } : {}),
    };
    const rows = await this.repo.list(actor.accountId, actor.userId, filter);
    const items = rows.slice(0, q.limit);
    return {
      items: items.map(toConversation),
      nextCursor: rows.length > q.limit ? encodeCursor(items.at(-1)!.lastMessageAt, items.at(-1)!.id) : null,
    };
  }

  async get(actor: Actor, id: string) {
    requirePermission(actor, 'conversation.read');
    const row = await this.repo.get(this.ctx.db, actor.accountId, id);
    if (!row) throw notFound('Conversation');
    return row;
  }

  async messages(actor: Actor, id: string, limit: number, cursor?: string) {
    await this.get(actor, id);
    const before = cursor ? decodeSeqCursor(cursor) : undefined;
    const rows = await this.repo.messages(actor.accountId, id, limit + 1, before);
    const items = rows.length > limit ? rows.slice(1) : rows;
    return { items: items.map(toMessage), nextCursor: rows.length > limit ? String(items[0]!.seq) : null };
  }

  /** An operator's reply (queued for delivery in the same transaction) or private note. */
  async reply(
    actor: Actor,
    id: string,
    input: { text: string; private: boolean; mentions?: string[] | undefined; attachments?: Attachment[] | undefined },
    opts: { fromSuggestion?: boolean } = {},
  ) {
    requirePermission(actor, input.private ? 'conversation.note' : 'conversation.reply');
    if (!input.private) await assertWithinLimit(this.ctx.db, actor.accountId, 'messagesPerMonth');
    const mentions = input.private ? await this.mentionable(actor, input.mentions ?? []) : [];
    if (!input.private && input.attachments?.length) {
      throw new AppError('validation_failed', 'Files can be attached to private notes only for now', { field: 'attachments' });
    }
    return transaction(this.ctx.pool, async (tx) => {
      const conv = await this.repo.get(tx.db, actor.accountId, id);
      if (!conv) throw notFound('Conversation');
      // A person's first answer since the hand-over is preceded by the greeting in their name.
      if (!input.private) await this.ledger.answering(tx, conv, actor);
      const attachments = await checkNoteAttachments(tx.db, actor.accountId, conv.channelId, input.attachments ?? []);
      const message = await this.repo.insertOutbound(tx, {
        accountId: actor.accountId,
        conversationId: id,
        channelId: conv.channelId,
        authorUserId: actor.userId,
        text: input.text,
        private: input.private,
        ...(mentions.length ? { meta: { mentions } } : {}),
        ...(attachments.length ? { attachments } : {}),
      });
      if (mentions.length) {
        await this.ctx.bus.publish(tx, actor.accountId, 'note.mentioned', {
          conversationId: id,
          messageId: message.id,
          authorId: actor.userId,
          mentionedUserIds: mentions,
        });
      }
      if (!input.private) {
        await this.ledger.replied(tx, conv);
        await this.ctx.queue.send(tx, 'message.send', { accountId: actor.accountId, messageId: message.id });
        // Answering takes the conversation: it opens, and is assigned to the replier if nobody has it.
        const status = conv.status === 'open' ? undefined : 'open';
        const assigneeId = conv.assigneeId ? undefined : actor.userId;
        await this.repo.update(tx, actor.accountId, id, {
          unreadCount: 0,
          touch: input.text,
          ...(status ? { status } : {}),
          ...(assigneeId ? { assigneeId } : {}),
          ...(conv.status === 'snoozed' ? { snoozedUntil: null } : {}),
        });
        if (assigneeId) await this.publishAssigned(tx, conv, assigneeId, actor.userId);
        tx.afterCommit(() => messagesTotal.inc({ channel_type: conv.channelType, direction: 'out', status: 'queued' }));
        // Answered from an FAQ entry? The customer's wording may teach the assistant (see LearningService).
        if (!opts.fromSuggestion)
          tx.afterCommit(() => this.learning.considerInBackground(actor, { conversationId: id, messageId: message.id, text: input.text }));
      }
      const dto = toMessage(message);
      await this.ctx.bus.publish(tx, actor.accountId, 'message.created', { conversationId: id, message: dto });
      await this.publishConversation(tx, actor.accountId, id);
      return dto;
    });
  }

  async update(actor: Actor, id: string, patch: ConversationPatch) {
    await this.checkUpdate(actor, patch);
    return transaction(this.ctx.pool, async (tx) => {
      await this.applyUpdate(tx, actor, id, patch);
      return this.publishConversation(tx, actor.accountId, id);
    });
  }

  /** The checks of a change that need no conversation: permissions, the assignee's membership, the snooze time. */
  async checkUpdate(actor: Actor, patch: ConversationPatch): Promise<void> {
    requirePermission(actor, 'conversation.assign');
    if (patch.assigneeId && patch.assigneeId !== actor.userId) {
      requirePermission(actor, 'conversation.assign_others');
      if (!(await this.identity.findMember(actor.accountId, patch.assigneeId))) {
        throw new AppError('validation_failed', 'The assignee is not a member of this account', { field: 'assigneeId' });
      }
    }
    if (patch.status === 'snoozed') {
      if (!patch.snoozedUntil) throw new AppError('snooze_time_required', 'Say until when to snooze', { field: 'snoozedUntil' });
      if (new Date(patch.snoozedUntil).getTime() < Date.now() + MIN_SNOOZE_MS) {
        throw new AppError('snooze_in_past', 'The snooze time has to be in the future', { field: 'snoozedUntil' });
      }
    }
  }

  /** Applies a checked change to one conversation inside the caller's transaction (also used by bulk actions). */
  async applyUpdate(tx: Tx, actor: Actor, id: string, patch: ConversationPatch): Promise<void> {
    const conv = await this.repo.get(tx.db, actor.accountId, id);
    if (!conv) throw notFound('Conversation');
    // Without assign_others one only moves a conversation between nobody and oneself: a colleague's stays theirs.
    const ownOrFree = (userId: string | null) => userId === null || userId === actor.userId;
    if (patch.assigneeId !== undefined && patch.assigneeId !== conv.assigneeId && !ownOrFree(conv.assigneeId)) {
      requirePermission(actor, 'conversation.assign_others');
    }
    // Taking a conversation from the bot or the queue opens it; the bot stops answering there.
    const waiting = conv.status === 'queued' || conv.status === 'bot';
    const status = patch.status ?? (patch.assigneeId && waiting ? 'open' : undefined);
    // Opening a conversation the bot had, without naming anyone, takes it for oneself.
    const assigneeId =
      patch.assigneeId !== undefined ? patch.assigneeId : status === 'open' && waiting && !conv.assigneeId ? actor.userId : undefined;
    if (assigneeId) await this.ledger.taken(tx, conv, assigneeId, actor);
    if (status === 'resolved' && conv.status !== 'resolved') await this.ledger.resolved(tx, conv, actor);
    if (patch.category !== undefined) await this.correctCategory(tx, actor, conv, patch.category);
    const snoozedUntil = status === 'snoozed' ? new Date(patch.snoozedUntil!) : status && conv.snoozedUntil ? null : undefined;
    await this.repo.update(tx, actor.accountId, id, {
      ...(status ? { status } : {}),
      ...(assigneeId !== undefined ? { assigneeId } : {}),
      ...(snoozedUntil !== undefined ? { snoozedUntil } : {}),
    });
    if (snoozedUntil) {
      const seconds = Math.ceil((snoozedUntil.getTime() - Date.now()) / 1000);
      await this.ctx.queue.send(
        tx,
        'conversation.wake',
        { accountId: actor.accountId, conversationId: id },
        { startAfterSeconds: seconds },
      );
    }
    if (assigneeId !== undefined && assigneeId !== conv.assigneeId) await this.publishAssigned(tx, conv, assigneeId, actor.userId);
    // Capacity freed (resolved, snoozed, let go) or a conversation back in the queue: auto-assignment may act.
    const freed = conv.assigneeId && (assigneeId === null || status === 'resolved' || status === 'snoozed');
    const queued = (status === 'queued' || assigneeId === null) && status !== 'resolved';
    if (freed || queued) await this.ctx.hooks?.humanQueue?.(tx, actor.accountId);
  }

  /** `conversation.assigned`: who has it now, who had it, who moved it (null: auto-assignment). */
  async publishAssigned(tx: Tx, conv: ConversationRow, assigneeId: string | null, byUserId: string | null): Promise<void> {
    await this.ctx.bus.publish(tx, conv.accountId, 'conversation.assigned', {
      conversationId: conv.id,
      assigneeId,
      previousAssigneeId: conv.assigneeId,
      byUserId,
      teamId: conv.teamId,
    });
  }

  /**
   * A conversation went back to the queue without the person who had it (deactivated): the conversation and
   * `conversation.assigned` events, and auto-assignment may give it to someone else.
   */
  async returnedToQueue(tx: Tx, accountId: string, id: string, from: { assigneeId: string; byUserId: string }): Promise<void> {
    const conv = await this.repo.get(tx.db, accountId, id);
    if (!conv) return;
    await this.publishAssigned(tx, { ...conv, assigneeId: from.assigneeId }, null, from.byUserId);
    await this.publishConversation(tx, accountId, id);
    await this.ctx.hooks?.humanQueue?.(tx, accountId);
  }

  /** Auto-assignment gave a waiting conversation to someone: the hand-over record and `conversation.assigned`. */
  async autoAssigned(tx: Tx, accountId: string, id: string, assigneeId: string): Promise<void> {
    const conv = await this.repo.get(tx.db, accountId, id);
    if (!conv) return;
    await this.ledger.assigned(tx, conv, assigneeId);
    await this.publishAssigned(tx, { ...conv, assigneeId: null }, assigneeId, null);
    await this.publishConversation(tx, accountId, id);
  }

  /** Wakes a snoozed conversation whose time has come (idempotent: a woken or re-snoozed one is left alone). */
  async wakeIfDue(accountId: string, id: string, now = new Date()): Promise<boolean> {
    return transaction(this.ctx.pool, async (tx) => {
      const conv = await this.repo.lockSnoozed(tx, accountId, id);
      if (!conv || !conv.snoozedUntil || conv.snoozedUntil.getTime() > now.getTime() + 1000) return false;
      await this.repo.update(tx, accountId, id, { status: conv.assigneeId ? 'open' : 'queued', snoozedUntil: null });
      await this.ctx.bus.publish(tx, accountId, 'conversation.snooze_woke', { conversationId: id, reason: 'time' });
      await this.publishConversation(tx, accountId, id);
      if (!conv.assigneeId) await this.ctx.hooks?.humanQueue?.(tx, accountId);
      return true;
    });
  }

  /** The mentioned people who are members of the account (others are dropped). */
  private async mentionable(actor: Actor, userIds: string[]): Promise<string[]> {
    const out: string[] = [];
    for (const userId of new Set(userIds)) {
      if (userId !== actor.userId && (await this.identity.findMember(actor.accountId, userId))) out.push(userId);
    }
    return out;
  }

  /** An operator's category is final for this conversation and becomes a training example. */
  private async correctCategory(tx: Tx, actor: Actor, conv: ConversationRow, category: string | null) {
    await this.repo.setCategory(tx, actor.accountId, conv.id, category);
    const text = await this.repo.customerText(tx.db, actor.accountId, conv.id);
    if (category && text) await this.ctx.ai.repo.upsertCorrection(tx, actor.accountId, conv.id, text, category);
  }

  async markRead(actor: Actor, id: string) {
    requirePermission(actor, 'conversation.read');
    let conv: ConversationRow | undefined;
    const dto = await transaction(this.ctx.pool, async (tx) => {
      conv = await this.repo.get(tx.db, actor.accountId, id);
      if (!conv) throw notFound('Conversation');
      await this.repo.update(tx, actor.accountId, id, { unreadCount: 0 });
      await this.ledger.opened(tx, conv, actor);
      return this.publishConversation(tx, actor.accountId, id);
    });
    if (conv && conv.unreadCount > 0) this.markReadAtProvider(conv);
    return dto;
  }

  /** Tells the channel (Avito "read") in the background: its failure never holds up or fails the operator. */
  private markReadAtProvider(conv: ConversationRow): void {
    void (async () => {
      const channel = await this.ctx.channels.load(conv.accountId, conv.channelId);
      if (!channel) return;
      await this.ctx.channels.adapter(channel.record.type).markRead?.(channel.record, channel.secrets, conv.externalChatId);
    })().catch((err: unknown) => this.ctx.log.warn({ err, conversationId: conv.id }, 'channel not told the conversation was read'));
  }

  /** Publishes the conversation's current state (in the transaction) and returns it. */
  async publishConversation(tx: Tx, accountId: string, id: string) {
    const row = await this.repo.get(tx.db, accountId, id);
    if (!row) throw notFound('Conversation');
    const dto = toConversation(row);
    await this.ctx.bus.publish(tx, accountId, 'conversation.updated', { conversation: dto });
    return dto;
  }
}

function afterCursor(cursor: string) {
  const { at, id } = decodeCursor(cursor);
  return { lastMessageAt: at, id };
}
