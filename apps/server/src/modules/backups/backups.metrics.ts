import client from 'prom-client';
import type { Db } from '../../platform/db/client.js';
import { registry } from '../../platform/metrics.js';
import { BackupsRepository } from './backups.repository.js';

/**
 * Backup gauges, read from the database at scrape time: backups run on a worker, and any process's
 * /metrics (usually the API's) must show them. Names are in the contract the alert rules use.
 */
let source: BackupsRepository | undefined;
let pending: Promise<Awaited<ReturnType<BackupsRepository['status']>> | undefined> | undefined;

/** One database read per scrape, shared by the gauges. */
function status() {
  pending ??= (source?.status() ?? Promise.resolve(undefined))
    .catch(() => undefined)
    .finally(() => setImmediate(() => (pending = undefined)));
  return pending;
}

const seconds = (d: Date | null | undefined) => (d ? d.getTime() / 1000 : 0);

function gauge(name: string, help: string, read: (s: NonNullable<Awaited<ReturnType<typeof status>>>) => number) {
  return new client.Gauge({
    name,
    help,
    registers: [registry],
    async collect() {
      const s = await status();
      if (s) this.set(read(s));
    },
  });
}

gauge('backup_last_success_timestamp_seconds', 'When the last successful backup finished (unix seconds; 0 = never)', (s) =>
  seconds(s.lastSuccessAt),
);
gauge('backup_last_duration_seconds', 'How long the last successful backup took', (s) => (s.lastDurationMs ?? 0) / 1000);
gauge('backup_last_size_bytes', 'Size of the last successful backup (encrypted)', (s) => s.lastSizeBytes ?? 0);
gauge('backup_last_failed', '1 when the newest finished backup attempt failed', (s) => (s.lastFailed ? 1 : 0));
gauge('backup_drill_last_success_timestamp_seconds', 'When the last successful restore drill finished (unix seconds; 0 = never)', (s) =>
  seconds(s.drillSuccessAt),
);
gauge('backup_drill_last_failed', '1 when the newest finished restore drill failed', (s) => (s.drillFailed ? 1 : 0));

/** Points the backup gauges at this process's database. */
export function bindBackupMetrics(db: Db): void {
  source = new BackupsRepository(db);
}
