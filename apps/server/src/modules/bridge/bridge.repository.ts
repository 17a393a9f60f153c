import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type pg from 'pg';
import type { Db } from '../../platform/db/client.js';
import { accounts, channels, memberships, users } from '../../platform/db/schema.js';
import { bridgePosts, operatorLinks, operatorLinkTokens } from '../../platform/db/schema.channels.js';

export type LinkRow = Awaited<ReturnType<BridgeRepository['listLinks']>>[number];
export type PostRow = typeof bridgePosts.$inferSelect;

/** Post kinds that carry the conversation to operators (the rest are operators' own messages). */
export const CONVERSATION_POSTS = ['intro', 'message', 'transcript'] as const;

const linkColumns = {
  id: operatorLinks.id,
  accountId: operatorLinks.accountId,
  userId: operatorLinks.userId,
  botChannelId: operatorLinks.botChannelId,
  telegramUserId: operatorLinks.telegramUserId,
  telegramChatId: operatorLinks.telegramChatId,
  telegramUsername: operatorLinks.telegramUsername,
  createdAt: operatorLinks.createdAt,
  userName: users.name,
  userEmail: users.email,
  userLocale: users.locale,
  role: memberships.role,
};

/** Links, link tokens and bridge posts of operator bots; every query is bound to one account. */
export class BridgeRepository {
  constructor(private readonly db: Db) {}

  /** The account's operator bots (Telegram channels with purpose `operators`), oldest first. */
  async operatorBots(accountId: string) {
    return this.db
      .select({ id: channels.id, name: channels.name, config: channels.config, state: channels.state })
      .from(channels)
      .where(
        and(
          eq(channels.accountId, accountId),
          eq(channels.type, 'telegram'),
          sql`${channels.config}->>'purpose' = 'operators'`,
          isNull(channels.deletedAt),
        ),
      )
      .orderBy(asc(channels.createdAt));
  }

  /** Links of one bot with the user behind each, only while that user is still a member of the account. */
  async listLinks(accountId: string, botChannelId: string, db: Db = this.db) {
    return db
      .select(linkColumns)
      .from(operatorLinks)
      .innerJoin(users, eq(users.id, operatorLinks.userId))
      .innerJoin(memberships, and(eq(memberships.userId, operatorLinks.userId), eq(memberships.accountId, operatorLinks.accountId)))
      .where(and(eq(operatorLinks.accountId, accountId), eq(operatorLinks.botChannelId, botChannelId)))
      .orderBy(asc(operatorLinks.createdAt));
  }

  async linkByTelegramUser(accountId: string, botChannelId: string, telegramUserId: string) {
    const rows = await this.db
      .select(linkColumns)
      .from(operatorLinks)
      .innerJoin(users, eq(users.id, operatorLinks.userId))
      .innerJoin(memberships, and(eq(memberships.userId, operatorLinks.userId), eq(memberships.accountId, operatorLinks.accountId)))
      .where(
        and(
          eq(operatorLinks.accountId, accountId),
          eq(operatorLinks.botChannelId, botChannelId),
          eq(operatorLinks.telegramUserId, telegramUserId),
        ),
      );
    return rows[0];
  }

  async getLink(accountId: string, id: string) {
    const [row] = await this.db
      .select(linkColumns)
      .from(operatorLinks)
      .innerJoin(users, eq(users.id, operatorLinks.userId))
      .innerJoin(memberships, and(eq(memberships.userId, operatorLinks.userId), eq(memberships.accountId, operatorLinks.accountId)))
      .where(and(eq(operatorLinks.accountId, accountId), eq(operatorLinks.id, id)));
    return row;
  }

