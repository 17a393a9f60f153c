import type { AppContext } from '../../context.js';
import { defineJob } from '../../platform/queue/queue.js';
import { transaction } from '../../platform/db/transaction.js';
import { sendAlertEmail } from '../alerts/alerts.email.js';
import { BackupRunner } from './backups.runner.js';
import { BackupsRepository, type BackupAlertRow } from './backups.repository.js';

const TITLES: Record<BackupAlertRow['kind'], string> = {
  backup_failed: 'backup failed',
  drill_failed: 'restore drill failed',
  backup_stale: 'no recent backup',
};

/** The runner of this process's configuration; a newly opened alert is e-mailed through `backup.alert`. */
export function backupRunner(ctx: AppContext): BackupRunner {
  const url = new URL(ctx.config.databaseUrl!);
  return new BackupRunner({
    db: ctx.db,
    databaseUrl: ctx.config.databaseUrl!,
    embedded: url.hostname === '127.0.0.1' && Number(url.port) === ctx.config.embeddedPgPort,
    secrets: ctx.secrets,
    config: ctx.config.backup,
    log: ctx.log,
    notify: (alert) => transaction(ctx.pool, (tx) => ctx.queue.send(tx, 'backup.alert', { alertId: alert.id })),
  });
}

/** E-mails a backup alert to the installation's platform admins (when SMTP_URL is set). */
export async function sendBackupAlert(ctx: Pick<AppContext, 'config' | 'db' | 'log'>, alert: BackupAlertRow): Promise<boolean> {
  const repo = new BackupsRepository(ctx.db);
  const emails = await repo.platformAdminEmails();
  if (!ctx.config.smtpUrl || !emails.length) {
    ctx.log.warn({ kind: alert.kind, message: alert.message }, 'backup alert not e-mailed: no SMTP_URL or no platform admin');
    return false;
  }
  await sendAlertEmail(ctx.config, emails, `Switchboard: ${TITLES[alert.kind]}`, `⚠️ Switchboard: ${TITLES[alert.kind]}\n${alert.message}`);
  await repo.markAlertNotified(alert.id);
  return true;
}

export const backupRunJob = defineJob<'backup.run', AppContext>({
  name: 'backup.run',
  concurrency: 1,
  options: { retryLimit: 1, retryDelay: 900, retryBackoff: false, expireInSeconds: 6 * 3600 },
  async handler({ trigger }, _meta, ctx) {
    await backupRunner(ctx).backup(trigger);
  },
});

export const backupDrillJob = defineJob<'backup.drill', AppContext>({
  name: 'backup.drill',
  concurrency: 1,
  options: { retryLimit: 0, retryDelay: 60, retryBackoff: false, expireInSeconds: 6 * 3600 },
  async handler({ backupId }, _meta, ctx) {
    const runner = backupRunner(ctx);
    if (!backupId && !(await runner.repo.available()).length) {
      ctx.log.info('backup.drill skipped: no backup yet');
      return;
    }
    // A failed drill is recorded and alerted by the runner; the job itself succeeded at running it.
    await runner.drill(backupId);
  },
});

/** Every 15 minutes: is the last good backup recent enough? */
export const backupWatchJob = defineJob<'backup.watch', AppContext>({
  name: 'backup.watch',
  concurrency: 1,
  options: { retryLimit: 1, retryDelay: 60, retryBackoff: false, expireInSeconds: 300 },
  async handler(_data, _meta, ctx) {
    await backupRunner(ctx).checkFreshness();
  },
});

export const backupAlertJob = defineJob<'backup.alert', AppContext>({
  name: 'backup.alert',
  concurrency: 1,
  options: { retryLimit: 5, retryDelay: 60, retryBackoff: true, expireInSeconds: 120 },
  async handler({ alertId }, _meta, ctx) {
    const alert = await new BackupsRepository(ctx.db).getAlert(alertId);
    if (!alert || alert.notifiedAt || alert.resolvedAt) {
      ctx.log.info({ alertId }, 'backup.alert skipped: resolved or notified already');
      return;
    }
    await sendBackupAlert(ctx, alert);
  },
});

export const backupJobs = [backupRunJob, backupDrillJob, backupWatchJob, backupAlertJob] as const;
