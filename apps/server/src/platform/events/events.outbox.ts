import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';

/** A row of the realtime log (`events`), written in the same transaction as every change: the outbox. */
export interface OutboxEvent {
  id: number;
  accountId: string;
  type: string;
  payload: Record<string, unknown>;
  createdAt: Date;
}

/** A horizon is used once every transaction running when it was taken has ended, and it is this old. */
const SETTLE_MS = 300;
/**
 * …or, whatever still runs (a stuck session anywhere on the server), once it is this old. Generous: an
 * event committed after its horizon was passed would never be read, and our own transactions are short.
 */
const MAX_SETTLE_MS = 60_000;

interface Horizon {
  maxId: number;
  xmax: bigint;
  at: number;
}

/**
 * Event ids come from one sequence but commit out of order: an id can appear below one already read.
 * Readers of the outbox therefore read only up to a "settled" horizon — the newest id seen at a moment
 * after which every transaction then running has ended — so a cursor past it never skips a late commit.
 * Call `next()` once per round; it notes a new horizon and returns the newest settled one, if any.
 */
export class SettledHorizon {
  private horizons: Horizon[] = [];

  constructor(private readonly db: Db) {}

  async next(now = Date.now()): Promise<number | undefined> {
    const h = await this.current();
    this.horizons.push({ maxId: h.maxId, xmax: h.xmax, at: now });
    let settled: Horizon | undefined;
    for (const x of this.horizons) {
      const age = now - x.at;
      if ((h.xmin >= x.xmax && age >= SETTLE_MS) || age >= MAX_SETTLE_MS) settled = x;
    }
    if (!settled) return undefined;
    this.horizons = this.horizons.filter((x) => x.at > settled.at);
    return settled.maxId;
  }

  /**
   * The newest event id now visible, with the transaction horizon of this moment: once every
   * transaction running now has ended (`xmin` ≥ this `xmax`), no event at or below `maxId` can still appear.
   */
  private async current(): Promise<{ maxId: number; xmin: bigint; xmax: bigint }> {
    const { rows } = await this.db.execute<{ max_id: number; xmin: string; xmax: string }>(sql`
      select (select coalesce(max(id), 0) from events) as max_id,
        pg_snapshot_xmin(s)::text as xmin, pg_snapshot_xmax(s)::text as xmax
      from pg_current_snapshot() s`);
    const r = rows[0]!;
    return { maxId: Number(r.max_id), xmin: BigInt(r.xmin), xmax: BigInt(r.xmax) };
  }
}

/** Events with `after < id <= upTo` in id order, of one account and some types when given. */
export async function readEvents(
  db: Db,
  range: { after: number; upTo: number; limit: number; accountId?: string; types?: readonly string[] },
): Promise<OutboxEvent[]> {
  const filters = [sql`id > ${range.after}`, sql`id <= ${range.upTo}`];
  if (range.accountId !== undefined) filters.push(sql`account_id = ${range.accountId}`);
  if (range.types)
    filters.push(
      sql`type in (${sql.join(
        range.types.map((t) => sql`${t}`),
        sql`, `,
      )})`,
    );
  const { rows } = await db.execute<{
    id: number;
    account_id: string;
    type: string;
    payload: Record<string, unknown>;
    created_at: Date | string;
  }>(sql`
    select id, account_id, type, payload, created_at from events
    where ${sql.join(filters, sql` and `)}
    order by id limit ${range.limit}`);
  return rows.map((r) => ({
    id: Number(r.id),
    accountId: r.account_id,
    type: r.type,
    payload: r.payload,
    createdAt: new Date(r.created_at),
  }));
}
