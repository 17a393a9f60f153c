import { and, asc, eq, ilike, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import { accounts, memberships, users, type AccountLimits } from '../../platform/db/schema.js';

export type AccountStatus = 'active' | 'suspended';

/** Usage this month and now, per account (plan limits, platform cabinet). */
export interface UsageRow {
  people: number;
  channels: number;
  messagesPerMonth: number;
  aiAnswersPerMonth: number;
  storageBytes: number;
}

export interface HealthRow {
  channelsFailing: number;
  undeliveredReplies: number;
  lastActivityAt: Date | null;
}

const monthStart = sql`date_trunc('month', now())`;
/** Qualified: inside the subqueries an unqualified "id" would name the inner table's column. */
const account = sql.raw('"accounts"."id"');

/** One row's usage and health, as correlated subqueries on `accounts.id` (each served by an index). */
const usageColumns = {
  people: sql<number>`(select count(*)::int from memberships m where m.account_id = ${account})`,
  channels: sql<number>`(select count(*)::int from channels c where c.account_id = ${account} and c.deleted_at is null)`,
  messagesPerMonth: sql<number>`(select count(*)::int from messages x where x.account_id = ${account} and x.created_at >= ${monthStart} and not x.private)`,
  aiAnswersPerMonth: sql<number>`(select count(*)::int from messages x where x.account_id = ${account} and x.created_at >= ${monthStart} and x.author_type = 'bot')`,
  storageBytes: sql<number>`((select coalesce(sum(f.size), 0) from stored_files f where f.account_id = ${account})
    + (select coalesce(sum(octet_length(k.content)), 0) from knowledge_files k where k.account_id = ${account}))::float8`,
};
const healthColumns = {
  channelsFailing: sql<number>`(select count(*)::int from channels c where c.account_id = ${account} and c.deleted_at is null
    and (c.status = 'auth_failed' or exists (select 1 from channel_alerts a where a.channel_id = c.id and a.resolved_at is null)))`,
  undeliveredReplies: sql<number>`(select count(*)::int from messages x where x.account_id = ${account} and x.status in ('failed', 'dead', 'uncertain'))`,
  lastActivityAt: sql<Date | null>`(select max(x.created_at) from messages x where x.account_id = ${account})`,
};

export class AccountsRepository {
  constructor(private readonly db: Db) {}

  async create(name: string, limits: AccountLimits): Promise<{ id: string }> {
    const [row] = await this.db.insert(accounts).values({ name, limits }).returning({ id: accounts.id });
    return row!;
  }

  /** Accounts with usage and health, newest first; `q` matches the name. */
  async list(filter: { q?: string; status?: AccountStatus; id?: string }, limit = 500) {
    const rows = await this.db
      .select({
        id: accounts.id,
        name: accounts.name,
        status: accounts.status,
        suspendedAt: accounts.suspendedAt,
        limits: accounts.limits,
        createdAt: accounts.createdAt,
        owners: sql<string[]>`array(select u.email from memberships m join users u on u.id = m.user_id
          where m.account_id = ${account} and m.role = 'owner' order by m.created_at)`,
        ...usageColumns,
        ...healthColumns,
      })
      .from(accounts)
      .where(
        and(
          filter.q ? ilike(accounts.name, `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`) : undefined,
          filter.status ? eq(accounts.status, filter.status) : undefined,
          filter.id ? eq(accounts.id, filter.id) : undefined,
        ),
      )
      .orderBy(sql`${accounts.createdAt} desc`, asc(accounts.id))
      .limit(limit);
    return rows.map((r) => ({
      ...r,
      storageBytes: Number(r.storageBytes),
      lastActivityAt: r.lastActivityAt ? new Date(r.lastActivityAt) : null,
    }));
  }

  async find(id: string) {
    const [row] = await this.db.select().from(accounts).where(eq(accounts.id, id));
    return row;
  }

  /** One usage counter of one account (the limit checks read only what they need). */
  async usage(accountId: string, name: keyof UsageRow): Promise<number> {
    const [row] = await this.db.select({ n: usageColumns[name] }).from(accounts).where(eq(accounts.id, accountId));
    return Number(row?.n ?? 0);
  }

  async limits(accountId: string): Promise<AccountLimits | undefined> {
    const [row] = await this.db.select({ limits: accounts.limits }).from(accounts).where(eq(accounts.id, accountId));
    return row?.limits;
  }

  async status(accountId: string): Promise<AccountStatus | undefined> {
    const [row] = await this.db.select({ status: accounts.status }).from(accounts).where(eq(accounts.id, accountId));
    return row?.status;
  }

  async setStatus(id: string, status: AccountStatus): Promise<boolean> {
    const rows = await this.db
      .update(accounts)
      .set({ status, suspendedAt: status === 'suspended' ? sql`now()` : null })
      .where(and(eq(accounts.id, id), sql`${accounts.status} <> ${status}`))
      .returning({ id: accounts.id });
    return rows.length > 0;
  }

  async update(id: string, patch: { name?: string; limits?: AccountLimits }): Promise<void> {
    await this.db.update(accounts).set(patch).where(eq(accounts.id, id));
  }

  async isPlatformAdmin(userId: string): Promise<boolean> {
    const [row] = await this.db.select({ on: users.platformAdmin }).from(users).where(eq(users.id, userId));
    return row?.on ?? false;
  }

  async setPlatformAdmin(userId: string): Promise<void> {
    await this.db.update(users).set({ platformAdmin: true }).where(eq(users.id, userId));
  }

  /** Outbound messages a suspension held back (left `queued`), to be sent on resume. */
  async heldOutbound(accountId: string): Promise<string[]> {
    const rows = await this.db.execute<{ id: string }>(
      sql`select id from messages where account_id = ${accountId} and direction = 'out' and status = 'queued' and not private order by seq`,
    );
    return rows.rows.map((r) => r.id);
  }

  /** Whether a user is a member of an account (and so may switch into it). */
  async membership(userId: string, accountId: string) {
    const [row] = await this.db
      .select({ role: memberships.role })
      .from(memberships)
      .where(and(eq(memberships.userId, userId), eq(memberships.accountId, accountId)));
    return row;
  }
}
