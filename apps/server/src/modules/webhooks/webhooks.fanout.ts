import pg from 'pg';
import { sql } from 'drizzle-orm';
import type { AppContext } from '../../context.js';
import { transaction } from '../../platform/db/transaction.js';
import { callbackUrlOf, syncChannelEndpoint } from './webhooks.channel-endpoint.js';
import { isForwarded, publicPayload, type OutboxEvent } from './webhooks.payload.js';
import { ChannelsRepository } from '../channels/channels.repository.js';
import { WebhooksRepository } from './webhooks.repository.js';

const LOCK_KEY = 'webhooks:fanout';
const BATCH = 500;
/** An id skipped in the log is an uncommitted (or rolled back) transaction: watched this long. */
const GAP_TIMEOUT_MS = 60_000;
/** A jump this large is a sequence reset, not transactions in flight. */
const MAX_TRACKED_GAP = 10_000;

export interface FanoutOptions {
  intervalMs?: number;
}

/**
 * Turns the realtime log (`events`, written in the same transaction as every change) into webhook
 * deliveries: one row per subscribed endpoint plus its `webhook.deliver` job, in one transaction.
 *
 * One process in the cluster runs it (a session advisory lock). It keeps no cursor row: on start it
 * resumes from what the deliveries show (`fanoutResumeAfter`) and inserts are once-only per event and
 * endpoint, so rescanning is harmless. Ids are taken in commit order's approximation — an id missing
 * between seen ones belongs to a transaction still open, so it is looked for again on every round for
 * a minute while later events go out without waiting for it.
 */
export class WebhookFanout {
  private readonly repo: WebhooksRepository;
  private readonly channels: ChannelsRepository;
  private lockClient: pg.Client | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private running: Promise<void> | undefined;
  /** Highest id seen; ids below it not yet seen, with when they were first missed. */
  private state: { highWater: number; missing: Map<number, number> } | undefined;
  private readonly intervalMs: number;

  constructor(
    private readonly ctx: AppContext,
    opts: FanoutOptions = {},
  ) {
    this.repo = new WebhooksRepository(ctx.db);
    this.channels = new ChannelsRepository(ctx.db);
    this.intervalMs = opts.intervalMs ?? 1_000;
  }

  start(): void {
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    await this.lockClient?.end().catch(() => undefined);
  }

  /** True while this process holds the fan-out (tests, health). */
  get leading(): boolean {
    return this.state !== undefined;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick().finally(() => {
        this.running = undefined;
      });
    }, ms);
  }

  private async tick(): Promise<void> {
    let next = this.intervalMs;
    try {
      if (!this.state) {
        if (!(await this.acquire())) {
          next = 5_000;
          return;
        }
        const after = await this.repo.fanoutResumeAfter();
        this.state = { highWater: after, missing: new Map() };
        this.ctx.log.info({ after }, 'webhook fan-out started');
      }
      // Drain a backlog without sleeping between full batches.
      while (!this.stopped && (await this.round()) === BATCH);
    } catch (err) {
      this.ctx.log.warn({ err }, 'webhook fan-out round failed');
      next = 5_000;
    } finally {
      this.schedule(next);
    }
  }

  private async acquire(): Promise<boolean> {
    if (!this.lockClient) {
      const client = new pg.Client({ connectionString: this.ctx.config.databaseUrl });
      client.on('error', (err) => {
        // The lock went with the connection: another process may lead now; resume from the data.
        this.ctx.log.warn({ err }, 'webhook fan-out lock connection lost');
        this.lockClient = undefined;
        this.state = undefined;
      });
      await client.connect();
      this.lockClient = client;
    }
    const { rows } = await this.lockClient.query<{ ok: boolean }>('select pg_try_advisory_lock(hashtext($1)) as ok', [LOCK_KEY]);
    return rows[0]?.ok === true;
  }

  /** One batch of new events (and any late ones that filled gaps); returns how many new rows it read. */
  private async round(): Promise<number> {
    const state = this.state!;
    const now = Date.now();
    const late = state.missing.size > 0 ? await this.read(sql`id = any(${`{${[...state.missing.keys()].join(',')}}`}::bigint[])`) : [];
    const fresh = await this.read(sql`id > ${state.highWater} order by id limit ${BATCH}`);
    // State moves only after the deliveries are committed: a failed round is simply repeated.
    if (late.length + fresh.length > 0) await this.fanOut([...late, ...fresh]);
    for (const e of late) state.missing.delete(e.id);
    for (const [id, since] of state.missing) if (now - since > GAP_TIMEOUT_MS) state.missing.delete(id);
    let previous = state.highWater;
    for (const e of fresh) {
      if (e.id - previous - 1 <= MAX_TRACKED_GAP) for (let id = previous + 1; id < e.id; id++) state.missing.set(id, now);
      previous = e.id;
    }
    state.highWater = previous;
    return fresh.length;
  }

  private async read(where: ReturnType<typeof sql>): Promise<OutboxEvent[]> {
    const { rows } = await this.ctx.db.execute<{
      id: number;
      account_id: string;
      type: string;
      payload: Record<string, unknown>;
      created_at: Date | string;
    }>(sql`select id, account_id, type, payload, created_at from events where ${where}`);
    return rows.map((r) => ({
      id: Number(r.id),
      accountId: r.account_id,
      type: r.type,
      payload: r.payload,
      createdAt: new Date(r.created_at),
    }));
  }

  private async fanOut(events: OutboxEvent[]): Promise<void> {
    await this.syncApiChannels(events);
    const candidates = events.filter((e) => isForwarded(e.type));
    if (candidates.length === 0) return;
    const endpoints = await this.repo.subscribedEndpoints();
    if (endpoints.length === 0) return;
    const byAccount = new Map<string, typeof endpoints>();
    for (const ep of endpoints) byAccount.set(ep.accountId, [...(byAccount.get(ep.accountId) ?? []), ep]);
    await transaction(this.ctx.pool, async (tx) => {
      for (const event of candidates) {
        const targets = (byAccount.get(event.accountId) ?? []).filter(
          (ep) => ep.events.includes(event.type) && ep.createdAt.getTime() <= event.createdAt.getTime(),
        );
        if (targets.length === 0) continue;
        const payload = publicPayload(event);
        if (!payload) {
          this.ctx.log.warn({ eventId: event.id, type: event.type }, 'event does not fit its public schema; not forwarded');
          continue;
        }
        for (const ep of targets) {
          const row = { accountId: event.accountId, endpointId: ep.id, eventType: event.type, payload };
          const id = await this.repo.insertDeliveryOnce(tx.db, row, payload.id);
          if (id) await this.ctx.queue.send(tx, 'webhook.deliver', { accountId: event.accountId, deliveryId: id });
        }
      }
    });
  }

  /**
   * An API channel created, re-pointed or deleted: its endpoint follows the channel as it is now (not
   * as the event says, so a rescanned or late event never undoes a newer change).
   */
  private async syncApiChannels(events: OutboxEvent[]): Promise<void> {
    const accountOf = new Map<string, string>();
    for (const e of events) {
      const ch = e.type === 'channel.updated' ? (e.payload.channel as { id?: unknown; type?: unknown } | undefined) : undefined;
      if (ch?.type === 'api' && typeof ch.id === 'string') accountOf.set(ch.id, e.accountId);
    }
    for (const [id, accountId] of accountOf) {
      const row = await this.channels.getForWebhook(id);
      await syncChannelEndpoint(this.ctx, {
        id,
        accountId,
        name: row?.name ?? 'API channel',
        callbackUrl: row ? callbackUrlOf(row.config) : null,
        deleted: !row,
      });
    }
  }
}
