import { and, asc, desc, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import { users } from '../../platform/db/schema.js';
import { chatChannels, chatFiles, chatMembers, chatMessages, chatReactions } from '../../platform/db/schema.notify.js';

export type ChannelRow = typeof chatChannels.$inferSelect;
export type MessageRow = typeof chatMessages.$inferSelect;
export type MessageWithAuthor = MessageRow & { authorName: string | null };

/** The team chat's SQL; every query is bound to one account. */
export class ChatRepository {
  constructor(private readonly db: Db) {}

  /**
   * Channels a person sees: every public one, and private and direct ones they belong to, with their unread
   * counts — messages of the channel itself; replies in threads reach people by mentions (notifications).
   */
  async channelsFor(accountId: string, userId: string) {
    const { rows } = await this.db.execute<{
      id: string;
      kind: 'public' | 'private' | 'direct';
      name: string | null;
      topic: string | null;
      created_by: string | null;
      archived_at: Date | null;
      last_message_at: Date | null;
      joined: boolean;
      last_read_seq: number | null;
      unread: number;
      mentions: number;
      member_count: number;
    }>(sql`
      select c.id, c.kind, c.name, c.topic, c.created_by, c.archived_at, c.last_message_at,
        m.user_id is not null as joined, m.last_read_seq,
        (select count(*)::int from chat_members x where x.channel_id = c.id) as member_count,
        coalesce(u.unread, 0) as unread, coalesce(u.mentions, 0) as mentions
      from chat_channels c
      left join chat_members m on m.channel_id = c.id and m.user_id = ${userId}
      left join lateral (
        select count(*)::int as unread, count(*) filter (where msg.mentions ? ${userId}::text)::int as mentions
        from chat_messages msg
        where m.user_id is not null and msg.channel_id = c.id and msg.seq > m.last_read_seq and msg.thread_root_id is null
          and msg.deleted_at is null and msg.author_id is distinct from ${userId}) u on true
      where c.account_id = ${accountId} and (c.kind = 'public' or m.user_id is not null)
      order by c.kind = 'direct', coalesce(c.last_message_at, c.created_at) desc`);
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      name: r.name,
      topic: r.topic,
      createdBy: r.created_by,
      archivedAt: r.archived_at ? new Date(r.archived_at) : null,
      lastMessageAt: r.last_message_at ? new Date(r.last_message_at) : null,
      joined: r.joined,
      lastReadSeq: Number(r.last_read_seq ?? 0),
      unread: r.unread,
      mentions: r.mentions,
      memberCount: r.member_count,
    }));
  }

  async channel(db: Db, accountId: string, id: string): Promise<ChannelRow | undefined> {
    const [row] = await db
      .select()
      .from(chatChannels)
      .where(and(eq(chatChannels.accountId, accountId), eq(chatChannels.id, id)));
    return row;
  }

  async directByKey(db: Db, accountId: string, key: string): Promise<ChannelRow | undefined> {
    const [row] = await db
      .select()
      .from(chatChannels)
      .where(and(eq(chatChannels.accountId, accountId), eq(chatChannels.directKey, key)));
    return row;
  }

  async insertChannel(db: Db, row: typeof chatChannels.$inferInsert): Promise<ChannelRow | undefined> {
    const [inserted] = await db.insert(chatChannels).values(row).onConflictDoNothing().returning();
    return inserted;
  }

  async updateChannel(db: Db, id: string, patch: Partial<typeof chatChannels.$inferInsert>): Promise<ChannelRow | undefined> {
    const [row] = await db.update(chatChannels).set(patch).where(eq(chatChannels.id, id)).returning();
    return row;
  }

  async members(db: Db, channelId: string) {
    return db
      .select({ userId: chatMembers.userId, name: users.name, lastReadSeq: chatMembers.lastReadSeq })
      .from(chatMembers)
      .innerJoin(users, eq(users.id, chatMembers.userId))
      .where(eq(chatMembers.channelId, channelId))
      .orderBy(asc(users.name));
  }

  async membersOf(accountId: string, channelIds: string[]) {
    if (channelIds.length === 0) return [];
    return this.db
      .select({ channelId: chatMembers.channelId, userId: chatMembers.userId, name: users.name })
      .from(chatMembers)
      .innerJoin(users, eq(users.id, chatMembers.userId))
      .where(and(eq(chatMembers.accountId, accountId), inArray(chatMembers.channelId, channelIds)));
  }

  async isMember(db: Db, channelId: string, userId: string): Promise<boolean> {
    const rows = await db
      .select({ u: chatMembers.userId })
      .from(chatMembers)
      .where(and(eq(chatMembers.channelId, channelId), eq(chatMembers.userId, userId)));
    return rows.length > 0;
  }

  async addMembers(db: Db, accountId: string, channelId: string, userIds: string[], lastReadSeq = 0): Promise<void> {
    if (userIds.length === 0) return;
    await db
      .insert(chatMembers)
      .values(userIds.map((userId) => ({ accountId, channelId, userId, lastReadSeq })))
      .onConflictDoNothing();
  }

  async removeMember(db: Db, channelId: string, userId: string): Promise<void> {
    await db.delete(chatMembers).where(and(eq(chatMembers.channelId, channelId), eq(chatMembers.userId, userId)));
  }

  async markRead(db: Db, channelId: string, userId: string, seq: number): Promise<number> {
    const [row] = await db
      .update(chatMembers)
      .set({ lastReadSeq: sql`greatest(${chatMembers.lastReadSeq}, ${seq})` })
      .where(and(eq(chatMembers.channelId, channelId), eq(chatMembers.userId, userId)))
      .returning({ seq: chatMembers.lastReadSeq });
    return row?.seq ?? 0;
  }

  async maxSeq(db: Db, channelId: string): Promise<number> {
    const { rows } = await db.execute<{ seq: number | null }>(
      sql`select max(seq) as seq from chat_messages where channel_id = ${channelId}`,
    );
    return Number(rows[0]?.seq ?? 0);
  }

  private withAuthor() {
    return this.db
      .select({ message: chatMessages, authorName: users.name })
      .from(chatMessages)
      .leftJoin(users, eq(users.id, chatMessages.authorId));
  }

  private static flat(rows: { message: MessageRow; authorName: string | null }[]): MessageWithAuthor[] {
    return rows.map((r) => ({ ...r.message, authorName: r.authorName }));
  }

  /** Top-level messages of a channel, newest first, before `beforeSeq`. */
  async messages(accountId: string, channelId: string, limit: number, beforeSeq?: number): Promise<MessageWithAuthor[]> {
    const filters = [eq(chatMessages.accountId, accountId), eq(chatMessages.channelId, channelId), isNull(chatMessages.threadRootId)];
    if (beforeSeq !== undefined) filters.push(lt(chatMessages.seq, beforeSeq));
    return ChatRepository.flat(
      await this.withAuthor()
        .where(and(...filters))
        .orderBy(desc(chatMessages.seq))
        .limit(limit),
    );
  }

  async thread(accountId: string, rootId: string): Promise<MessageWithAuthor[]> {
    return ChatRepository.flat(
      await this.withAuthor()
        .where(and(eq(chatMessages.accountId, accountId), eq(chatMessages.threadRootId, rootId)))
        .orderBy(asc(chatMessages.seq))
        .limit(500),
    );
  }

  async pins(accountId: string, channelId: string): Promise<MessageWithAuthor[]> {
    return ChatRepository.flat(
      await this.withAuthor()
        .where(and(eq(chatMessages.accountId, accountId), eq(chatMessages.channelId, channelId), sql`${chatMessages.pinnedAt} is not null`))
        .orderBy(desc(chatMessages.pinnedAt))
        .limit(100),
    );
  }

  async message(db: Db, accountId: string, id: string): Promise<MessageWithAuthor | undefined> {
    const [row] = await db
      .select({ message: chatMessages, authorName: users.name })
      .from(chatMessages)
      .leftJoin(users, eq(users.id, chatMessages.authorId))
      .where(and(eq(chatMessages.accountId, accountId), eq(chatMessages.id, id)));
    return row ? { ...row.message, authorName: row.authorName } : undefined;
  }

  async insertMessage(db: Db, row: typeof chatMessages.$inferInsert): Promise<MessageRow> {
    const [inserted] = await db.insert(chatMessages).values(row).returning();
    return inserted!;
  }

  async updateMessage(db: Db, id: string, patch: Partial<typeof chatMessages.$inferInsert>): Promise<void> {
    await db.update(chatMessages).set(patch).where(eq(chatMessages.id, id));
  }

  async countReply(db: Db, rootId: string, at: Date): Promise<void> {
    await db
      .update(chatMessages)
      .set({ replyCount: sql`${chatMessages.replyCount} + 1`, lastReplyAt: at })
      .where(eq(chatMessages.id, rootId));
  }

  async reactionsOf(messageIds: string[], db: Db = this.db) {
    if (messageIds.length === 0) return [];
    return db
      .select({ messageId: chatReactions.messageId, userId: chatReactions.userId, emoji: chatReactions.emoji })
      .from(chatReactions)
      .where(inArray(chatReactions.messageId, messageIds))
      .orderBy(asc(chatReactions.createdAt));
  }

  async react(db: Db, row: typeof chatReactions.$inferInsert, on: boolean): Promise<void> {
    if (on) await db.insert(chatReactions).values(row).onConflictDoNothing();
    else
      await db
        .delete(chatReactions)
        .where(and(eq(chatReactions.messageId, row.messageId), eq(chatReactions.userId, row.userId), eq(chatReactions.emoji, row.emoji)));
  }

  /** Messages matching `q` (words or a fragment) in the given channels, newest first. */
  async search(accountId: string, channelIds: string[], q: string, limit: number): Promise<MessageWithAuthor[]> {
    if (channelIds.length === 0) return [];
    const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    return ChatRepository.flat(
      await this.withAuthor()
        .where(
          and(
            eq(chatMessages.accountId, accountId),
            inArray(chatMessages.channelId, channelIds),
            isNull(chatMessages.deletedAt),
            sql`(to_tsvector('simple', ${chatMessages.text}) @@ plainto_tsquery('simple', ${q}) or ${chatMessages.text} ilike ${like})`,
          ),
        )
        .orderBy(desc(chatMessages.seq))
        .limit(limit),
    );
  }

  async insertFile(row: typeof chatFiles.$inferInsert) {
    const [f] = await this.db
      .insert(chatFiles)
      .values(row)
      .returning({ id: chatFiles.id, fileName: chatFiles.fileName, size: chatFiles.size, contentType: chatFiles.contentType });
    return f!;
  }

  async files(db: Db, accountId: string, ids: string[]) {
    if (ids.length === 0) return [];
    return db
      .select({
        id: chatFiles.id,
        fileName: chatFiles.fileName,
        size: chatFiles.size,
        contentType: chatFiles.contentType,
        uploadedBy: chatFiles.uploadedBy,
      })
      .from(chatFiles)
      .where(and(eq(chatFiles.accountId, accountId), inArray(chatFiles.id, ids)));
  }

  async fileContent(accountId: string, id: string) {
    const [f] = await this.db
      .select()
      .from(chatFiles)
      .where(and(eq(chatFiles.accountId, accountId), eq(chatFiles.id, id)));
    return f;
  }

  /** Channels whose messages carry this file. */
  async channelsWithFile(accountId: string, fileId: string): Promise<string[]> {
    const { rows } = await this.db.execute<{ channel_id: string }>(sql`
      select distinct channel_id from chat_messages
      where account_id = ${accountId} and deleted_at is null and attachments @> ${JSON.stringify([{ fileId }])}::jsonb`);
    return rows.map((r) => r.channel_id);
  }

  /** Card facts of a conversation: its contact, channel and number. */
  async conversationCard(accountId: string, id: string) {
    const { rows } = await this.db.execute<{ contact: string | null; channel: string; number: number | null; preview: string | null }>(sql`
      select coalesce(k.name, h.name, h.username, h.external_id) as contact, ch.name as channel, c.number, c.last_message_preview as preview
      from conversations c join contacts k on k.id = c.contact_id join contact_handles h on h.id = c.handle_id
        join channels ch on ch.id = c.channel_id
      where c.account_id = ${accountId} and c.id = ${id}`);
    return rows[0];
  }

  async contactCard(accountId: string, id: string) {
    const { rows } = await this.db.execute<{ name: string | null; phones: string[]; emails: string[] }>(sql`
      select coalesce(k.name, (select coalesce(h.name, h.username, h.external_id) from contact_handles h where h.contact_id = k.id limit 1)) as name,
        k.phones, k.emails
      from contacts k where k.account_id = ${accountId} and k.id = ${id}`);
    return rows[0];
  }
}
