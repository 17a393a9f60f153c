import type { z } from 'zod';
import type {
  ChatCard,
  ChatChannel,
  ChatMessage,
  createChatChannelRequest,
  postChatMessageRequest,
  updateChatChannelRequest,
} from '@switchboard/shared';
import type { AppContext } from '../../context.js';
import { transaction, type Tx } from '../../platform/db/transaction.js';
import { AppError, notFound } from '../../platform/http/errors.js';
import type { Upload } from '../../platform/http/upload.js';
import { can, missingPermission, requirePermission, type Actor } from '../identity/permissions.js';
import { Audience } from '../notifications/notifications.create.js';
import { toChatChannel, toChatMessage } from './chat.dto.js';
import { ChatRepository, type ChannelRow, type MessageWithAuthor } from './chat.repository.js';

type CreateChannel = z.output<typeof createChatChannelRequest>;
type UpdateChannel = z.output<typeof updateChatChannelRequest>;
type PostMessage = z.output<typeof postChatMessageRequest>;

const PAGE = 50;

/**
 * The team chat: public and private channels and direct conversations of an account's staff, with
 * threads, reactions, pins, mentions, files and shared conversation/contact cards. Every change is an
 * event (`chat.message`, `chat.channel`); private and direct ones carry their members as `audience`,
 * so the event stream gives them to nobody else.
 */
export class ChatService {
  private readonly repo: ChatRepository;

  constructor(private readonly ctx: AppContext) {
    this.repo = new ChatRepository(ctx.db);
  }

  async channels(actor: Actor): Promise<ChatChannel[]> {
    const rows = await this.repo.channelsFor(actor.accountId, actor.userId);
    const closed = rows.filter((r) => r.kind !== 'public').map((r) => r.id);
    const members = await this.repo.membersOf(actor.accountId, closed);
    return rows.map((r) =>
      toChatChannel(
        r,
        members.filter((m) => m.channelId === r.id),
      ),
    );
  }

  /** People who can use the chat (for direct messages and mentions). */
  async people(actor: Actor) {
    return transaction(this.ctx.pool, async (tx) => {
      const audience = await Audience.load(tx, actor.accountId);
      return audience
        .with('chat.use')
        .map((id) => audience.people.get(id)!)
        .map((p) => ({ id: p.userId, name: p.name, email: p.email }))
        .sort((a, b) => a.name.localeCompare(b.name));
    });
  }

  async createChannel(actor: Actor, req: CreateChannel): Promise<ChatChannel> {
    const id = await transaction(this.ctx.pool, async (tx) => {
      const memberIds = await this.chatUsers(tx, actor.accountId, req.memberIds ?? []);
      const row = await this.repo.insertChannel(tx.db, {
        accountId: actor.accountId,
        kind: req.kind,
        name: req.name,
        topic: req.topic ?? null,
        createdBy: actor.userId,
      });
      if (!row) throw new AppError('conflict', `A channel named "${req.name}" already exists`);
      await this.repo.addMembers(tx.db, actor.accountId, row.id, [actor.userId, ...memberIds]);
      await this.publishChannel(tx, row);
      return row.id;
    });
    return this.channelFor(actor, id);
  }

  /** The direct conversation of me and these people (created on first use; one per set of people). */
  async direct(actor: Actor, userIds: string[]): Promise<ChatChannel> {
    const id = await transaction(this.ctx.pool, async (tx) => {
      const others = await this.chatUsers(
        tx,
        actor.accountId,
        userIds.filter((u) => u !== actor.userId),
      );
      const everyone = [...new Set([actor.userId, ...others])].sort();
      const key = everyone.join(',');
      const existing = await this.repo.directByKey(tx.db, actor.accountId, key);
      if (existing) return existing.id;
      const row = await this.repo.insertChannel(tx.db, {
        accountId: actor.accountId,
        kind: 'direct',
        directKey: key,
        createdBy: actor.userId,
      });
      const channel = row ?? (await this.repo.directByKey(tx.db, actor.accountId, key))!;
      if (row) {
        await this.repo.addMembers(tx.db, actor.accountId, row.id, everyone);
        await this.publishChannel(tx, row);
      }
      return channel.id;
    });
    return this.channelFor(actor, id);
  }

