import { z } from 'zod';

export const backupStatus = z.enum(['running', 'succeeded', 'failed']);

export const backupDrill = z.object({
  id: z.uuid(),
  status: backupStatus,
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime().nullable(),
  durationMs: z.number().int().nullable(),
  tablesCompared: z.number().int().nullable(),
  /** Tables whose row count or checksum differed from the backup's manifest. */
  mismatches: z.record(z.string(), z.object({ expected: z.string(), actual: z.string() })).nullable(),
  error: z.string().nullable(),
});
export type BackupDrill = z.infer<typeof backupDrill>;

export const backupItem = z.object({
  id: z.uuid(),
  name: z.string(),
  trigger: z.enum(['schedule', 'manual', 'cli']),
  status: backupStatus,
  /** Where the encrypted file is: `dir`, `s3`; empty once pruned. */
  locations: z.array(z.string()),
  sizeBytes: z.number().int().nullable(),
  durationMs: z.number().int().nullable(),
  /** Id of the SECRET_KEY the file is encrypted with (not the key). */
  keyId: z.string().nullable(),
  tables: z.number().int().nullable(),
  rows: z.number().int().nullable(),
  error: z.string().nullable(),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime().nullable(),
  prunedAt: z.iso.datetime().nullable(),
  drill: backupDrill.nullable(),
});
export type BackupItem = z.infer<typeof backupItem>;

export const backupAlert = z.object({
  id: z.uuid(),
  kind: z.enum(['backup_failed', 'drill_failed', 'backup_stale']),
  message: z.string(),
  openedAt: z.iso.datetime(),
});
export type BackupAlert = z.infer<typeof backupAlert>;

export const backupOverview = z.object({
  items: z.array(backupItem),
  alerts: z.array(backupAlert),
  settings: z.object({
    directory: z.string().nullable(),
    s3: z.string().nullable(),
    schedule: z.string().nullable(),
    drillSchedule: z.string().nullable(),
    keep: z.object({ daily: z.number().int(), weekly: z.number().int(), monthly: z.number().int() }),
    maxAgeHours: z.number(),
    /** Id of the current SECRET_KEY: backups with another id need that key to restore. */
    keyId: z.string(),
  }),
});
export type BackupOverview = z.infer<typeof backupOverview>;
