import { and, desc, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import { withDefaults, type NotificationSettings } from '@switchboard/shared';
import type { Db } from '../../platform/db/client.js';
import { memberships, users } from '../../platform/db/schema.js';
import {
  notificationDeliveries,
  notificationPreferences,
  notifications,
  outboxCursors,
  pushSubscriptions,
} from '../../platform/db/schema.notify.js';
import { operatorLinks } from '../../platform/db/schema.channels.js';

export type NotificationRow = typeof notifications.$inferSelect;
export type DeliveryRow = typeof notificationDeliveries.$inferSelect;
export type Medium = DeliveryRow['medium'];

/** An active member of an account, with what the notifications need to know of them. */
export interface Person {
  userId: string;
  name: string;
  email: string;
  role: string;
  locale: string | null;
  timeZone: string | null;
}

/** Facts of a conversation a notification speaks of. */
export interface ConversationFacts {
  id: string;
  status: string;
  assigneeId: string | null;
  teamId: string | null;
  contactName: string | null;
  channelName: string;
  preview: string | null;
  /** The contact is blocked: nobody is notified of them. */
  blocked: boolean;
}

/** The SQL of notifications: every query is bound to one account (the cursor is installation-wide). */
export class NotificationsRepository {
  constructor(private readonly db: Db) {}

  async people(db: Db, accountId: string): Promise<Person[]> {
    return db
      .select({
        userId: users.id,
        name: users.name,
        email: users.email,
        role: memberships.role,
        locale: users.locale,
        timeZone: users.timeZone,
      })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.accountId, accountId), isNull(memberships.deactivatedAt)));
  }

  async personOf(db: Db, accountId: string, userId: string): Promise<Person | undefined> {
    return (await this.people(db, accountId)).find((p) => p.userId === userId);
  }

  async teamMemberIds(db: Db, accountId: string, teamId: string): Promise<string[]> {
    const { rows } = await db.execute<{ user_id: string }>(
      sql`select user_id from team_members where account_id = ${accountId} and team_id = ${teamId}`,
    );
    return rows.map((r) => r.user_id);
  }

  async conversation(db: Db, accountId: string, id: string): Promise<ConversationFacts | undefined> {
    const { rows } = await db.execute<{
      id: string;
      status: string;
      assignee_id: string | null;
      team_id: string | null;
      contact_name: string | null;
      channel_name: string;
      preview: string | null;
      blocked: boolean;
    }>(sql`
      select c.id, c.status, c.assignee_id, c.team_id, coalesce(k.name, h.name, h.username, h.external_id) as contact_name,
        ch.name as channel_name, c.last_message_preview as preview, k.blocked_at is not null as blocked
      from conversations c join contacts k on k.id = c.contact_id join contact_handles h on h.id = c.handle_id
        join channels ch on ch.id = c.channel_id
      where c.account_id = ${accountId} and c.id = ${id}`);
    const r = rows[0];
    return r
      ? {
          id: r.id,
          status: r.status,
          assigneeId: r.assignee_id,
          teamId: r.team_id,
          contactName: r.contact_name,
          channelName: r.channel_name,
          preview: r.preview,
          blocked: r.blocked,
        }
      : undefined;
  }

  /** True when the conversation has a customer message before this one (it is not its first). */
  async hasEarlierInbound(db: Db, accountId: string, conversationId: string, messageId: string): Promise<boolean> {
    const { rows } = await db.execute(sql`
      select 1 from messages m where m.account_id = ${accountId} and m.conversation_id = ${conversationId}
        and m.direction = 'in' and m.seq < (select seq from messages where id = ${messageId}) limit 1`);
    return rows.length > 0;
  }

  async messageText(db: Db, accountId: string, messageId: string): Promise<string | null> {
    const { rows } = await db.execute<{ text: string | null }>(
      sql`select text from messages where account_id = ${accountId} and id = ${messageId}`,
    );
    return rows[0]?.text ?? null;
  }

  async settings(db: Db, accountId: string, userIds: string[]): Promise<Map<string, NotificationSettings>> {
    const out = new Map<string, NotificationSettings>();
    if (userIds.length === 0) return out;
    const rows = await db
      .select({ userId: notificationPreferences.userId, settings: notificationPreferences.settings })
      .from(notificationPreferences)
      .where(and(eq(notificationPreferences.accountId, accountId), inArray(notificationPreferences.userId, userIds)));
    for (const r of rows) out.set(r.userId, withDefaults(r.settings));
    for (const id of userIds) if (!out.has(id)) out.set(id, withDefaults(null));
    return out;
  }

  async saveSettings(accountId: string, userId: string, settings: NotificationSettings): Promise<void> {
    await this.db
      .insert(notificationPreferences)
      .values({ accountId, userId, settings })
      .onConflictDoUpdate({
        target: [notificationPreferences.accountId, notificationPreferences.userId],
        set: { settings, updatedAt: new Date() },
      });
  }

  /** Inserts a notification unless one with the same source exists for the person; returns it when new. */
  async insertOnce(db: Db, row: typeof notifications.$inferInsert): Promise<NotificationRow | undefined> {
    const [inserted] = await db.insert(notifications).values(row).onConflictDoNothing().returning();
    return inserted;
  }

  async insertDelivery(db: Db, row: typeof notificationDeliveries.$inferInsert): Promise<string | undefined> {
    const [d] = await db.insert(notificationDeliveries).values(row).onConflictDoNothing().returning({ id: notificationDeliveries.id });
    return d?.id;
  }

  async list(accountId: string, userId: string, opts: { limit: number; unread: boolean; before?: { at: Date; id: string } }) {
    const filters = [eq(notifications.accountId, accountId), eq(notifications.userId, userId)];
    if (opts.unread) filters.push(isNull(notifications.readAt));
    if (opts.before) {
      filters.push(
        or(
          lt(notifications.createdAt, opts.before.at),
          and(eq(notifications.createdAt, opts.before.at), lt(notifications.id, opts.before.id)),
        )!,
      );
    }
    return this.db
      .select()
      .from(notifications)
      .where(and(...filters))
      .orderBy(desc(notifications.createdAt), desc(notifications.id))
      .limit(opts.limit);
  }

  async unreadCount(db: Db, accountId: string, userId: string): Promise<number> {
    const { rows } = await db.execute<{ n: number }>(sql`
      select count(*)::int as n from notifications where account_id = ${accountId} and user_id = ${userId} and read_at is null`);
    return rows[0]?.n ?? 0;
  }

  /** Marks some (or all) of a person's notifications read; returns the ids that changed. */
  async markRead(db: Db, accountId: string, userId: string, ids: string[] | 'all'): Promise<string[]> {
    const filters = [eq(notifications.accountId, accountId), eq(notifications.userId, userId), isNull(notifications.readAt)];
    if (ids !== 'all') filters.push(inArray(notifications.id, ids));
    const rows = await db
      .update(notifications)
      .set({ readAt: new Date() })
      .where(and(...filters))
      .returning({ id: notifications.id });
    return rows.map((r) => r.id);
  }

  async delivery(db: Db, accountId: string, id: string) {
    const [row] = await db
      .select({ delivery: notificationDeliveries, notification: notifications })
      .from(notificationDeliveries)
      .innerJoin(notifications, eq(notifications.id, notificationDeliveries.notificationId))
      .where(and(eq(notificationDeliveries.accountId, accountId), eq(notificationDeliveries.id, id)));
    return row;
  }

  async settleDelivery(db: Db, id: string, patch: Partial<typeof notificationDeliveries.$inferInsert>): Promise<void> {
    await db.update(notificationDeliveries).set(patch).where(eq(notificationDeliveries.id, id));
  }

  async deliveries(accountId: string, userId: string, status: DeliveryRow['status'] | undefined, limit: number) {
    const filters = [eq(notificationDeliveries.accountId, accountId), eq(notificationDeliveries.userId, userId)];
    if (status) filters.push(eq(notificationDeliveries.status, status));
    return this.db
      .select({ delivery: notificationDeliveries, title: notifications.title })
      .from(notificationDeliveries)
      .innerJoin(notifications, eq(notifications.id, notificationDeliveries.notificationId))
      .where(and(...filters))
      .orderBy(desc(notificationDeliveries.createdAt))
      .limit(limit);
  }

  async pushTargets(db: Db, accountId: string, userId: string) {
    return db
      .select()
      .from(pushSubscriptions)
      .where(and(eq(pushSubscriptions.accountId, accountId), eq(pushSubscriptions.userId, userId)));
  }

  async subscriptionCount(accountId: string, userId: string): Promise<number> {
    return (await this.pushTargets(this.db, accountId, userId)).length;
  }

  async subscribe(row: typeof pushSubscriptions.$inferInsert): Promise<void> {
    await this.db
      .insert(pushSubscriptions)
      .values(row)
      .onConflictDoUpdate({
        target: [pushSubscriptions.accountId, pushSubscriptions.userId, pushSubscriptions.endpoint],
        set: { p256dh: row.p256dh, auth: row.auth, userAgent: row.userAgent ?? null, lastError: null },
      });
  }

  async unsubscribe(accountId: string, userId: string, endpoint: string): Promise<boolean> {
    const rows = await this.db
      .delete(pushSubscriptions)
      .where(
        and(eq(pushSubscriptions.accountId, accountId), eq(pushSubscriptions.userId, userId), eq(pushSubscriptions.endpoint, endpoint)),
      )
      .returning({ id: pushSubscriptions.id });
    return rows.length > 0;
  }

  async dropSubscription(db: Db, id: string): Promise<void> {
    await db.delete(pushSubscriptions).where(eq(pushSubscriptions.id, id));
  }

  async noteSubscriptionError(db: Db, id: string, error: string | null): Promise<void> {
    await db.update(pushSubscriptions).set({ lastError: error }).where(eq(pushSubscriptions.id, id));
  }

  /** The person's linked Telegram chats (through the account's operator bots). */
  async telegramChats(db: Db, accountId: string, userId: string) {
    return db
      .select({ botChannelId: operatorLinks.botChannelId, chatId: operatorLinks.telegramChatId })
      .from(operatorLinks)
      .where(and(eq(operatorLinks.accountId, accountId), eq(operatorLinks.userId, userId)));
  }

  /** Locks the named cursor for this round (null: another process holds it); created at `start` the first time. */
  async lockCursor(db: Db, name: string, start: () => Promise<number>): Promise<number | null> {
    const read = async () => {
      const { rows } = await db.execute<{ cursor: number }>(
        sql`select cursor from outbox_cursors where name = ${name} for update skip locked`,
      );
      return rows[0];
    };
    const row = await read();
    if (row) return Number(row.cursor);
    const inserted = await db
      .insert(outboxCursors)
      .values({ name, cursor: await start() })
      .onConflictDoNothing()
      .returning({ cursor: outboxCursors.cursor });
    if (inserted[0]) return inserted[0].cursor;
    const again = await read();
    return again ? Number(again.cursor) : null;
  }

  async setCursor(db: Db, name: string, cursor: number): Promise<void> {
    await db.update(outboxCursors).set({ cursor, updatedAt: new Date() }).where(eq(outboxCursors.name, name));
  }

  async maxEventId(db: Db): Promise<number> {
    const { rows } = await db.execute<{ id: number }>(sql`select coalesce(max(id), 0) as id from events`);
    return Number(rows[0]?.id ?? 0);
  }

  /**
   * Conversations waiting for a person: queued or open, whose newest public message (customer or
   * operator; the bot's notices do not count as an answer) is the customer's, older than `olderThan`
   * and newer than `notBefore` (old silences were noticed long ago, or never will be).
   */
  async waiting(olderThan: Date, notBefore: Date) {
    const { rows } = await this.db.execute<{
      account_id: string;
      id: string;
      assignee_id: string | null;
      team_id: string | null;
      message_id: string;
      waiting_since: Date | string;
    }>(sql`
      select c.account_id, c.id, c.assignee_id, c.team_id, m.id as message_id, m.created_at as waiting_since
      from conversations c
      join contacts k on k.id = c.contact_id and k.blocked_at is null
      cross join lateral (
        select id, direction, created_at from messages
        where conversation_id = c.id and private = false and (direction = 'in' or author_type = 'operator')
        order by seq desc limit 1) m
      where c.status in ('queued', 'open') and c.last_message_at > ${notBefore}
        and m.direction = 'in' and m.created_at < ${olderThan}
      order by c.last_message_at limit 2000`);
    return rows.map((r) => ({
      accountId: r.account_id,
      conversationId: r.id,
      assigneeId: r.assignee_id,
      teamId: r.team_id,
      messageId: r.message_id,
      waitingSince: new Date(r.waiting_since),
    }));
  }
}
