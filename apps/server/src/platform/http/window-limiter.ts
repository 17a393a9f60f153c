import type pg from 'pg';
import type { Logger } from 'pino';
import { AppError, type ErrorCode } from './errors.js';
import type { RedisLink } from '../redis.js';

/** Where counters live: Redis in Redis mode (PostgreSQL while it is down), else PostgreSQL. */
export interface LimiterStores {
  pool: pg.Pool;
  redis?: RedisLink | undefined;
  log?: Logger;
}

/** One INCR per key, the window starting with its first hit; answers count and ms left, per key. */
const HIT_SCRIPT = `
local out = {}
for i, key in ipairs(KEYS) do
  local count = redis.call('INCR', key)
  local ttl = redis.call('PTTL', key)
  if ttl < 0 then redis.call('PEXPIRE', key, ARGV[1]); ttl = tonumber(ARGV[1]) end
  out[#out + 1] = count
  out[#out + 1] = ttl
end
return out`;

/**
 * Fixed-window counters shared by every API process (PostgreSQL, or Redis in Redis mode). Used where
 * one request must count against several keys at once (sign-in: per IP and per e-mail), which
 * the per-route HTTP limiter cannot do.
 */
export class WindowLimiter {
  constructor(
    private readonly stores: LimiterStores,
    private readonly max: number,
    private readonly windowMs: number,
    private readonly code: Extract<ErrorCode, 'rate_limited' | 'too_many_attempts'> = 'rate_limited',
  ) {}

  /** Counts one hit on every key; throws 429 (with Retry-After) if any key is over its limit. */
  async hit(keys: string[], message: (retryAfterSeconds: number) => string): Promise<void> {
    const rows = await this.count(keys);
    const over = rows.filter((r) => r.count > this.max);
    if (over.length === 0) return;
    const retryAfter = Math.max(1, Math.ceil(Math.max(...over.map((r) => r.retry_ms)) / 1000));
    throw new AppError(this.code, message(retryAfter), undefined, { 'retry-after': String(retryAfter) });
  }

  private async count(keys: string[]): Promise<{ count: number; retry_ms: number }[]> {
    const redis = this.stores.redis;
    if (redis) {
      try {
        const flat = (await redis.run((r) =>
          r.eval(HIT_SCRIPT, keys.length, ...keys.map((k) => redis.key(`limit:${k}`)), String(this.windowMs)),
        )) as number[];
        return keys.map((_, i) => ({ count: Number(flat[2 * i]), retry_ms: Number(flat[2 * i + 1]) }));
      } catch (err) {
        // A limit must hold while Redis is down: PostgreSQL counts meanwhile.
        this.stores.log?.warn({ err }, 'redis rate-limit counter failed; counting in PostgreSQL');
      }
    }
    return this.countInPostgres(keys);
  }

  private async countInPostgres(keys: string[]): Promise<{ count: number; retry_ms: number }[]> {
    const { rows } = await this.stores.pool.query<{ count: number; retry_ms: number }>(
      `insert into rate_limit_hits (key, window_start, count)
       select k, now(), 1 from unnest($1::text[]) k
       on conflict (key) do update set
         count = case when rate_limit_hits.window_start <= now() - $2 * interval '1 millisecond' then 1 else rate_limit_hits.count + 1 end,
         window_start = case when rate_limit_hits.window_start <= now() - $2 * interval '1 millisecond' then now() else rate_limit_hits.window_start end
       returning count, (extract(epoch from (window_start + $2 * interval '1 millisecond' - now())) * 1000)::int as retry_ms`,
      [keys, this.windowMs],
    );
    return rows;
  }
}
