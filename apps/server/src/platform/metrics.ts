import { statfs } from 'node:fs/promises';
import client from 'prom-client';

/** Process-wide Prometheus registry; one set of instruments per process. */
export const registry = new client.Registry();
client.collectDefaultMetrics({ register: registry });

export const httpDuration = new client.Histogram({
  name: 'http_request_duration_seconds',
  help: 'HTTP request latency by route',
  labelNames: ['method', 'route', 'status_code'] as const,
  buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [registry],
});

export const messagesTotal = new client.Counter({
  name: 'messages_total',
  help: 'Messages by channel type, direction and status',
  labelNames: ['channel_type', 'direction', 'status'] as const,
  registers: [registry],
});

export const jobFailures = new client.Counter({
  name: 'job_failures_total',
  help: 'Job handler failures by queue',
  labelNames: ['queue'] as const,
  registers: [registry],
});

export const sseConnections = new client.Gauge({
  name: 'sse_connections',
  help: 'Open Server-Sent Events connections',
  registers: [registry],
});

export const queueDepth = new client.Gauge({
  name: 'job_queue_depth',
  help: 'Jobs waiting per queue',
  labelNames: ['queue'] as const,
  registers: [registry],
});

export const jobDuration = new client.Histogram({
  name: 'job_duration_seconds',
  help: 'Job handler run time by queue and outcome (completed, failed)',
  labelNames: ['queue', 'outcome'] as const,
  buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
  registers: [registry],
});

export const jobDeadLettered = new client.Counter({
  name: 'job_dead_lettered_total',
  help: 'Jobs that failed their last attempt and went to the dead-letter queue',
  labelNames: ['queue'] as const,
  registers: [registry],
});

export const queueOldestAge = new client.Gauge({
  name: 'job_queue_oldest_age_seconds',
  help: 'How long the oldest job that is due has been waiting, per queue (0 = none waiting)',
  labelNames: ['queue'] as const,
  registers: [registry],
});

export const cacheLookups = new client.Counter({
  name: 'cache_lookups_total',
  help: 'In-process cache lookups by cache and result (hit, miss)',
  labelNames: ['cache', 'result'] as const,
  registers: [registry],
});

/** Counts one lookup of a named cache. */
export function countCacheLookup(cache: string, hit: boolean): void {
  cacheLookups.inc({ cache, result: hit ? 'hit' : 'miss' });
}

/** The parts of a `pg.Pool` the pool gauges read. */
export interface ObservedPool {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
  options: { max?: number };
}

const pools = new Map<string, ObservedPool>();

function poolGauge(name: string, help: string, read: (p: ObservedPool) => number): void {
  new client.Gauge({
    name,
    help,
    labelNames: ['pool'] as const,
    registers: [registry],
    collect() {
      for (const [pool, p] of pools) this.set({ pool }, read(p));
    },
  });
}
poolGauge('db_pool_max', 'Most connections the pool may open', (p) => p.options.max ?? 10);
poolGauge('db_pool_connections', 'Connections the pool holds (busy and idle)', (p) => p.totalCount);
poolGauge('db_pool_idle', 'Idle connections in the pool', (p) => p.idleCount);
poolGauge('db_pool_waiting', 'Queries waiting for a free connection', (p) => p.waitingCount);

/** Reports a database pool under `pool` (e.g. `primary`, `replica`) in the db_pool_* gauges. */
export function observeDatabasePool(name: string, pool: ObservedPool): void {
  pools.set(name, pool);
}

let dataDir: string | undefined;
let databaseSize: (() => Promise<number>) | undefined;

async function filesystem(): Promise<{ free: number; total: number } | undefined> {
  if (!dataDir) return undefined;
  const s = await statfs(dataDir).catch(() => undefined);
  return s && { free: s.bavail * s.bsize, total: s.blocks * s.bsize };
}

new client.Gauge({
  name: 'data_dir_free_bytes',
  help: 'Free space for this process on the file system of DATA_DIR (the embedded database, generated keys, local backups)',
  registers: [registry],
  async collect() {
    const fs = await filesystem();
    if (fs) this.set(fs.free);
  },
});
new client.Gauge({
  name: 'data_dir_size_bytes',
  help: 'Size of the file system of DATA_DIR',
  registers: [registry],
  async collect() {
    const fs = await filesystem();
    if (fs) this.set(fs.total);
  },
});
new client.Gauge({
  name: 'database_size_bytes',
  help: "Size of the product's PostgreSQL database on disk",
  registers: [registry],
  async collect() {
    const size = await databaseSize?.().catch(() => undefined);
    if (size !== undefined) this.set(size);
  },
});

/** Points the disk gauges at DATA_DIR and at a reader of the database's size. */
export function observeStorage(dir: string, readDatabaseSize: () => Promise<number>): void {
  dataDir = dir;
  databaseSize = readDatabaseSize;
}
