import pg from 'pg';
import type { Update } from 'grammy/types';
import type { AppContext } from '../../../context.js';
import { ingestInbound } from '../../conversations/conversations.inbound.js';
import type { ChannelRuntime } from '../channels.runtime.js';
import { ALLOWED_UPDATES } from './telegram.adapter.js';
import { GrammyError } from './telegram.client.js';
import { normaliseUpdate } from './telegram.normalise.js';

const RESCAN_MS = 5_000;

export interface PollerOptions {
  /** getUpdates long-poll timeout (Telegram allows up to 50 s). */
  longPollSeconds: number;
}

/**
 * Runs one `getUpdates` loop per polling-mode Telegram channel. A session-level advisory lock per
 * channel, held on one dedicated connection, makes sure only one process polls a given bot; if the
 * connection drops, the locks go with it and another process takes over.
 */
export class TelegramPollers {
  private lockClient: pg.Client | undefined;
  private readonly loops = new Map<string, AbortController>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly ctx: AppContext,
    private readonly runtime: ChannelRuntime,
    private readonly opts: PollerOptions = { longPollSeconds: 25 },
  ) {}

  async start(): Promise<void> {
    await this.connectLockClient();
    await this.rescan();
  }

  private async connectLockClient(): Promise<void> {
    const client = new pg.Client({ connectionString: this.ctx.config.databaseUrl });
    client.on('error', (err) => {
      this.ctx.log.warn({ err }, 'poller lock connection lost; pollers stop until it is back');
      this.abortAll();
      this.lockClient = undefined;
    });
    await client.connect();
    this.lockClient = client;
  }

  private schedule(): void {
    if (!this.stopped) this.timer = setTimeout(() => void this.rescan(), RESCAN_MS);
  }

  /** Starts loops for new polling channels and stops those that no longer poll. */
  async rescan(): Promise<void> {
    try {
      if (!this.lockClient) await this.connectLockClient();
      const rows = await this.runtime.repo.listPolling('telegram');
      const wanted = new Set(rows.map((r) => r.id));
      for (const [id, ctl] of this.loops) {
        if (!wanted.has(id)) {
          ctl.abort();
          this.loops.delete(id);
          await this.lockClient!.query('select pg_advisory_unlock(hashtext($1))', [`tg-poll:${id}`]);
        }
      }
      for (const row of rows) {
        if (this.loops.has(row.id)) continue;
        const { rows: got } = await this.lockClient!.query<{ ok: boolean }>('select pg_try_advisory_lock(hashtext($1)) as ok', [
          `tg-poll:${row.id}`,
        ]);
        if (!got[0]?.ok) continue; // another process polls this bot
        const ctl = new AbortController();
        this.loops.set(row.id, ctl);
        void this.loop(row.accountId, row.id, ctl.signal);
      }
    } catch (err) {
      this.ctx.log.warn({ err }, 'poller rescan failed');
    } finally {
      this.schedule();
    }
  }

  private async loop(accountId: string, channelId: string, signal: AbortSignal): Promise<void> {
    let backoffMs = 1_000;
    while (!signal.aborted) {
      try {
        const channel = await this.runtime.load(accountId, channelId);
        const row = await this.runtime.repo.get(accountId, channelId);
        if (!channel || !row) return;
        const api = this.runtime.telegram.api(channel.secrets, this.opts.longPollSeconds + 10);
        const updates: Update[] = await api.getUpdates(
          { offset: row.pollOffset ?? undefined, timeout: this.opts.longPollSeconds, limit: 100, allowed_updates: [...ALLOWED_UPDATES] },
          signal as unknown as Parameters<typeof api.getUpdates>[1],
        );
        for (const update of updates) {
          const inbound = normaliseUpdate(update);
          if (inbound) await ingestInbound(this.ctx, channel.record, inbound);
        }
        const next = updates.length ? updates[updates.length - 1]!.update_id + 1 : row.pollOffset;
        await this.runtime.repo.update(accountId, channelId, {
          lastPolledAt: new Date(),
          ...(next !== row.pollOffset ? { pollOffset: next } : {}),
          ...(row.status !== 'connected' ? { status: 'connected', statusReason: null } : {}),
          ...(updates.length ? { lastInboundAt: new Date() } : {}),
        });
        backoffMs = 1_000;
      } catch (err) {
        if (signal.aborted) return;
        if (err instanceof GrammyError && err.error_code === 401) {
          await this.runtime.markAuthFailed(accountId, channelId, `Telegram: ${err.description}`).catch(() => undefined);
          return;
        }
        const reason = err instanceof GrammyError ? `Telegram: ${err.description}` : err instanceof Error ? err.message : String(err);
        this.ctx.log.warn({ err, channelId }, 'telegram poll failed');
        await this.runtime.setStatus(accountId, channelId, 'poller_lagging', reason).catch(() => undefined);
        const retryAfter = err instanceof GrammyError ? err.parameters.retry_after : undefined;
        await sleep(retryAfter ? retryAfter * 1000 : backoffMs, signal);
        backoffMs = Math.min(backoffMs * 2, 60_000);
      }
    }
  }

  private abortAll(): void {
    for (const ctl of this.loops.values()) ctl.abort();
    this.loops.clear();
  }

  /** Running loops by channel id (for health and tests). */
  get active(): string[] {
    return [...this.loops.keys()];
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.abortAll();
    await this.lockClient?.end().catch(() => undefined);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        resolve();
      },
      { once: true },
    );
  });
}
