import type { Tx } from './platform/db/transaction.js';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { Db } from './platform/db/client.js';
import type { EventBus } from './platform/events/bus.js';
import type { JobQueue } from './platform/queue/queue.js';
import type { SecretBox } from './platform/crypto/secret-box.js';
import type { AiRuntime } from './modules/ai/ai.runtime.js';
import type { OutboundPolicy } from './platform/http/outbound.js';
import type { RedisLink } from './platform/redis.js';
import type { ReportsDatabase } from './platform/db/replica.js';
import type { SharedCache } from './platform/redis.cache.js';

/** The process-wide dependencies every service, route and job handler receives. */
export interface AppContext {
  config: Config;
  log: Logger;
  pool: pg.Pool;
  db: Db;
  queue: JobQueue;
  bus: EventBus;
  secrets: SecretBox;
  /** Knowledge search, LLM clients, classifier, assistant settings. */
  ai: AiRuntime;
  /** Every call to a URL or host an account admin set goes through it (webhooks, callbacks, LLM, Green-API, mail). */
  outbound: OutboundPolicy;
  /** Redis mode (`REDIS_URL`): live events, rate-limit counters, caches; undefined = PostgreSQL does it all. */
  redis: RedisLink | undefined;
  /** Where read-only reports and analytics read: the replica (`DATABASE_REPLICA_URL`) within its lag limit, else the primary. */
  reports: ReportsDatabase;
  /** Short-lived results shared between processes (Redis mode; otherwise computed every time). */
  cache: SharedCache;
  /** Listeners other domains register at boot (one object shared by every copy of the context). */
  hooks?: ContextHooks;
}

export interface ContextHooks {
  /**
   * A conversation waits in the human queue (a new one with the bot off, a hand-over from the bot): the
   * teams domain's auto-assignment hears of it in the same transaction.
   */
  humanQueue?: (tx: Tx, accountId: string) => Promise<void>;
}