  async updateChannel(actor: Actor, id: string, patch: UpdateChannel): Promise<ChatChannel> {
    await transaction(this.ctx.pool, async (tx) => {
      const channel = await this.visibleChannel(tx, actor, id);
      if (channel.kind === 'direct') throw new AppError('conflict', 'A direct conversation has no name or topic to change');
      if (channel.createdBy !== actor.userId && !can(actor, 'chat.manage')) throw missingPermission('chat.manage');
      const row = await this.repo
        .updateChannel(tx.db, id, {
          ...(patch.name !== undefined ? { name: patch.name } : {}),
          ...(patch.topic !== undefined ? { topic: patch.topic } : {}),
          ...(patch.archived !== undefined ? { archivedAt: patch.archived ? new Date() : null } : {}),
        })
        .catch((err: unknown) => {
          if ((err as { cause?: { code?: string } }).cause?.code === '23505')
            throw new AppError('conflict', `A channel named "${patch.name}" already exists`);
          throw err;
        });
      await this.publishChannel(tx, row!);
    });
    return this.channelFor(actor, id);
  }

  async join(actor: Actor, id: string): Promise<ChatChannel> {
    await transaction(this.ctx.pool, async (tx) => {
      const channel = await this.visibleChannel(tx, actor, id);
      if (channel.kind !== 'public') throw new AppError('forbidden', 'Only public channels can be joined; ask a member to add you');
      // A newcomer starts with everything read: the history is there to scroll, not to count.
      await this.repo.addMembers(tx.db, actor.accountId, id, [actor.userId], await this.repo.maxSeq(tx.db, id));
      await this.publishChannel(tx, channel);
    });
    return this.channelFor(actor, id);
  }

  async leave(actor: Actor, id: string): Promise<void> {
    await transaction(this.ctx.pool, async (tx) => {
      const channel = await this.visibleChannel(tx, actor, id);
      if (channel.kind === 'direct') throw new AppError('conflict', 'A direct conversation cannot be left');
      await this.repo.removeMember(tx.db, id, actor.userId);
      await this.publishChannel(tx, channel, [actor.userId]);
    });
  }

  async addMembers(actor: Actor, id: string, userIds: string[]): Promise<ChatChannel> {
    await transaction(this.ctx.pool, async (tx) => {
      const channel = await this.visibleChannel(tx, actor, id);
      if (channel.kind === 'direct') throw new AppError('conflict', 'Start a new direct conversation to include more people');
      if (!(await this.repo.isMember(tx.db, id, actor.userId)) && !can(actor, 'chat.manage')) throw missingPermission('chat.manage');
      const ids = await this.chatUsers(tx, actor.accountId, userIds);
      await this.repo.addMembers(tx.db, actor.accountId, id, ids, await this.repo.maxSeq(tx.db, id));
      await this.publishChannel(tx, channel);
    });
    return this.channelFor(actor, id);
  }

  async messages(actor: Actor, channelId: string, before?: number): Promise<{ items: ChatMessage[]; nextCursor: string | null }> {
    await this.visibleChannel(this.readTx(), actor, channelId);
    const rows = await this.repo.messages(actor.accountId, channelId, PAGE + 1, before);
    const page = rows.slice(0, PAGE);
    return {
      items: (await this.dto(page)).reverse(),
      nextCursor: rows.length > PAGE ? String(page[page.length - 1]!.seq) : null,
    };
  }

  async thread(actor: Actor, rootId: string): Promise<{ root: ChatMessage; replies: ChatMessage[] }> {
    const root = await this.repo.message(this.ctx.db, actor.accountId, rootId);
    if (!root || root.threadRootId) throw notFound('Thread');
    await this.visibleChannel(this.readTx(), actor, root.channelId);
    const [rootDto] = await this.dto([root]);
    return { root: rootDto!, replies: await this.dto(await this.repo.thread(actor.accountId, rootId)) };
  }

