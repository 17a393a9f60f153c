import pg from 'pg';
import type { Logger } from 'pino';

export interface BackgroundLoopOptions {
  /** Named in the log line of a failed round. */
  name: string;
  intervalMs: number;
  /** Wait after a failed round (default 5 s). */
  errorDelayMs?: number;
  log: Logger;
  /** One round; may return how long to wait before the next one instead of `intervalMs`. */
  round(): Promise<number | void>;
}

/**
 * Runs a round, waits, runs the next — one round at a time, never overlapping — until stopped; a failed
 * round is logged and retried after a pause. `stop()` waits for a round in progress to end. The shape of
 * every in-process background reader (outbox listeners, projectors).
 */
export class BackgroundLoop {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly opts: BackgroundLoopOptions) {}

  start(delayMs = 0): void {
    this.schedule(delayMs);
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.opts
        .round()
        .then((next) => next ?? this.opts.intervalMs)
        .catch((err: unknown) => {
          this.opts.log.warn({ err }, `${this.opts.name} round failed`);
          return this.opts.errorDelayMs ?? 5_000;
        })
        .then((next) => {
          this.running = undefined;
          this.schedule(next);
        });
    }, ms);
  }
}

/**
 * A cluster-wide lock held for as long as this process lives: a PostgreSQL session advisory lock on a
 * connection of its own. When that connection drops, the lock is gone (another process may take over)
 * and `onLost` says so; `tryHold` then tries again on a new connection.
 */
export class ClusterLock {
  private client: pg.Client | undefined;
  private held = false;

  constructor(
    private readonly databaseUrl: string | undefined,
    private readonly key: string,
    private readonly log: Logger,
    private readonly onLost: () => void = () => undefined,
  ) {}

  get holding(): boolean {
    return this.held;
  }

  /** True when this process holds the lock (now or already). */
  async tryHold(): Promise<boolean> {
    if (this.held) return true;
    if (!this.client) {
      const client = new pg.Client({ connectionString: this.databaseUrl });
      client.on('error', (err) => {
        this.log.warn({ err, lock: this.key }, 'lock connection lost');
        this.client = undefined;
        this.held = false;
        this.onLost();
      });
      await client.connect();
      this.client = client;
    }
    const { rows } = await this.client.query<{ ok: boolean }>('select pg_try_advisory_lock(hashtext($1)) as ok', [this.key]);
    this.held = rows[0]?.ok === true;
    return this.held;
  }

  async release(): Promise<void> {
    this.held = false;
    await this.client?.end().catch(() => undefined);
    this.client = undefined;
  }
}
