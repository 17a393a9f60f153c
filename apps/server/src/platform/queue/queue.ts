import { createRequire } from 'node:module';
import PgBoss from 'pg-boss';
import pg from 'pg';
import type { Logger } from 'pino';
import { jobSchemas, type JobData, type JobName, type JobPayload } from '../../jobs.schema.js';
import { jobDeadLettered, jobDuration, jobFailures, queueDepth, queueOldestAge } from '../metrics.js';
import type { Tx } from '../db/transaction.js';
import { contextFrom, inSpan, SpanKind, traceCarrier } from '../tracing.js';

export interface JobMeta {
  id: string;
  retryCount: number;
  retryLimit: number;
  /** True when a failure now will not be retried. */
  isLastAttempt: boolean;
}

export interface QueueOptions {
  retryLimit: number;
  retryDelay: number;
  retryBackoff: boolean;
  expireInSeconds: number;
}

/** One job type: retry policy, workers per process and an idempotent handler. */
export interface JobDefinition<N extends JobName, Ctx> {
  name: N;
  options: QueueOptions;
  concurrency: number;
  handler(data: JobData<N>, meta: JobMeta, ctx: Ctx): Promise<void>;
  /** Runs once when the job has used up its retries (the dead-letter queue). */
  onDead?: (data: JobData<N>, ctx: Ctx) => Promise<void>;
}

/** Any job of the registry. */
export type AnyJobDefinition<Ctx> = { [N in JobName]: JobDefinition<N, Ctx> }[JobName];

export function defineJob<N extends JobName, Ctx>(def: JobDefinition<N, Ctx>): JobDefinition<N, Ctx> {
  return def;
}

export interface SendOptions {
  startAfterSeconds?: number;
  singletonKey?: string;
}

const WAKE_CHANNEL = 'sb_jobs';

/**
 * pg-boss 10 completes and fails a worker's job without awaiting the query: with the database gone at
 * that moment the rejection is unhandled and would end the process. Swallowing it is safe — the job
 * stays active, expires and is retried, and every handler is idempotent.
 */
function guardJobCompletion(): void {
  const Manager = createRequire(import.meta.url)('pg-boss/src/manager') as {
    prototype: Record<'complete' | 'fail', (...args: unknown[]) => Promise<unknown>> & { __guarded?: boolean };
  };
  const proto = Manager.prototype;
  if (proto.__guarded) return;
  proto.__guarded = true;
  for (const method of ['complete', 'fail'] as const) {
    const original = proto[method];
    proto[method] = function (this: unknown, ...args: unknown[]) {
      const result = original.apply(this, args);
      result.catch(() => undefined);
      return result;
    };
  }
}
guardJobCompletion();

/**
 * pg-boss with a typed registry. Enqueueing takes the caller's transaction client, so a job exists
 * only if the rows it refers to were committed. A NOTIFY in the same transaction wakes idle workers
 * in every process at commit instead of waiting for the next poll.
 */
export class JobQueue {
  static readonly wakeChannel = WAKE_CHANNEL;
  readonly boss: PgBoss;
  private readonly workerIds = new Map<string, string[]>();
  private nextWorker = 0;
  private readonly busy = new Set<string>();
  /** Tells every process (after commit) that a queue has new work; set once the event bus runs. */
  announce: ((name: JobName) => void) | undefined;

  constructor(
    private readonly connectionString: string,
    private readonly log: Logger,
  ) {
    // Maintenance also retries jobs whose worker died mid-run once they expire: every 30 s instead of the
    // default 120 s, so a killed worker's sends resume within expiry + 30 s.
    this.boss = new PgBoss({ connectionString, max: 4, schema: 'pgboss', maintenanceIntervalSeconds: 30 });
    this.boss.on('error', (err) => this.log.error({ err }, 'job queue error'));
  }

  /** Starts pg-boss and creates each queue (retry policy from the registry or `overrides`) with its dead-letter queue. */
  async start(
    jobs: readonly { name: JobName; options: QueueOptions }[],
    overrides: Partial<Record<JobName, Partial<QueueOptions>>> = {},
  ): Promise<void> {
    await this.boss.start();
    // Processes booting together would deadlock creating the same queues: one at a time.
    const lock = new pg.Client({ connectionString: this.connectionString });
    await lock.connect();
    try {
      await lock.query('select pg_advisory_lock(7220003)');
      for (const def of jobs) {
        const dead = `${def.name}.dead`;
        await this.boss.createQueue(dead, { name: dead, retentionDays: 30 });
        const queue = { name: def.name, ...def.options, ...overrides[def.name], deadLetter: dead };
        await this.boss.createQueue(def.name, queue);
        await this.boss.updateQueue(def.name, queue);
      }
    } finally {
      await lock.end(); // ends the session, releasing the lock
    }
  }