  async pins(actor: Actor, channelId: string): Promise<ChatMessage[]> {
    await this.visibleChannel(this.readTx(), actor, channelId);
    return this.dto((await this.repo.pins(actor.accountId, channelId)).filter((m) => !m.deletedAt));
  }

  async post(actor: Actor, channelId: string, req: PostMessage): Promise<ChatMessage> {
    const id = await transaction(this.ctx.pool, async (tx) => {
      const channel = await this.visibleChannel(tx, actor, channelId);
      if (channel.archivedAt) throw new AppError('conflict', 'The channel is archived');
      const member = await this.repo.isMember(tx.db, channelId, actor.userId);
      if (!member) {
        if (channel.kind !== 'public') throw notFound('Channel');
        await this.repo.addMembers(tx.db, actor.accountId, channelId, [actor.userId], await this.repo.maxSeq(tx.db, channelId));
      }
      if (req.threadRootId) {
        const root = await this.repo.message(tx.db, actor.accountId, req.threadRootId);
        if (!root || root.channelId !== channelId || root.threadRootId)
          throw new AppError('validation_failed', 'threadRootId is not a message of this channel');
      }
      const members = channel.kind === 'public' ? null : (await this.repo.members(tx.db, channelId)).map((m) => m.userId);
      const mentionable = await this.chatUsers(tx, actor.accountId, req.mentions, { lenient: true });
      const mentions = members ? mentionable.filter((u) => members.includes(u)) : mentionable;
      const files = await this.repo.files(tx.db, actor.accountId, req.fileIds);
      if (files.length !== new Set(req.fileIds).size || files.some((f) => f.uploadedBy !== actor.userId)) {
        throw new AppError('validation_failed', 'fileIds must be files you uploaded to the chat');
      }
      const card = req.share ? await this.card(actor, req.share) : null;
      const row = await this.repo.insertMessage(tx.db, {
        accountId: actor.accountId,
        channelId,
        threadRootId: req.threadRootId ?? null,
        authorId: actor.userId,
        text: req.text.trim(),
        mentions,
        attachments: files.map((f) => ({ fileId: f.id, fileName: f.fileName, size: f.size, contentType: f.contentType })),
        card,
      });
      await this.repo.updateChannel(tx.db, channelId, { lastMessageAt: row.createdAt });
      await this.repo.markRead(tx.db, channelId, actor.userId, row.seq);
      if (req.threadRootId) {
        await this.repo.countReply(tx.db, req.threadRootId, row.createdAt);
        await this.publishMessage(tx, channel, req.threadRootId, 'updated', members);
      }
      await this.publishMessage(tx, channel, row.id, 'created', members);
      return row.id;
    });
    return (await this.dto([(await this.repo.message(this.ctx.db, actor.accountId, id))!]))[0]!;
  }

  async edit(actor: Actor, messageId: string, text: string, mentions?: string[]): Promise<ChatMessage> {
    return this.change(actor, messageId, async (tx, m) => {
      if (m.authorId !== actor.userId) throw new AppError('forbidden', 'Only the author can edit a message');
      const patch: { text: string; editedAt: Date; mentions?: string[] } = { text, editedAt: new Date() };
      if (mentions) patch.mentions = await this.chatUsers(tx, actor.accountId, mentions, { lenient: true });
      await this.repo.updateMessage(tx.db, m.id, patch);
    });
  }

  async remove(actor: Actor, messageId: string): Promise<ChatMessage> {
    return this.change(actor, messageId, async (tx, m) => {
      if (m.authorId !== actor.userId && !can(actor, 'chat.manage')) throw missingPermission('chat.manage');
      await this.repo.updateMessage(tx.db, m.id, {
        deletedAt: new Date(),
        text: '',
        attachments: [],
        card: null,
        mentions: [],
        pinnedAt: null,
      });
    });
  }

