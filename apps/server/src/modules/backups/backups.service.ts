import type { Readable } from 'node:stream';
import type { BackupDrill, BackupItem, BackupOverview } from '@switchboard/shared';
import type { AppContext } from '../../context.js';
import { AppError, notFound } from '../../platform/http/errors.js';
import { transaction } from '../../platform/db/transaction.js';
import { isUuid } from '../../platform/ids.js';
import { can, type Actor } from '../identity/permissions.js';
import { recordAudit } from '../identity/identity.audit.js';
import { backupRunner } from './backups.jobs.js';
import type { BackupRow, DrillRow } from './backups.repository.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function toDrill(d: DrillRow): BackupDrill {
  return {
    id: d.id,
    status: d.status,
    startedAt: d.startedAt.toISOString(),
    finishedAt: iso(d.finishedAt),
    durationMs: d.durationMs,
    tablesCompared: d.tablesCompared,
    mismatches: d.mismatches,
    error: d.error,
  };
}

function toItem(b: BackupRow, drill: DrillRow | null): BackupItem {
  const rows = b.manifest ? Object.values(b.manifest.rows).reduce((a, n) => a + n, 0) : null;
  return {
    id: b.id,
    name: b.name,
    trigger: b.trigger,
    status: b.status,
    locations: b.prunedAt ? [] : b.locations,
    sizeBytes: b.sizeBytes,
    durationMs: b.durationMs,
    keyId: b.keyId,
    tables: b.manifest ? Object.keys(b.manifest.rows).length : null,
    rows,
    error: b.error,
    startedAt: b.startedAt.toISOString(),
    finishedAt: iso(b.finishedAt),
    prunedAt: iso(b.prunedAt),
    drill: drill ? toDrill(drill) : null,
  };
}

/**
 * The owner's view of backups. Backups hold every account of the installation, so only an owner who is
 * also the installation's platform admin may see, start or download them.
 */
export class BackupsService {
  constructor(private readonly ctx: AppContext) {}

  private async requireInstallationOwner(actor: Actor) {
    const runner = backupRunner(this.ctx);
    if (!can(actor, 'account.owners') || !(await runner.repo.isPlatformAdmin(actor.userId))) {
      throw new AppError('forbidden', "Backups hold every account's data: only the installation's owner (a platform admin) manages them");
    }
    return runner;
  }

  async overview(actor: Actor): Promise<BackupOverview> {
    const runner = await this.requireInstallationOwner(actor);
    const [rows, alerts] = await Promise.all([runner.repo.list(60), runner.repo.openAlerts()]);
    const b = this.ctx.config.backup;
    return {
      items: rows.map((r) => toItem(r.backup, r.drill)),
      alerts: alerts.map((a) => ({ id: a.id, kind: a.kind, message: a.message, openedAt: a.openedAt.toISOString() })),
      settings: {
        directory: b.dir ?? null,
        s3: b.s3 ? `s3://${b.s3.bucket}/${b.s3.prefix}` : null,
        schedule: b.schedule ?? null,
        drillSchedule: b.drillSchedule ?? null,
        keep: b.keep,
        maxAgeHours: b.maxAgeHours,
        keyId: this.ctx.secrets.keyId,
      },
    };
  }

  /** Queues a backup now (made by a worker); the list shows it when it starts. */
  async start(actor: Actor): Promise<{ accepted: true }> {
    await this.requireInstallationOwner(actor);
    await transaction(this.ctx.pool, async (tx) => {
      await this.ctx.queue.send(tx, 'backup.run', { trigger: 'manual' });
      await recordAudit(tx.db, actor, 'backup.started');
    });
    return { accepted: true };
  }

  /** Queues a restore drill of the newest backup (or of `backupId`). */
  async drill(actor: Actor, backupId?: string): Promise<{ accepted: true }> {
    const runner = await this.requireInstallationOwner(actor);
    if (backupId) {
      const b = await runner.repo.get(backupId);
      if (!b || b.status !== 'succeeded' || b.prunedAt) throw notFound('Backup');
    } else if (!(await runner.repo.available()).length) {
      throw new AppError('conflict', 'There is no backup to drill yet');
    }
    await transaction(this.ctx.pool, async (tx) => {
      await this.ctx.queue.send(tx, 'backup.drill', backupId ? { backupId } : {});
      await recordAudit(tx.db, actor, 'backup.drill_started', backupId ? { targetType: 'backup', targetId: backupId } : {});
    });
    return { accepted: true };
  }

  /** The encrypted file as stored (it needs the installation's SECRET_KEY to be read). */
  async download(actor: Actor, id: string): Promise<{ name: string; size: number | null; body: Readable }> {
    const runner = await this.requireInstallationOwner(actor);
    const b = isUuid(id) ? await runner.repo.get(id) : undefined;
    if (!b || b.status !== 'succeeded' || b.prunedAt) throw notFound('Backup');
    const body = await runner.open({ name: b.name }).catch(() => {
      throw new AppError('not_found', `The file of backup ${b.name} is no longer in the backup storage`);
    });
    await transaction(this.ctx.pool, (tx) =>
      recordAudit(tx.db, actor, 'backup.downloaded', { targetType: 'backup', targetId: b.id }),
    ).catch((err: unknown) => {
      body.destroy();
      throw err;
    });
    return { name: b.name, size: b.sizeBytes, body };
  }
}
