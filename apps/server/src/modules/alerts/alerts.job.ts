import type { AppContext } from '../../context.js';
import { transaction } from '../../platform/db/transaction.js';
import { defineJob } from '../../platform/queue/queue.js';
import type { DeliveryContext } from '../conversations/conversations.delivery.js';
import type { ChannelRuntime } from '../channels/channels.runtime.js';
import { detectProblems, type ChannelFacts } from './alerts.checks.js';
import { AlertsRepository, type AlertRow, type ChannelHealthRow } from './alerts.repository.js';
import { toAlert } from './alerts.dto.js';

/**
 * Looks at every channel once: opens an alert for each new problem (published as `channel.alert`,
 * which outbound webhooks forward, and notified through `alert.notify`) and resolves alerts whose
 * problem is gone. Returns how many alerts were opened and resolved.
 */
export async function checkChannelHealth(ctx: AppContext, runtime: ChannelRuntime, now = new Date()) {
  const repo = new AlertsRepository(ctx.db);
  let opened = 0;
  let resolved = 0;
  const [channels, open] = await Promise.all([repo.channelsWithFacts(), repo.openKinds()]);
  for (const row of channels) {
    const problems = detectProblems(facts(runtime, row), now);
    const already = open.get(row.id) ?? new Set();
    // A healthy channel, or one whose alerts are already open, costs no transaction.
    if (problems.every((p) => already.has(p.kind)) && already.size === problems.length) continue;
    await transaction(ctx.pool, async (tx) => {
      const publish = (alert: AlertRow) => ctx.bus.publish(tx, row.accountId, 'channel.alert', { alert: toAlert(alert) });
      const named = { channelName: row.name, channelType: row.type };
      for (const gone of await repo.resolveAllBut(
        tx.db,
        row.id,
        problems.map((p) => p.kind),
      )) {
        resolved++;
        await publish({ ...gone, ...named });
      }
      for (const p of problems) {
        const alert = await repo.open(tx.db, row.accountId, row.id, p.kind, p.message);
        if (!alert) continue;
        opened++;
        await publish({ ...alert, ...named });
        await ctx.queue.send(tx, 'alert.notify', { accountId: row.accountId, alertId: alert.id });
      }
    });
  }
  return { opened, resolved };
}

function facts(runtime: ChannelRuntime, row: ChannelHealthRow): ChannelFacts {
  const silence = row.config.silenceAlertMinutes;
  return {
    status: row.status,
    statusReason: row.statusReason,
    polls: runtime.adapter(row.type).polls?.(row.config) ?? false,
    lastPolledAt: row.lastPolledAt,
    lastInboundAt: row.lastInboundAt,
    lastOutboundAt: row.lastOutboundAt,
    createdAt: row.createdAt,
    silenceAlertMinutes: typeof silence === 'number' ? silence : null,
    failedRecently: row.failedRecently,
  };
}

/** `channels.health`: scheduled every minute (one run at a time across processes). */
export const channelsHealthJob = defineJob<'channels.health', DeliveryContext>({
  name: 'channels.health',
  concurrency: 1,
  options: { retryLimit: 0, retryDelay: 30, retryBackoff: false, expireInSeconds: 120 },
  async handler(_data, _meta, ctx) {
    const { opened, resolved } = await checkChannelHealth(ctx, ctx.channels);
    if (opened || resolved) ctx.log.info({ opened, resolved }, 'channel alerts changed');
  },
});