  async react(actor: Actor, messageId: string, emoji: string, on: boolean): Promise<ChatMessage> {
    return this.change(actor, messageId, async (tx, m) => {
      await this.repo.react(tx.db, { accountId: actor.accountId, messageId: m.id, userId: actor.userId, emoji }, on);
    });
  }

  async pin(actor: Actor, messageId: string, pinned: boolean): Promise<ChatMessage> {
    return this.change(actor, messageId, async (tx, m) => {
      await this.repo.updateMessage(tx.db, m.id, { pinnedAt: pinned ? new Date() : null, pinnedBy: pinned ? actor.userId : null });
    });
  }

  async markRead(actor: Actor, channelId: string, seq: number): Promise<{ lastReadSeq: number }> {
    return transaction(this.ctx.pool, async (tx) => {
      await this.visibleChannel(tx, actor, channelId);
      const lastReadSeq = await this.repo.markRead(tx.db, channelId, actor.userId, seq);
      await this.ctx.bus.publish(tx, actor.accountId, 'chat.read', { audience: [actor.userId], channelId, lastReadSeq });
      return { lastReadSeq };
    });
  }

  /** "…is typing": a live-only event to the channel's people (never stored). */
  async typing(actor: Actor, channelId: string, threadRootId: string | undefined): Promise<void> {
    const channel = await this.visibleChannel(this.readTx(), actor, channelId);
    const members = channel.kind === 'public' ? null : (await this.repo.members(this.ctx.db, channelId)).map((m) => m.userId);
    const name = (await this.repo.members(this.ctx.db, channelId)).find((m) => m.userId === actor.userId)?.name ?? null;
    this.ctx.bus.publishTransient(actor.accountId, 'chat.typing', {
      ...(members ? { audience: members } : {}),
      channelId,
      threadRootId: threadRootId ?? null,
      userId: actor.userId,
      name,
    });
  }

  async search(actor: Actor, q: string): Promise<ChatMessage[]> {
    const visible = (await this.repo.channelsFor(actor.accountId, actor.userId)).map((c) => c.id);
    return this.dto(await this.repo.search(actor.accountId, visible, q, 50));
  }

  async upload(actor: Actor, file: Upload) {
    return this.repo.insertFile({
      accountId: actor.accountId,
      uploadedBy: actor.userId,
      fileName: file.fileName.slice(0, 255),
      contentType: file.mimeType ?? null,
      size: file.buffer.length,
      content: file.buffer,
    });
  }

  /** A chat file, to those who can see a message carrying it (or who uploaded it). */
  async file(actor: Actor, id: string) {
    const f = await this.repo.fileContent(actor.accountId, id);
    if (!f) throw notFound('File');
    if (f.uploadedBy !== actor.userId) {
      const visible = new Set((await this.repo.channelsFor(actor.accountId, actor.userId)).map((c) => c.id));
      const where = await this.repo.channelsWithFile(actor.accountId, id);
      if (!where.some((c) => visible.has(c))) throw notFound('File');
    }
    return f;
  }

  private async change(actor: Actor, messageId: string, fn: (tx: Tx, m: MessageWithAuthor) => Promise<void>): Promise<ChatMessage> {
    await transaction(this.ctx.pool, async (tx) => {
      const m = await this.repo.message(tx.db, actor.accountId, messageId);
      if (!m || m.deletedAt) throw notFound('Message');
      const channel = await this.visibleChannel(tx, actor, m.channelId);
      if (channel.kind !== 'public' && !(await this.repo.isMember(tx.db, channel.id, actor.userId))) throw notFound('Message');
      await fn(tx, m);
      const members = channel.kind === 'public' ? null : (await this.repo.members(tx.db, channel.id)).map((x) => x.userId);
      await this.publishMessage(tx, channel, m.id, m.deletedAt ? 'deleted' : 'updated', members);
    });
    return (await this.dto([(await this.repo.message(this.ctx.db, actor.accountId, messageId))!]))[0]!;
  }