  /**
   * Links a Telegram user to a Switchboard user on one bot. Either side's earlier link on this bot
   * is replaced: one Telegram identity per user, one user per Telegram identity.
   */
  async link(
    db: Db,
    input: {
      accountId: string;
      userId: string;
      botChannelId: string;
      telegramUserId: string;
      telegramChatId: string;
      username: string | null;
    },
  ): Promise<string> {
    await db
      .delete(operatorLinks)
      .where(
        and(
          eq(operatorLinks.botChannelId, input.botChannelId),
          sql`(${operatorLinks.userId} = ${input.userId} or ${operatorLinks.telegramUserId} = ${input.telegramUserId})`,
        ),
      );
    const [row] = await db
      .insert(operatorLinks)
      .values({
        accountId: input.accountId,
        userId: input.userId,
        botChannelId: input.botChannelId,
        telegramUserId: input.telegramUserId,
        telegramChatId: input.telegramChatId,
        telegramUsername: input.username,
      })
      .returning({ id: operatorLinks.id });
    return row!.id;
  }

  async deleteLink(accountId: string, id: string): Promise<boolean> {
    const rows = await this.db
      .delete(operatorLinks)
      .where(and(eq(operatorLinks.accountId, accountId), eq(operatorLinks.id, id)))
      .returning({ id: operatorLinks.id });
    return rows.length > 0;
  }

  async insertToken(row: typeof operatorLinkTokens.$inferInsert): Promise<void> {
    await this.db.insert(operatorLinkTokens).values(row);
  }

  /**
   * Spends a `/start` token of this bot: once, before it expires. Otherwise says why not
   * (`unknown` also covers a token of another account's bot).
   */
  async consumeToken(db: Db, botChannelId: string, tokenHash: string) {
    const [spent] = await db
      .update(operatorLinkTokens)
      .set({ usedAt: sql`now()` })
      .where(
        and(
          eq(operatorLinkTokens.tokenHash, tokenHash),
          eq(operatorLinkTokens.botChannelId, botChannelId),
          isNull(operatorLinkTokens.usedAt),
          sql`${operatorLinkTokens.expiresAt} > now()`,
        ),
      )
      .returning();
    if (spent) return { outcome: 'ok' as const, token: spent };
    const [row] = await db
      .select()
      .from(operatorLinkTokens)
      .where(and(eq(operatorLinkTokens.tokenHash, tokenHash), eq(operatorLinkTokens.botChannelId, botChannelId)));
    if (!row) return { outcome: 'unknown' as const };
    return { outcome: row.usedAt ? ('used' as const) : ('expired' as const), token: row };
  }

  async userSummary(accountId: string, userId: string) {
    const [row] = await this.db
      .select({ name: users.name, email: users.email, locale: users.locale, accountName: accounts.name, role: memberships.role })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .innerJoin(accounts, eq(accounts.id, memberships.accountId))
      .where(and(eq(memberships.accountId, accountId), eq(memberships.userId, userId)));
    return row;
  }

  /** The conversation a Telegram message refers to: the bridge post it answers, or the forum topic it is in. */
  async postOf(accountId: string, botChannelId: string, chatId: string, ref: { messageId?: number; topicId?: number }) {
    const where = [
      eq(bridgePosts.accountId, accountId),
      eq(bridgePosts.botChannelId, botChannelId),
      eq(bridgePosts.telegramChatId, chatId),
    ];
    if (ref.messageId !== undefined) where.push(eq(bridgePosts.telegramMessageId, ref.messageId));
    else if (ref.topicId !== undefined) where.push(eq(bridgePosts.topicId, ref.topicId));
    else return undefined;
    const [row] = await this.db
      .select()
      .from(bridgePosts)
      .where(and(...where))
      .orderBy(asc(bridgePosts.createdAt))
      .limit(1);
    return row;
  }

