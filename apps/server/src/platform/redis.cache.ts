import type { Logger } from 'pino';
import { countCacheLookup } from './metrics.js';
import type { RedisLink } from './redis.js';

/**
 * Results worth sharing between processes for a short while (report figures), kept in Redis in Redis
 * mode; without Redis, or while it is down, every call computes afresh (as without a cache). Only
 * data that may leave the process goes here: never credentials or decrypted secrets (those stay in
 * each process's own short-lived cache).
 */
export class SharedCache {
  constructor(
    private readonly redis: RedisLink | undefined,
    private readonly log: Logger,
  ) {}

  /** The cached value of `key`, or `compute()`'s, stored for `ttlMs`. */
  async getOrCompute<T>(cache: string, key: string, ttlMs: number, compute: () => Promise<T>): Promise<T> {
    const redis = this.redis;
    if (!redis) return compute();
    const full = redis.key(`cache:${cache}:${key}`);
    const raw = await redis
      .run((r) => r.get(full))
      .catch((err: unknown) => {
        this.log.debug({ err }, 'redis cache read failed');
        return null;
      });
    countCacheLookup(cache, raw !== null);
    if (raw !== null) return JSON.parse(raw) as T;
    const value = await compute();
    await redis
      .run((r) => r.set(full, JSON.stringify(value), 'PX', ttlMs))
      .catch((err: unknown) => {
        this.log.debug({ err }, 'redis cache write failed');
      });
    return value;
  }

  /** Drops a key in every process (after a change its cached value no longer reflects). */
  async forget(cache: string, key: string): Promise<void> {
    const redis = this.redis;
    if (!redis) return;
    await redis.run((r) => r.del(redis.key(`cache:${cache}:${key}`))).catch(() => undefined);
  }
}
