import { and, desc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { WebhookDeliveryStatus } from '@switchboard/shared';
import type { Db } from '../../platform/db/client.js';
import { webhookDeliveries, webhookEndpoints } from '../../platform/db/schema.channels.js';

export type EndpointRow = typeof webhookEndpoints.$inferSelect;
export type DeliveryRow = typeof webhookDeliveries.$inferSelect;
export type EndpointWithStats = EndpointRow & { failing: number };

/** "Redeliver failed" restarts at most this many at a time (each is a job); the caller repeats while some are left. */
export const RESTART_BATCH = 1000;

/** Deliveries are counted as failing on the endpoint list for this long. */
const FAILING_LOOKBACK = sql`interval '7 days'`;

/** Endpoints and their delivery log; every query is scoped by account (the fan-out reads across accounts on purpose). */
export class WebhooksRepository {
  constructor(private readonly db: Db) {}

  async listEndpoints(accountId: string): Promise<EndpointWithStats[]> {
    return this.db
      .select({ ...endpointColumns, failing: failingCount })
      .from(webhookEndpoints)
      .where(and(eq(webhookEndpoints.accountId, accountId), isNull(webhookEndpoints.deletedAt)))
      .orderBy(webhookEndpoints.createdAt);
  }

  async getEndpoint(db: Db, accountId: string, id: string): Promise<EndpointWithStats | undefined> {
    const [row] = await db
      .select({ ...endpointColumns, failing: failingCount })
      .from(webhookEndpoints)
      .where(and(eq(webhookEndpoints.accountId, accountId), eq(webhookEndpoints.id, id), isNull(webhookEndpoints.deletedAt)));
    return row;
  }

  async insertEndpoint(db: Db, row: typeof webhookEndpoints.$inferInsert): Promise<EndpointRow> {
    const [created] = await db.insert(webhookEndpoints).values(row).returning();
    return created!;
  }

  async updateEndpoint(
    db: Db,
    accountId: string,
    id: string,
    patch: Partial<Pick<EndpointRow, 'url' | 'description' | 'events' | 'enabled' | 'secret' | 'deletedAt'>>,
  ): Promise<EndpointRow | undefined> {
    const [row] = await db
      .update(webhookEndpoints)
      .set(patch)
      .where(and(eq(webhookEndpoints.accountId, accountId), eq(webhookEndpoints.id, id), isNull(webhookEndpoints.deletedAt)))
      .returning();
    return row;
  }

  /** The live endpoint of an API channel. */
  async channelEndpoint(db: Db, accountId: string, channelId: string): Promise<EndpointRow | undefined> {
    const [row] = await db
      .select()
      .from(webhookEndpoints)
      .where(and(eq(webhookEndpoints.accountId, accountId), eq(webhookEndpoints.channelId, channelId), isNull(webhookEndpoints.deletedAt)))
      .orderBy(webhookEndpoints.createdAt)
      .limit(1);
    return row;
  }

  /** Enabled account-event endpoints of every account (the fan-out matches events against them). */
  async subscribedEndpoints(): Promise<Pick<EndpointRow, 'id' | 'accountId' | 'events' | 'createdAt'>[]> {
    return this.db
      .select({
        id: webhookEndpoints.id,
        accountId: webhookEndpoints.accountId,
        events: webhookEndpoints.events,
        createdAt: webhookEndpoints.createdAt,
      })
      .from(webhookEndpoints)
      .where(and(eq(webhookEndpoints.enabled, true), isNull(webhookEndpoints.deletedAt), isNull(webhookEndpoints.channelId)));
  }

  async insertDelivery(
    db: Db,
    row: { accountId: string; endpointId: string; eventType: string; payload: Record<string, unknown> },
  ): Promise<DeliveryRow> {
    const [created] = await db
      .insert(webhookDeliveries)
      .values({ ...row, nextAttemptAt: sql`now()` })
      .returning();
    return created!;
  }

  /**
   * One event to one endpoint, at most once (a unique index): an event already fanned out (a rescan
   * after a restart or a gap, or a second fan-out process) inserts nothing.
   */
  async insertDeliveryOnce(
    db: Db,
    row: { accountId: string; endpointId: string; eventType: string; payload: Record<string, unknown> },
    eventId: string,
  ): Promise<string | undefined> {
    const { rows } = await db.execute<{ id: string }>(sql`
      insert into webhook_deliveries (account_id, endpoint_id, event_id, event_type, payload, next_attempt_at)
      values (${row.accountId}, ${row.endpointId}, ${eventId}, ${row.eventType}, ${JSON.stringify(row.payload)}::jsonb, now())
      on conflict (endpoint_id, event_id) where event_id is not null do nothing
      returning id`);
    return rows[0]?.id;
  }

  /** The latest delivery of one event to one endpoint (an API channel's reply: `msg_<id>`). */
  async findDelivery(db: Db, endpointId: string, eventId: string, since: Date): Promise<DeliveryRow | undefined> {
    const [row] = await db
      .select()
      .from(webhookDeliveries)
      .where(
        and(
          eq(webhookDeliveries.endpointId, endpointId),
          sql`${webhookDeliveries.createdAt} >= ${since.toISOString()}::timestamptz`,
          sql`${webhookDeliveries.payload}->>'id' = ${eventId}`,
        ),
      )
      .orderBy(desc(webhookDeliveries.createdAt))
      .limit(1);
    return row;
  }

  async getDelivery(db: Db, accountId: string, id: string): Promise<{ delivery: DeliveryRow; endpoint: EndpointRow } | undefined> {
    const [row] = await db
      .select({ delivery: webhookDeliveries, endpoint: webhookEndpoints })
      .from(webhookDeliveries)
      .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
      .where(and(eq(webhookDeliveries.accountId, accountId), eq(webhookDeliveries.id, id)));
    return row;
  }

  /** Records one attempt; returns the row as it now is. */
  async recordAttempt(
    db: Db,
    id: string,
    outcome: {
      status: WebhookDeliveryStatus;
      statusCode: number | null;
      error: string | null;
      nextAttemptAt: Date | null;
    },
  ): Promise<DeliveryRow | undefined> {
    const [row] = await db
      .update(webhookDeliveries)
      .set({
        status: outcome.status,
        attempts: sql`${webhookDeliveries.attempts} + 1`,
        lastStatusCode: outcome.statusCode,
        lastError: outcome.error?.slice(0, 1000) ?? null,
        nextAttemptAt: outcome.nextAttemptAt,
        ...(outcome.status === 'delivered' ? { deliveredAt: sql`now()` } : {}),
      })
      .where(eq(webhookDeliveries.id, id))
      .returning();
    return row;
  }

  /** Settles a delivery without an attempt (endpoint gone or disabled). */
  async settle(db: Db, id: string, status: 'failed' | 'dead', error: string): Promise<void> {
    await db.update(webhookDeliveries).set({ status, lastError: error, nextAttemptAt: null }).where(eq(webhookDeliveries.id, id));
  }

  /**
   * Starts deliveries over (redeliver): pending again with a fresh retry window, which is why
   * `created_at` moves to now. Attempts keep counting. Returns what was restarted.
   */
  async restart(db: Db, accountId: string, where: { ids: string[] } | { endpointId: string; statuses: ('failed' | 'dead')[] }) {
    const filter =
      'ids' in where
        ? inArray(webhookDeliveries.id, where.ids)
        : inArray(
            webhookDeliveries.id,
            db
              .select({ id: webhookDeliveries.id })
              .from(webhookDeliveries)
              .where(and(eq(webhookDeliveries.endpointId, where.endpointId), inArray(webhookDeliveries.status, where.statuses)))
              .limit(RESTART_BATCH),
          );
    return db
      .update(webhookDeliveries)
      .set({ status: 'pending', nextAttemptAt: sql`now()`, createdAt: sql`now()` })
      .where(and(eq(webhookDeliveries.accountId, accountId), filter))
      .returning();
  }

  /** An endpoint's delivery log, newest first, keyset-paginated. */
  async listDeliveries(
    accountId: string,
    endpointId: string,
    f: { status?: WebhookDeliveryStatus | undefined; limit: number; before?: { at: Date; id: string } | undefined },
  ): Promise<DeliveryRow[]> {
    const where: (SQL | undefined)[] = [eq(webhookDeliveries.accountId, accountId), eq(webhookDeliveries.endpointId, endpointId)];
    if (f.status) where.push(eq(webhookDeliveries.status, f.status));
    // The column is stored to the millisecond, the cursor's precision.
    const at = webhookDeliveries.createdAt;
    if (f.before) where.push(sql`(${at}, ${webhookDeliveries.id}) < (${f.before.at.toISOString()}::timestamptz, ${f.before.id}::uuid)`);
    return this.db
      .select()
      .from(webhookDeliveries)
      .where(and(...where))
      .orderBy(desc(at), desc(webhookDeliveries.id))
      .limit(f.limit);
  }

  /**
   * Where the fan-out resumes after a restart (it keeps no cursor row): just before the newest event
   * any endpoint received, or before the oldest live endpoint was created, whichever is later, minus
   * a safety margin for transactions that committed late. Rescanning is harmless: inserts are once-only.
   */
  async fanoutResumeAfter(): Promise<number> {
    const { rows } = await this.db.execute<{ after: number | null }>(sql`
      with endpoints as (
        select id, created_at from webhook_endpoints where deleted_at is null and enabled and channel_id is null),
      last_sent as (
        select max(m.eid) as id from endpoints e cross join lateral (
          select max(substring(d.payload->>'id' from 5)::bigint) as eid from webhook_deliveries d
          where d.endpoint_id = e.id and d.created_at > now() - interval '25 hours' and d.payload->>'id' like 'evt\\_%') m),
      since as (
        select greatest(
          (select created_at from events where id = (select id from last_sent)),
          (select min(created_at) from endpoints)) - interval '2 minutes' as at)
      select case
        when not exists (select 1 from endpoints) then (select coalesce(max(id), 0) from events)
        else coalesce((select min(id) - 1 from events where created_at >= (select at from since)), (select coalesce(max(id), 0) from events))
      end as after`);
    return Number(rows[0]?.after ?? 0);
  }
}

const endpointColumns = {
  id: webhookEndpoints.id,
  accountId: webhookEndpoints.accountId,
  channelId: webhookEndpoints.channelId,
  url: webhookEndpoints.url,
  description: webhookEndpoints.description,
  secret: webhookEndpoints.secret,
  events: webhookEndpoints.events,
  enabled: webhookEndpoints.enabled,
  createdAt: webhookEndpoints.createdAt,
  deletedAt: webhookEndpoints.deletedAt,
};

const failingCount = sql<number>`(
  select count(*)::int from webhook_deliveries d
  where d.endpoint_id = webhook_endpoints.id and d.created_at > now() - ${FAILING_LOOKBACK} and d.status in ('failed', 'dead'))`;
