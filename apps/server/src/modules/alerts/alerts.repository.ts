import { and, desc, eq, getTableColumns, isNull, notInArray, sql } from 'drizzle-orm';
import type { AlertKind } from '@switchboard/shared';
import type { Db } from '../../platform/db/client.js';
import { channels, memberships, users } from '../../platform/db/schema.js';
import { channelAlerts, operatorLinks } from '../../platform/db/schema.channels.js';

export type AlertRow = typeof channelAlerts.$inferSelect & { channelName: string; channelType: string };
export type ChannelHealthRow = typeof channels.$inferSelect & { failedRecently: number };

const alertColumns = {
  id: channelAlerts.id,
  accountId: channelAlerts.accountId,
  channelId: channelAlerts.channelId,
  kind: channelAlerts.kind,
  message: channelAlerts.message,
  openedAt: channelAlerts.openedAt,
  notifiedAt: channelAlerts.notifiedAt,
  resolvedAt: channelAlerts.resolvedAt,
  channelName: channels.name,
  channelType: channels.type,
};

export class AlertsRepository {
  constructor(private readonly db: Db) {}

  /** Every live channel of every account, with its recent failed sends (the health check's input). */
  async channelsWithFacts(): Promise<ChannelHealthRow[]> {
    const failed = sql<number>`(select count(*)::int from messages m
      where m.account_id = ${channels.accountId} and m.channel_id = ${channels.id}
        and m.status in ('failed', 'dead') and m.created_at > now() - interval '15 minutes')`;
    return this.db
      .select({ ...getTableColumns(channels), failedRecently: failed })
      .from(channels)
      .where(isNull(channels.deletedAt));
  }

  /** Kinds of the open alerts, by channel (so the check writes only where something changes). */
  async openKinds(): Promise<Map<string, Set<AlertKind>>> {
    const rows = await this.db
      .select({ channelId: channelAlerts.channelId, kind: channelAlerts.kind })
      .from(channelAlerts)
      .where(isNull(channelAlerts.resolvedAt));
    const byChannel = new Map<string, Set<AlertKind>>();
    for (const r of rows) byChannel.set(r.channelId, (byChannel.get(r.channelId) ?? new Set()).add(r.kind));
    return byChannel;
  }

  /** Open alerts of every account, counted by kind and channel type (the /metrics gauge). */
  async openCounts(): Promise<{ kind: AlertKind; channelType: string; n: number }[]> {
    return this.db
      .select({ kind: channelAlerts.kind, channelType: channels.type, n: sql<number>`count(*)::int` })
      .from(channelAlerts)
      .innerJoin(channels, eq(channels.id, channelAlerts.channelId))
      .where(isNull(channelAlerts.resolvedAt))
      .groupBy(channelAlerts.kind, channels.type);
  }

  /** Opens an alert unless one of that kind is open already; returns it only when new. */
  async open(db: Db, accountId: string, channelId: string, kind: AlertKind, message: string) {
    const [row] = await db
      .insert(channelAlerts)
      .values({ accountId, channelId, kind, message })
      .onConflictDoNothing({ target: [channelAlerts.channelId, channelAlerts.kind], where: sql`${channelAlerts.resolvedAt} is null` })
      .returning();
    return row;
  }

  /** Resolves the channel's open alerts whose kind is no longer a problem; returns those resolved. */
  async resolveAllBut(db: Db, channelId: string, current: AlertKind[]) {
    return db
      .update(channelAlerts)
      .set({ resolvedAt: sql`now()` })
      .where(
        and(
          eq(channelAlerts.channelId, channelId),
          isNull(channelAlerts.resolvedAt),
          current.length ? notInArray(channelAlerts.kind, current) : undefined,
        ),
      )
      .returning();
  }

  /** Owners and admins: their linked Telegram chats (per operator bot) and e-mail addresses. */
  async managers(accountId: string) {
    const isManager = and(eq(memberships.accountId, accountId), sql`${memberships.role} in ('owner', 'admin')`);
    const telegram = await this.db
      .select({ botChannelId: operatorLinks.botChannelId, chatId: operatorLinks.telegramChatId })
      .from(operatorLinks)
      .innerJoin(memberships, and(eq(memberships.userId, operatorLinks.userId), eq(memberships.accountId, operatorLinks.accountId)))
      .innerJoin(channels, and(eq(channels.id, operatorLinks.botChannelId), isNull(channels.deletedAt)))
      .where(and(eq(operatorLinks.accountId, accountId), isManager));
    const emails = await this.db
      .select({ email: users.email })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(isManager);
    return { telegram, emails: emails.map((e) => e.email) };
  }

  async markNotified(id: string): Promise<void> {
    await this.db
      .update(channelAlerts)
      .set({ notifiedAt: sql`now()` })
      .where(eq(channelAlerts.id, id));
  }

  async get(accountId: string, id: string): Promise<AlertRow | undefined> {
    const [row] = await this.selectAlerts().where(and(eq(channelAlerts.accountId, accountId), eq(channelAlerts.id, id)));
    return row;
  }

  async list(accountId: string, f: { open: boolean; channelId?: string | undefined; limit: number }): Promise<AlertRow[]> {
    return this.selectAlerts()
      .where(
        and(
          eq(channelAlerts.accountId, accountId),
          f.open ? isNull(channelAlerts.resolvedAt) : undefined,
          f.channelId ? eq(channelAlerts.channelId, f.channelId) : undefined,
        ),
      )
      .orderBy(desc(channelAlerts.openedAt))
      .limit(f.limit);
  }

  private selectAlerts() {
    return this.db.select(alertColumns).from(channelAlerts).innerJoin(channels, eq(channels.id, channelAlerts.channelId));
  }
}
