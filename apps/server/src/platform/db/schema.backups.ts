import { sql } from 'drizzle-orm';
import { bigint, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id } from './schema.js';

/** What a backup measured in the database at the moment of its snapshot; a restore drill compares against it. */
export interface BackupManifest {
  /** Row count of every table, `schema.table`. */
  rows: Record<string, number>;
  /** Order-independent checksum of the rows of the key tables (sum of row hashes). */
  checksums: Record<string, string>;
  serverVersion: string;
}

/** One database backup (installation-wide, not per account): where it is, how big, what it held. */
export const backups = pgTable(
  'backups',
  {
    id: id(),
    /** File name in the backup directory and object key suffix in S3. */
    name: text('name').notNull(),
    trigger: text('trigger').$type<'schedule' | 'manual' | 'cli'>().notNull(),
    status: text('status').$type<'running' | 'succeeded' | 'failed'>().notNull().default('running'),
    /** Where the encrypted file was written: `dir`, `s3`. */
    locations: text('locations')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    sizeBytes: bigint('size_bytes', { mode: 'number' }),
    durationMs: integer('duration_ms'),
    /** SHA-256 of the encrypted file. */
    sha256: text('sha256'),
    /** Id of the SECRET_KEY the file is encrypted with. */
    keyId: text('key_id'),
    manifest: jsonb('manifest').$type<BackupManifest>(),
    error: text('error'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    /** Set when the retention policy deleted the file. */
    prunedAt: timestamp('pruned_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('backups_name_uq').on(t.name), index('backups_started_idx').on(t.startedAt)],
);

/** A restore drill: a backup restored into a scratch database and compared with its manifest. */
export const backupDrills = pgTable(
  'backup_drills',
  {
    id: id(),
    backupId: uuid('backup_id').references(() => backups.id, { onDelete: 'set null' }),
    status: text('status').$type<'running' | 'succeeded' | 'failed'>().notNull().default('running'),
    /** Tables whose row count or checksum differed: `{ table: { expected, actual } }`. */
    mismatches: jsonb('mismatches').$type<Record<string, { expected: string; actual: string }>>(),
    tablesCompared: integer('tables_compared'),
    durationMs: integer('duration_ms'),
    error: text('error'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [index('backup_drills_backup_idx').on(t.backupId), index('backup_drills_started_idx').on(t.startedAt)],
);

/** Installation-wide backup problems: open until the next success; each is e-mailed to platform admins once. */
export const backupAlerts = pgTable(
  'backup_alerts',
  {
    id: id(),
    kind: text('kind').$type<'backup_failed' | 'drill_failed' | 'backup_stale'>().notNull(),
    message: text('message').notNull(),
    openedAt: createdAt(),
    notifiedAt: timestamp('notified_at', { withTimezone: true }),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('backup_alerts_open_uq')
      .on(t.kind)
      .where(sql`${t.resolvedAt} is null`),
  ],
);

/**
 * Which SECRET_KEY this database's secrets are sealed with (its key id, never the key): a process
 * started with another key refuses to boot instead of failing to read every secret later.
 */
export const secretKeyCheck = pgTable('secret_key_check', {
  id: text('id').primaryKey().default('current'),
  keyId: text('key_id').notNull(),
  /** During a rotation: the key being replaced, still accepted. */
  previousKeyId: text('previous_key_id'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
