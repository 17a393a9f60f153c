import pg from 'pg';
import { sha256 } from '../../platform/crypto/secret-box.js';
import type { AppContext } from '../../context.js';
import { SendError } from './adapter.js';
import type { ChannelRuntime } from './channels.runtime.js';
import { errorMessage, sleep } from './channels.util.js';

const RESCAN_MS = 5_000;

/**
 * Runs one poll loop per channel that needs one (`adapter.polls(config)`): Telegram and Green-API in
 * polling mode, the Avito backfill, IMAP. A session-level advisory lock per channel, held on one
 * dedicated connection, makes sure only one process polls a given channel (the sharding); if the
 * connection drops, the locks go with it and another process takes over.
 */
export class ChannelPollers {
  private lockClient: pg.Client | undefined;
  private readonly loops = new Map<string, AbortController>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private scanning: Promise<void> = Promise.resolve();

  constructor(
    private readonly ctx: AppContext,
    private readonly runtime: ChannelRuntime,
  ) {}

  async start(): Promise<void> {
    await this.connectLockClient();
    await this.rescan();
    this.schedule();
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
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.rescan().finally(() => this.schedule()), RESCAN_MS);
  }

  /**
   * Starts loops for channels that now poll and stops those that no longer do. One pass at a time:
   * overlapping passes could both take a channel's lock (re-entrant per connection) and start two loops.
   */
  rescan(): Promise<void> {
    this.scanning = this.scanning.then(() => this.scan());
    return this.scanning;
  }

  private async scan(): Promise<void> {
    if (this.stopped) return;
    try {
      if (!this.lockClient) await this.connectLockClient();
      const pollingTypes = this.runtime.types.filter((t) => this.runtime.adapter(t).poll !== undefined);
      const rows = (await this.runtime.repo.listPollable(pollingTypes)).filter(
        (r) => this.runtime.adapter(r.type).polls?.(r.config) ?? false,
      );
      // A settings change (new mode, new credentials) restarts the loop with the new settings.
      const version = (r: (typeof rows)[number]) => sha256(JSON.stringify(r.config) + (r.webhookSecretHash ?? '')).slice(0, 12);
      const wanted = new Map(rows.map((r) => [r.id, version(r)]));
      for (const [key, ctl] of this.loops) {
        const [id, running] = key.split('@') as [string, string];
        if (wanted.get(id) !== running) {
          ctl.abort();
          this.loops.delete(key);
          await this.lockClient!.query('select pg_advisory_unlock(hashtext($1))', [`poll:${id}`]);
        }
      }
      const active = new Set(this.active);
      for (const row of rows) {
        if (active.has(row.id)) continue;
        const { rows: got } = await this.lockClient!.query<{ ok: boolean }>('select pg_try_advisory_lock(hashtext($1)) as ok', [
          `poll:${row.id}`,
        ]);
        if (!got[0]?.ok) continue; // another process polls this channel
        const ctl = new AbortController();
        this.loops.set(`${row.id}@${version(row)}`, ctl);
        void this.supervise(row.accountId, row.id, row.type, ctl.signal);
      }
    } catch (err) {
      this.ctx.log.warn({ err }, 'poller rescan failed');
    }
  }

  /** Keeps a channel's loop running: a failure marks the channel lagging and restarts it with backoff. */
  private async supervise(accountId: string, channelId: string, type: string, signal: AbortSignal): Promise<void> {
    const adapter = this.runtime.adapter(type);
    let backoffMs = 1_000;
    while (!signal.aborted) {
      try {
        await adapter.poll!({ accountId, channelId, signal });
        if (!signal.aborted) await sleep(1_000, signal); // a loop that returned early: try again shortly
      } catch (err) {
        if (signal.aborted) return;
        if (err instanceof SendError && err.kind === 'auth') {
          // Credentials refused: auth_failed channels leave the polled set, so the next rescan stops this
          // loop; retrying sooner would only repeat the refusal. Reconnecting starts a new loop.
          await this.runtime.markAuthFailed(accountId, channelId, err.message).catch(() => undefined);
          await sleep(60_000, signal);
          continue;
        }
        const reason = errorMessage(err);
        this.ctx.log.warn({ err, channelId, type }, 'poll failed');
        await this.runtime.noteError(channelId, reason).catch(() => undefined);
        await this.runtime.setStatus(accountId, channelId, 'poller_lagging', reason).catch(() => undefined);
        const retryAfter = (err as { retryAfterSeconds?: number }).retryAfterSeconds;
        await sleep(retryAfter ? retryAfter * 1000 : backoffMs, signal);
        backoffMs = Math.min(backoffMs * 2, 60_000);
      }
    }
  }

  private abortAll(): void {
    for (const ctl of this.loops.values()) ctl.abort();
    this.loops.clear();
  }

  /** Channel ids with a running loop in this process (for health and tests). */
  get active(): string[] {
    return [...this.loops.keys()].map((k) => k.split('@')[0]!);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.abortAll();
    await this.lockClient?.end().catch(() => undefined);
  }
}
