import type { AppContext } from '../../context.js';
import { transaction } from '../../platform/db/transaction.js';
import { BackgroundLoop, ClusterLock } from '../../platform/background.js';
import { callbackUrlOf, syncChannelEndpoint } from './webhooks.channel-endpoint.js';
import { readEvents, SettledHorizon, type OutboxEvent } from '../../platform/events/events.outbox.js';
import { isForwarded, publicPayload } from './webhooks.payload.js';
import { ChannelsRepository } from '../channels/channels.repository.js';
import { WebhooksRepository } from './webhooks.repository.js';

const LOCK_KEY = 'webhooks:fanout';
const BATCH = 500;

export interface FanoutOptions {
  intervalMs?: number;
}

/**
 * Turns the realtime log (`events`, written in the same transaction as every change) into webhook
 * deliveries: one row per subscribed endpoint plus its `webhook.deliver` job, in one transaction.
 *
 * One process in the cluster runs it (a session advisory lock). It keeps no cursor row: on start it
 * resumes from what the deliveries show (`fanoutResumeAfter`) and inserts are once-only per event and
 * endpoint, so rescanning is harmless. It reads only up to a settled horizon (`SettledHorizon`), so an
 * event committed late, below ids already read, is never skipped.
 */
export class WebhookFanout {
  private readonly repo: WebhooksRepository;
  private readonly channels: ChannelsRepository;
  private readonly loop: BackgroundLoop;
  private readonly lock: ClusterLock;
  /** Highest id handled, and the newest settled horizon seen; set while this process leads. */
  private state: { highWater: number; upTo: number } | undefined;
  private readonly horizon: SettledHorizon;

  constructor(
    private readonly ctx: AppContext,
    opts: FanoutOptions = {},
  ) {
    this.repo = new WebhooksRepository(ctx.db);
    this.channels = new ChannelsRepository(ctx.db);
    this.horizon = new SettledHorizon(ctx.db);
    // The lock went with its connection: another process may lead now; resume from the data.
    this.lock = new ClusterLock(ctx.config.databaseUrl, LOCK_KEY, ctx.log, () => (this.state = undefined));
    this.loop = new BackgroundLoop({
      name: 'webhook fan-out',
      intervalMs: opts.intervalMs ?? 1_000,
      log: ctx.log,
      round: () => this.tick(),
    });
  }

  start(): void {
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
    await this.lock.release();
  }

  /** True while this process holds the fan-out (tests, health). */
  get leading(): boolean {
    return this.state !== undefined;
  }

  private async tick(): Promise<number | void> {
    if (!this.state) {
      if (!(await this.lock.tryHold())) return 5_000;
      const after = await this.repo.fanoutResumeAfter();
      this.state = { highWater: after, upTo: 0 };
      this.ctx.log.info({ after }, 'webhook fan-out started');
    }
    // Drain a backlog without sleeping between full batches.
    while (!this.loop.isStopped && (await this.round()) === BATCH);
  }

  /** One batch of events up to the settled horizon; returns how many it read. */
  private async round(): Promise<number> {
    const state = this.state!;
    state.upTo = Math.max(state.upTo, (await this.horizon.next()) ?? 0);
    if (state.upTo <= state.highWater) return 0;
    const events = await readEvents(this.ctx.db, { after: state.highWater, upTo: state.upTo, limit: BATCH });
    // The cursor moves only after the deliveries are committed: a failed round is simply repeated.
    if (events.length > 0) await this.fanOut(events);
    state.highWater = events.length === BATCH ? events[events.length - 1]!.id : state.upTo;
    return events.length;
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