  private async publishMessage(
    tx: Tx,
    channel: ChannelRow,
    id: string,
    change: 'created' | 'updated' | 'deleted',
    members: string[] | null,
  ) {
    const row = (await this.repo.message(tx.db, channel.accountId, id))!;
    const [message] = await this.dtoIn(tx, [row]);
    const kind = row.deletedAt ? 'deleted' : change;
    await this.ctx.bus.publish(tx, channel.accountId, 'chat.message', {
      ...(members ? { audience: members } : {}),
      change: kind,
      message,
      channel: { id: channel.id, kind: channel.kind, name: channel.name, ...(members ? { memberIds: members } : {}) },
    });
  }

  /** Tells the channel's people (and `alsoTo`, e.g. one who left) that it changed; each reloads their list. */
  private async publishChannel(tx: Tx, channel: ChannelRow, alsoTo: string[] = []) {
    const members = channel.kind === 'public' ? null : (await this.repo.members(tx.db, channel.id)).map((m) => m.userId);
    await this.ctx.bus.publish(tx, channel.accountId, 'chat.channel', {
      ...(members ? { audience: [...members, ...alsoTo] } : {}),
      channelId: channel.id,
    });
  }

  private async channelFor(actor: Actor, id: string): Promise<ChatChannel> {
    const found = (await this.channels(actor)).find((c) => c.id === id);
    if (!found) throw notFound('Channel');
    return found;
  }

  /** The channel when the person may see it (public, or a member); otherwise 404, revealing nothing. */
  private async visibleChannel(tx: Pick<Tx, 'db'>, actor: Actor, id: string): Promise<ChannelRow> {
    requirePermission(actor, 'chat.use');
    const channel = await this.repo.channel(tx.db, actor.accountId, id);
    if (!channel) throw notFound('Channel');
    if (channel.kind !== 'public' && !(await this.repo.isMember(tx.db, id, actor.userId))) throw notFound('Channel');
    return channel;
  }

  private readTx(): Pick<Tx, 'db'> {
    return { db: this.ctx.db };
  }

  /** Ids that are active chat users of the account; unknown ones are refused (or dropped when `lenient`). */
  private async chatUsers(tx: Tx, accountId: string, ids: string[], opts: { lenient?: boolean } = {}): Promise<string[]> {
    if (ids.length === 0) return [];
    const audience = await Audience.load(tx, accountId);
    const ok = [...new Set(ids)].filter((id) => audience.can(id, 'chat.use'));
    if (!opts.lenient && ok.length !== new Set(ids).size)
      throw new AppError('validation_failed', 'Some of these people cannot use the team chat');
    return ok;
  }

  private async card(actor: Actor, share: { type: 'conversation' | 'contact'; id: string }): Promise<ChatCard> {
    if (share.type === 'conversation') {
      if (!can(actor, 'conversation.read')) throw missingPermission('conversation.read');
      const c = await this.repo.conversationCard(actor.accountId, share.id);
      if (!c) throw notFound('Conversation');
      return {
        type: 'conversation',
        id: share.id,
        title: `${c.number ? `#${c.number} ` : ''}${c.contact ?? '—'}`,
        subtitle: [c.channel, c.preview].filter(Boolean).join(' · ').slice(0, 200),
      };
    }
    if (!can(actor, 'contact.read')) throw missingPermission('contact.read');
    const k = await this.repo.contactCard(actor.accountId, share.id);
    if (!k) throw notFound('Contact');
    return { type: 'contact', id: share.id, title: k.name ?? '—', subtitle: [...k.phones, ...k.emails].join(', ').slice(0, 200) || null };
  }

  private dto(rows: MessageWithAuthor[]): Promise<ChatMessage[]> {
    return this.dtoIn({ db: this.ctx.db }, rows);
  }

  private async dtoIn(tx: Pick<Tx, 'db'>, rows: MessageWithAuthor[]): Promise<ChatMessage[]> {
    const reactions = await this.repo.reactionsOf(
      rows.map((r) => r.id),
      tx.db,
    );
    return rows.map((r) => toChatMessage(r, reactions));
  }
}
