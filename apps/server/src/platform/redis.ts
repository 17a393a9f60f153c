import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import client from 'prom-client';
import { registry } from './metrics.js';

export const redisConnected = new client.Gauge({
  name: 'redis_connected',
  help: 'Whether the Redis connection is up (1) or not (0), by connection (commands, subscriber)',
  labelNames: ['connection'] as const,
  registers: [registry],
});

export const redisCommandErrors = new client.Counter({
  name: 'redis_command_errors_total',
  help: 'Redis commands that failed (connection down, timeout, server error), by connection',
  labelNames: ['connection'] as const,
  registers: [registry],
});

export const redisReconnects = new client.Counter({
  name: 'redis_reconnects_total',
  help: 'Times a Redis connection was lost and re-established, by connection',
  labelNames: ['connection'] as const,
  registers: [registry],
});

/**
 * Redis mode (`REDIS_URL`): one command connection and one subscriber connection, both reconnecting
 * on their own (every second at most). A command while Redis is down fails fast (no queue that would
 * answer minutes later): callers fall back or degrade, and the metrics and `/ready` say so.
 */
export class RedisLink {
  readonly commands: Redis;
  readonly subscriber: Redis;
  private readonly stateListeners = new Set<(up: boolean) => void>();

  constructor(
    url: string,
    /** Prefix of every key and channel (tests use a random one; installations sharing a Redis, their own). */
    readonly prefix: string,
    private readonly log: Logger,
  ) {
    this.commands = this.connect(url, 'commands');
    this.subscriber = this.connect(url, 'subscriber');
  }

  private connect(url: string, name: 'commands' | 'subscriber'): Redis {
    const redis = new Redis(url, {
      lazyConnect: true,
      connectionName: `switchboard-${name}`,
      maxRetriesPerRequest: 1,
      enableOfflineQueue: name === 'subscriber', // subscriptions are replayed on reconnect; commands fail fast
      connectTimeout: 3_000,
      commandTimeout: name === 'commands' ? 2_000 : undefined,
      retryStrategy: (times) => Math.min(times * 200, 1_000),
    });
    redisConnected.set({ connection: name }, 0);
    let up = false;
    let everUp = false;
    redis.on('ready', () => {
      redisConnected.set({ connection: name }, 1);
      if (everUp) {
        redisReconnects.inc({ connection: name });
        this.log.info({ connection: name }, 'redis connection restored');
      }
      up = everUp = true;
      if (name === 'subscriber') for (const l of this.stateListeners) l(true);
    });
    redis.on('close', () => {
      redisConnected.set({ connection: name }, 0);
      if (!up) return;
      up = false;
      if (redis.status !== 'end') this.log.warn({ connection: name }, 'redis connection lost; reconnecting');
      if (name === 'subscriber') for (const l of this.stateListeners) l(false);
    });
    // Connection errors are retried by ioredis and show as redis_connected 0; without a listener they would crash.
    redis.on('error', (err: Error) => this.log.debug({ err, connection: name }, 'redis error'));
    return redis;
  }

  /** Connects both; resolves even when Redis is down at boot (they keep retrying, `/ready` reports it). */
  async start(): Promise<void> {
    await Promise.all(
      [this.commands, this.subscriber].map((r) =>
        r.connect().catch((err: unknown) => this.log.warn({ err }, 'redis is not reachable yet; retrying in the background')),
      ),
    );
  }

  /** Runs a command, counting its failure. */
  async run<T>(command: (redis: Redis) => Promise<T>): Promise<T> {
    try {
      return await command(this.commands);
    } catch (err) {
      redisCommandErrors.inc({ connection: 'commands' });
      throw err;
    }
  }

  key(name: string): string {
    return `${this.prefix}${name}`;
  }

  /** Throws unless Redis answers a PING (the `/ready` check). */
  async ping(): Promise<void> {
    if (this.subscriber.status !== 'ready') throw new Error('redis subscriber connection is down');
    await this.run((r) => r.ping());
  }

  /** Called with false when the subscriber connection is lost and true when it is back. */
  onSubscriberState(listener: (up: boolean) => void): void {
    this.stateListeners.add(listener);
  }

  async stop(): Promise<void> {
    await Promise.all([this.commands, this.subscriber].map((r) => r.quit().catch(() => r.disconnect())));
  }
}
