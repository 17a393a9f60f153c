import { sql } from 'drizzle-orm';
import { defineJob } from './platform/queue/queue.js';
import { messageSendJob, type DeliveryContext } from './modules/conversations/conversations.delivery.js';
import { IdentityRepository } from './modules/identity/identity.repository.js';
import { LoginThrottleRepository } from './modules/identity/login-throttle.repository.js';
import { messageInboundJob } from './modules/assistant/assistant.inbound.job.js';
import { knowledgeIndexJob } from './modules/knowledge/knowledge.index.job.js';
import { knowledgeOcrJob } from './modules/knowledge/ocr/ocr.job.js';
import { classifierTrainJob } from './modules/ai/classifier/classifier.train.job.js';
import { channelsHealthJob } from './modules/alerts/alerts.job.js';
import { alertNotifyJob } from './modules/alerts/alerts.notify.js';
import { bridgePostJob } from './modules/bridge/bridge.post.job.js';
import { webhookDeliverJob } from './modules/webhooks/webhooks.jobs.js';
import { notificationDeliverJob, notificationsWaitingJob } from './modules/notifications/notifications.jobs.js';
import { backupJobs } from './modules/backups/backups.jobs.js';
import { reportJobs } from './modules/reports/reports.jobs.js';
import { teamworkJobs } from './modules/teams/teams.jobs.js';

/** Keeps the realtime log, throttle slots and dead sessions from growing without bound. */
export const maintenancePruneJob = defineJob<'maintenance.prune', DeliveryContext>({
  name: 'maintenance.prune',
  concurrency: 1,
  options: { retryLimit: 2, retryDelay: 60, retryBackoff: false, expireInSeconds: 300 },
  async handler(_data, _meta, ctx) {
    await ctx.db.execute(sql`delete from events where created_at < now() - interval '24 hours'`);
    await ctx.db.execute(sql`delete from send_slots where next_at < now() - interval '1 hour'`);
    await ctx.db.execute(sql`delete from rate_limit_hits where window_start < now() - interval '1 hour'`);
    await ctx.db.execute(
      sql`delete from webhook_deliveries where created_at < now() - interval '30 days' and status in ('delivered', 'dead')`,
    );
    await ctx.db.execute(sql`delete from notifications where created_at < now() - interval '90 days'`);
    await new IdentityRepository(ctx.db).pruneExpired();
    await new LoginThrottleRepository(ctx.db).pruneEnded();
  },
});

/** Every job this product runs: the one registry workers start from. */
export const jobs = [
  messageSendJob,
  messageInboundJob,
  knowledgeIndexJob,
  knowledgeOcrJob,
  classifierTrainJob,
  channelsHealthJob,
  alertNotifyJob,
  bridgePostJob,
  webhookDeliverJob,
  maintenancePruneJob,
  notificationDeliverJob,
  notificationsWaitingJob,
  ...backupJobs,
  ...reportJobs,
  ...teamworkJobs,
] as const;