  /** Where a conversation stands in one chat: its first post, its forum topic and the last message posted. */
  async thread(accountId: string, botChannelId: string, chatId: string, conversationId: string) {
    const posted = sql`${bridgePosts.meta}->>'kind' in ('intro', 'message', 'transcript')`;
    const [row] = await this.db
      .select({
        anchor: sql<
          number | null
        >`(array_agg(${bridgePosts.telegramMessageId} order by ${bridgePosts.createdAt}) filter (where ${posted}))[1]`,
        topicId: sql<number | null>`max(${bridgePosts.topicId})`,
        lastSeq: sql<string | null>`max((${bridgePosts.meta}->>'seq')::bigint) filter (where ${posted})`,
        posts: sql<number>`(count(*) filter (where ${posted}))::int`,
      })
      .from(bridgePosts)
      .where(
        and(
          eq(bridgePosts.accountId, accountId),
          eq(bridgePosts.botChannelId, botChannelId),
          eq(bridgePosts.telegramChatId, chatId),
          eq(bridgePosts.conversationId, conversationId),
        ),
      );
    return {
      anchor: row?.anchor ?? null,
      topicId: row?.topicId ?? null,
      lastSeq: row?.lastSeq === null || row?.lastSeq === undefined ? null : Number(row.lastSeq),
      posts: row?.posts ?? 0,
    };
  }

  /** Records a Telegram message; false when it was recorded before (a replayed update). */
  async recordPost(db: Db, row: typeof bridgePosts.$inferInsert): Promise<PostRow | undefined> {
    const [created] = await db.insert(bridgePosts).values(row).onConflictDoNothing().returning();
    return created;
  }

  async setPostMeta(id: string, meta: Record<string, unknown>): Promise<void> {
    await this.db
      .update(bridgePosts)
      .set({ meta: sql`coalesce(${bridgePosts.meta}, '{}'::jsonb) || ${JSON.stringify(meta)}::jsonb` })
      .where(eq(bridgePosts.id, id));
  }

  async deletePost(id: string): Promise<void> {
    await this.db.delete(bridgePosts).where(eq(bridgePosts.id, id));
  }

  /** The operator messages in Telegram that became this outbound message (to report its failure). */
  async repliesOf(db: Db, accountId: string, conversationId: string, messageId: string) {
    return db
      .select({
        botChannelId: bridgePosts.botChannelId,
        chatId: bridgePosts.telegramChatId,
        messageId: bridgePosts.telegramMessageId,
        topicId: bridgePosts.topicId,
      })
      .from(bridgePosts)
      .where(
        and(
          eq(bridgePosts.accountId, accountId),
          eq(bridgePosts.conversationId, conversationId),
          sql`${bridgePosts.meta}->>'replyMessageId' = ${messageId}`,
        ),
      );
  }

  /** Conversation messages after `afterSeq` (all of them when null), oldest first, without private notes. */
  async messagesAfter(accountId: string, conversationId: string, afterSeq: number | null, limit: number) {
    const { rows } = await this.db.execute<{
      seq: number;
      direction: 'in' | 'out';
      author_type: 'contact' | 'operator' | 'bot' | 'system';
      text: string | null;
      attachments: { kind: string }[];
      author_name: string | null;
      ai_kind: string | null;
    }>(sql`
      select * from (
        select m.seq, m.direction, m.author_type, m.text, m.attachments, u.name as author_name, m.ai->>'kind' as ai_kind
        from messages m left join users u on u.id = m.author_user_id
        where m.account_id = ${accountId} and m.conversation_id = ${conversationId} and not m.private
          and m.seq > ${afterSeq ?? -1}
        order by m.seq desc limit ${limit}) recent
      order by seq`);
    return rows.map((r) => ({ ...r, seq: Number(r.seq) }));
  }
}

/**
 * Runs `fn` holding a session advisory lock named `key` on a dedicated connection: posts of one
 * conversation to one chat happen one at a time, so two jobs never both post its first message.
 */
export async function withAdvisoryLock<T>(pool: pg.Pool, key: string, fn: () => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let lost = false;
  const onError = () => (lost = true); // a lost connection releases the lock; the next query fails
  client.on('error', onError);
  try {
    await client.query('select pg_advisory_lock(hashtextextended($1, 0))', [key]);
    try {
      return await fn();
    } finally {
      await client.query('select pg_advisory_unlock(hashtextextended($1, 0))', [key]).catch(() => (lost = true));
    }
  } finally {
    client.removeListener('error', onError);
    client.release(lost);
  }
}
