import client from 'prom-client';
import type { Db } from '../../platform/db/client.js';
import { registry } from '../../platform/metrics.js';
import { AlertsRepository } from './alerts.repository.js';

let source: AlertsRepository | undefined;

/**
 * Open channel alerts (credentials rejected, poller lagging, replies failing…), read from the database at
 * scrape time: the health check runs on the scheduler, and any process's /metrics must show them.
 */
new client.Gauge({
  name: 'channel_alerts_open',
  help: 'Open channel alerts by kind and channel type',
  labelNames: ['kind', 'channel_type'] as const,
  registers: [registry],
  async collect() {
    if (!source) return;
    const rows = await source.openCounts().catch(() => undefined);
    if (!rows) return;
    this.reset();
    for (const r of rows) this.set({ kind: r.kind, channel_type: r.channelType }, r.n);
  },
});

/** Points the channel-alert gauge at this process's database. */
export function bindAlertMetrics(db: Db): void {
  source = new AlertsRepository(db);
}