  /** Enqueue inside the caller's transaction. */
  async send<N extends JobName>(tx: Tx, name: N, payload: JobPayload<N>, options: SendOptions = {}): Promise<void> {
    // The sender's trace travels with the job, so the worker's span continues it (`_trace` is not part of the payload schema).
    const trace = traceCarrier();
    const data = { ...(jobSchemas[name].parse(payload) as object), ...(trace ? { _trace: trace } : {}) };
    await this.boss.send(name, data, {
      ...(options.startAfterSeconds ? { startAfter: options.startAfterSeconds } : {}),
      ...(options.singletonKey ? { singletonKey: options.singletonKey } : {}),
      db: { executeSql: (text: string, values: unknown[]) => tx.client.query(text, values) },
    });
    tx.afterCommit(() => this.announce?.(name));
  }

  /** Starts this process's workers for every job. */
  async work<Ctx>(jobs: readonly AnyJobDefinition<Ctx>[], ctx: Ctx): Promise<void> {
    for (const job of jobs) {
      // The payload is parsed with the job's own schema, so the handler gets the type it declares.
      const def = job as unknown as JobDefinition<JobName, Ctx> & {
        handler(data: unknown, meta: JobMeta, ctx: Ctx): Promise<void>;
        onDead?: (data: unknown, ctx: Ctx) => Promise<void>;
      };
      const schema = jobSchemas[def.name];
      const ids: string[] = [];
      for (let i = 0; i < def.concurrency; i++) {
        const worker = { id: '' };
        worker.id = await this.boss.work<object>(
          def.name,
          { batchSize: 1, includeMetadata: true, pollingIntervalSeconds: 2 },
          async ([job]) => {
            if (!job) return;
            const meta = {
              id: job.id,
              retryCount: job.retryCount,
              retryLimit: job.retryLimit,
              isLastAttempt: job.retryCount >= job.retryLimit,
            };
            this.busy.add(worker.id);
            const timer = jobDuration.startTimer({ queue: def.name });
            try {
              await inSpan(
                `job ${def.name}`,
                {
                  kind: SpanKind.CONSUMER,
                  parent: contextFrom((job.data as { _trace?: Record<string, string> })._trace),
                  attributes: { 'messaging.system': 'pg-boss', 'messaging.destination.name': def.name, 'messaging.message.id': job.id },
                },
                () => def.handler(schema.parse(job.data), meta, ctx),
              );
              timer({ outcome: 'completed' });
            } catch (err) {
              timer({ outcome: 'failed' });
              jobFailures.inc({ queue: def.name });
              if (meta.isLastAttempt) jobDeadLettered.inc({ queue: def.name });
              // The last attempt's failure is an error (and an error report); earlier ones will be retried.
              const level = meta.isLastAttempt ? 'error' : 'warn';
              this.log[level]({ err, job: def.name, jobId: job.id, retryCount: job.retryCount }, 'job failed');
              throw err;
            } finally {
              this.busy.delete(worker.id);
              // A worker that found work looks again at once instead of sleeping out its polling
              // interval: a backlog (a burst, delayed retries, a restart) drains at full speed.
              this.boss.notifyWorker(worker.id);
            }
          },
        );
        ids.push(worker.id);
      }
      const onDead = def.onDead;
      if (onDead) {
        const id = await this.boss.work<object>(`${def.name}.dead`, { batchSize: 1, pollingIntervalSeconds: 5 }, async ([job]) => {
          if (job) await onDead(schema.parse(job.data), ctx);
        });
        this.workerIds.set(`${def.name}.dead`, [id]);
      }
      this.workerIds.set(def.name, ids);
    }
  }

  /**
   * Wakes one idle worker of a queue per announced job, in turn. Busy workers need no wake-up:
   * they look for more work as soon as they finish.
   */
  wake(name: string): void {
    const ids = this.workerIds.get(name) ?? [];
    for (let tried = 0; tried < ids.length; tried++) {
      this.nextWorker = (this.nextWorker + 1) % ids.length;
      const id = ids[this.nextWorker]!;
      if (!this.busy.has(id)) return this.boss.notifyWorker(id);
    }
  }

  /** Sets the depth (jobs not yet started) and the oldest due job's wait of every queue, in one query. */
  async refreshDepthMetric(): Promise<void> {
    const { rows } = await this.boss.getDb().executeSql(
      `select name, count(*)::int as depth,
         coalesce(extract(epoch from now() - min(start_after) filter (where start_after <= now())), 0)::float8 as age
       from pgboss.job where state < 'active' and name = any($1) group by name`,
      [Object.keys(jobSchemas)],
    );
    const byName = new Map((rows as { name: string; depth: number; age: number }[]).map((r) => [r.name, r]));
    for (const name of Object.keys(jobSchemas)) {
      queueDepth.set({ queue: name }, byName.get(name)?.depth ?? 0);
      queueOldestAge.set({ queue: name }, byName.get(name)?.age ?? 0);
    }
  }

  /** Throws when the queue's database is unreachable. */
  async ping(): Promise<void> {
    await this.boss.getQueueSize('message.send');
  }

  /** Stops fetching and waits, bounded, for running handlers. */
  async stop(timeoutMs: number): Promise<void> {
    await this.boss.stop({ graceful: true, wait: true, timeout: timeoutMs, close: true });
  }
}
