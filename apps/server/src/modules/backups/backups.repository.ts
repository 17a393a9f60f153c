import { and, desc, eq, inArray, isNotNull, isNull, lt, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import { backupAlerts, backupDrills, backups, type BackupManifest } from '../../platform/db/schema.backups.js';
import { accounts, users } from '../../platform/db/schema.js';

export type BackupRow = typeof backups.$inferSelect;
export type DrillRow = typeof backupDrills.$inferSelect;
export type BackupAlertRow = typeof backupAlerts.$inferSelect;
export type BackupAlertKind = BackupAlertRow['kind'];

/** Installation-wide records of backups, drills and backup alerts (no account: backups hold every account). */
export class BackupsRepository {
  constructor(private readonly db: Db) {}

  async start(name: string, trigger: BackupRow['trigger']): Promise<BackupRow> {
    const [row] = await this.db.insert(backups).values({ name, trigger }).returning();
    return row!;
  }

  async succeed(
    id: string,
    r: { locations: string[]; sizeBytes: number; durationMs: number; sha256: string; keyId: string; manifest: BackupManifest },
  ): Promise<BackupRow> {
    const [row] = await this.db
      .update(backups)
      .set({ ...r, status: 'succeeded', finishedAt: sql`now()` })
      .where(eq(backups.id, id))
      .returning();
    return row!;
  }

  async fail(id: string, error: string, durationMs: number): Promise<void> {
    await this.db
      .update(backups)
      .set({ status: 'failed', error, durationMs, finishedAt: sql`now()` })
      .where(eq(backups.id, id));
  }

  async get(id: string): Promise<BackupRow | undefined> {
    const [row] = await this.db.select().from(backups).where(eq(backups.id, id));
    return row;
  }

  async byName(name: string): Promise<BackupRow | undefined> {
    const [row] = await this.db.select().from(backups).where(eq(backups.name, name));
    return row;
  }

  /** Good backups whose files still exist, newest first. */
  async available(): Promise<BackupRow[]> {
    return this.db
      .select()
      .from(backups)
      .where(and(eq(backups.status, 'succeeded'), isNull(backups.prunedAt)))
      .orderBy(desc(backups.startedAt));
  }

  async markPruned(ids: string[]): Promise<void> {
    if (ids.length)
      await this.db
        .update(backups)
        .set({ prunedAt: sql`now()` })
        .where(inArray(backups.id, ids));
  }

  /** Attempts whose process died mid-way (nothing finishes them) count as failed after a day. */
  async failAbandoned(): Promise<void> {
    await this.db
      .update(backups)
      .set({ status: 'failed', error: 'the backup process stopped before finishing', finishedAt: sql`now()` })
      .where(and(eq(backups.status, 'running'), lt(backups.startedAt, sql`now() - interval '1 day'`)));
  }

  /** Failed attempts older than 90 days and records of pruned backups older than a year go. */
  async forgetOld(): Promise<void> {
    await this.db.delete(backups).where(and(eq(backups.status, 'failed'), lt(backups.startedAt, sql`now() - interval '90 days'`)));
    await this.db.delete(backups).where(and(isNotNull(backups.prunedAt), lt(backups.startedAt, sql`now() - interval '1 year'`)));
  }

  /** Every backup (newest first) with its latest drill. */
  async list(limit: number): Promise<{ backup: BackupRow; drill: DrillRow | null }[]> {
    const rows = await this.db.select().from(backups).orderBy(desc(backups.startedAt)).limit(limit);
    if (!rows.length) return [];
    const drills = await this.db
      .selectDistinctOn([backupDrills.backupId])
      .from(backupDrills)
      .where(
        inArray(
          backupDrills.backupId,
          rows.map((r) => r.id),
        ),
      )
      .orderBy(backupDrills.backupId, desc(backupDrills.startedAt));
    const byBackup = new Map(drills.map((d) => [d.backupId, d]));
    return rows.map((backup) => ({ backup, drill: byBackup.get(backup.id) ?? null }));
  }

  async lastDrills(limit: number): Promise<DrillRow[]> {
    return this.db.select().from(backupDrills).orderBy(desc(backupDrills.startedAt)).limit(limit);
  }

  async startDrill(backupId: string): Promise<DrillRow> {
    const [row] = await this.db.insert(backupDrills).values({ backupId }).returning();
    return row!;
  }

  async finishDrill(
    id: string,
    r: { status: 'succeeded' | 'failed'; durationMs: number; tablesCompared?: number; mismatches?: DrillRow['mismatches']; error?: string },
  ): Promise<DrillRow> {
    const [row] = await this.db
      .update(backupDrills)
      .set({ ...r, finishedAt: sql`now()` })
      .where(eq(backupDrills.id, id))
      .returning();
    return row!;
  }

  /** Facts for the metrics and the staleness check. */
  async status() {
    const { rows } = await this.db.execute<{
      last_success: Date | null;
      last_duration_ms: number | null;
      last_size: number | null;
      last_failed: boolean | null;
      drill_success: Date | null;
      drill_failed: boolean | null;
      installed_at: Date | null;
    }>(sql`select
      (select finished_at from ${backups} where status = 'succeeded' order by started_at desc limit 1) as last_success,
      (select duration_ms from ${backups} where status = 'succeeded' order by started_at desc limit 1) as last_duration_ms,
      (select size_bytes from ${backups} where status = 'succeeded' order by started_at desc limit 1) as last_size,
      (select status = 'failed' from ${backups} where status <> 'running' order by started_at desc limit 1) as last_failed,
      (select finished_at from ${backupDrills} where status = 'succeeded' order by started_at desc limit 1) as drill_success,
      (select status = 'failed' from ${backupDrills} where status <> 'running' order by started_at desc limit 1) as drill_failed,
      (select min(created_at) from ${accounts}) as installed_at`);
    const r = rows[0]!;
    const date = (v: Date | string | null) => (v === null ? null : new Date(v));
    return {
      lastSuccessAt: date(r.last_success),
      lastDurationMs: r.last_duration_ms === null ? null : Number(r.last_duration_ms),
      lastSizeBytes: r.last_size === null ? null : Number(r.last_size),
      lastFailed: Boolean(r.last_failed),
      drillSuccessAt: date(r.drill_success),
      drillFailed: Boolean(r.drill_failed),
      installedAt: date(r.installed_at),
    };
  }

  /** Opens an alert unless one of that kind is open; returns it only when new. */
  async openAlert(kind: BackupAlertKind, message: string): Promise<BackupAlertRow | undefined> {
    const [row] = await this.db
      .insert(backupAlerts)
      .values({ kind, message })
      .onConflictDoNothing({ target: backupAlerts.kind, where: sql`${backupAlerts.resolvedAt} is null` })
      .returning();
    return row;
  }

  async resolveAlerts(kinds: BackupAlertKind[]): Promise<void> {
    await this.db
      .update(backupAlerts)
      .set({ resolvedAt: sql`now()` })
      .where(and(inArray(backupAlerts.kind, kinds), isNull(backupAlerts.resolvedAt)));
  }

  async openAlerts(): Promise<BackupAlertRow[]> {
    return this.db.select().from(backupAlerts).where(isNull(backupAlerts.resolvedAt)).orderBy(desc(backupAlerts.openedAt));
  }

  async getAlert(id: string): Promise<BackupAlertRow | undefined> {
    const [row] = await this.db.select().from(backupAlerts).where(eq(backupAlerts.id, id));
    return row;
  }

  async markAlertNotified(id: string): Promise<void> {
    await this.db
      .update(backupAlerts)
      .set({ notifiedAt: sql`now()` })
      .where(eq(backupAlerts.id, id));
  }

  /** E-mail addresses of the installation's platform admins (who get backup alerts). */
  async platformAdminEmails(): Promise<string[]> {
    const rows = await this.db.select({ email: users.email }).from(users).where(eq(users.platformAdmin, true));
    return rows.map((r) => r.email);
  }

  async isPlatformAdmin(userId: string): Promise<boolean> {
    const [row] = await this.db.select({ v: users.platformAdmin }).from(users).where(eq(users.id, userId));
    return Boolean(row?.v);
  }
}
