import type pg from 'pg';
import { AppError, type ErrorCode } from './errors.js';

/**
 * Fixed-window counters in PostgreSQL, so a limit holds across every API process. Used where
 * one request must count against several keys at once (sign-in: per IP and per e-mail), which
 * the per-route HTTP limiter cannot do.
 */
export class WindowLimiter {
  constructor(
    private readonly pool: pg.Pool,
    private readonly max: number,
    private readonly windowMs: number,
    private readonly code: Extract<ErrorCode, 'rate_limited' | 'too_many_attempts'> = 'rate_limited',
  ) {}

  /** Counts one hit on every key; throws 429 (with Retry-After) if any key is over its limit. */
  async hit(keys: string[], message: (retryAfterSeconds: number) => string): Promise<void> {
    const { rows } = await this.pool.query<{ count: number; retry_ms: number }>(
      `insert into rate_limit_hits (key, window_start, count)
       select k, now(), 1 from unnest($1::text[]) k
       on conflict (key) do update set
         count = case when rate_limit_hits.window_start <= now() - $2 * interval '1 millisecond' then 1 else rate_limit_hits.count + 1 end,
         window_start = case when rate_limit_hits.window_start <= now() - $2 * interval '1 millisecond' then now() else rate_limit_hits.window_start end
       returning count, (extract(epoch from (window_start + $2 * interval '1 millisecond' - now())) * 1000)::int as retry_ms`,
      [keys, this.windowMs],
    );
    const over = rows.filter((r) => r.count > this.max);
    if (over.length === 0) return;
    const retryAfter = Math.max(1, Math.ceil(Math.max(...over.map((r) => r.retry_ms)) / 1000));
    throw new AppError(this.code, message(retryAfter), undefined, { 'retry-after': String(retryAfter) });
  }
}
