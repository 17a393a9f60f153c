import type pg from 'pg';
import type { Logger } from 'pino';
import client from 'prom-client';
import { connectDatabase, type Database, type Db } from './client.js';
import { registry } from '../metrics.js';

export const replicaLag = new client.Gauge({
  name: 'db_replica_lag_seconds',
  help: 'How far the read replica is behind the primary (-1 = unknown or unreachable)',
  registers: [registry],
});

export const reportReads = new client.Counter({
  name: 'db_report_reads_total',
  help: 'Report and analytics reads, by where they went (replica, or primary when none is set or it lags)',
  labelNames: ['target'] as const,
  registers: [registry],
});

/**
 * Seconds the server is behind its primary: 0 on a primary, and on a replica that has replayed all it
 * received (an idle primary writes nothing, so the last replay's age alone would look like lag); null
 * when it cannot tell (nothing replayed yet).
 */
const LAG_SQL = `select case
  when not pg_is_in_recovery() then 0
  when pg_last_wal_receive_lsn() is not distinct from pg_last_wal_replay_lsn() and pg_last_xact_replay_timestamp() is not null then 0
  else extract(epoch from now() - pg_last_xact_replay_timestamp()) end as lag`;

/** How long one lag reading is trusted. */
const LAG_TTL_MS = 5_000;

export type LagProbe = (pool: pg.Pool) => Promise<number | null>;

const queryLag: LagProbe = async (pool) => {
  const { rows } = await pool.query<{ lag: string | number | null }>(LAG_SQL);
  const lag = rows[0]?.lag;
  return lag === null || lag === undefined ? null : Number(lag);
};

/**
 * Where reports and analytics read: the replica (`DATABASE_REPLICA_URL`) while it is reachable and
 * at most `maxLagSeconds` behind, else the primary. Only read-only report queries use it; everything
 * that reads what it has just written stays on the primary.
 */
export class ReportsDatabase {
  private checkedAt = 0;
  private useReplica = false;
  private checking: Promise<void> | undefined;

  constructor(
    private readonly primary: Db,
    private readonly replica: Database | undefined,
    private readonly maxLagSeconds: number,
    private readonly log: Logger,
    private readonly probe: LagProbe = queryLag,
    private readonly lagTtlMs = LAG_TTL_MS,
  ) {
    if (replica) replicaLag.set(-1); // unknown until the first report reads
  }

  static connect(
    primary: Db,
    settings: { url: string | undefined; maxLagSeconds: number },
    poolSize: number,
    log: Logger,
  ): ReportsDatabase {
    const replica = settings.url ? connectDatabase(settings.url, poolSize) : undefined;
    return new ReportsDatabase(primary, replica, settings.maxLagSeconds, log);
  }

  /** The handle a report should read through now. */
  async db(): Promise<Db> {
    if (!this.replica) {
      reportReads.inc({ target: 'primary' });
      return this.primary;
    }
    if (Date.now() - this.checkedAt >= this.lagTtlMs) await (this.checking ??= this.check().finally(() => (this.checking = undefined)));
    reportReads.inc({ target: this.useReplica ? 'replica' : 'primary' });
    return this.useReplica ? this.replica.db : this.primary;
  }

  private async check(): Promise<void> {
    let lag: number | null;
    try {
      lag = await this.probe(this.replica!.pool);
    } catch (err) {
      this.log.warn({ err }, 'read replica unreachable; reports read the primary');
      lag = null;
    }
    replicaLag.set(lag ?? -1);
    const ok = lag !== null && lag <= this.maxLagSeconds;
    if (ok !== this.useReplica && this.checkedAt > 0) {
      this.log.warn(
        { lag, maxLagSeconds: this.maxLagSeconds },
        ok ? 'reports read the replica again' : 'read replica lags; reports read the primary',
      );
    }
    this.useReplica = ok;
    this.checkedAt = Date.now();
  }

  async close(): Promise<void> {
    await this.replica?.close();
  }
}
