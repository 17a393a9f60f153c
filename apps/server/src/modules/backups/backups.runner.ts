import { createHash, randomBytes } from 'node:crypto';
import { existsSync, createReadStream } from 'node:fs';
import { Transform, Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import type { Logger } from 'pino';
import type { BackupConfig } from '../../config.js';
import type { Db } from '../../platform/db/client.js';
import type { SecretBox } from '../../platform/crypto/secret-box.js';
import type { BackupManifest } from '../../platform/db/schema.backups.js';
import { decryptStream, encryptStream } from './backup.crypto.js';
import { compareManifests, measureDatabase, PgTools, withDatabase } from './backup.pg.js';
import { backupsToKeep } from './backup.retention.js';
import { DirStore, S3Store, type BackupStore } from './backup.stores.js';
import { BackupsRepository, type BackupAlertKind, type BackupAlertRow, type BackupRow, type DrillRow } from './backups.repository.js';

export interface BackupRunnerDeps {
  db: Db;
  databaseUrl: string;
  /** The embedded PostgreSQL: its own pg_dump is used. */
  embedded: boolean;
  secrets: SecretBox;
  config: BackupConfig;
  log: Logger;
  /** Tells platform admins about a newly opened alert (a job in the app, an e-mail from the CLI). */
  notify?: (alert: BackupAlertRow) => Promise<void>;
}

/** Where a restore reads from: a backup this installation recorded, a local file, or an S3 key. */
export type RestoreSource = { name: string } | { file: string } | { s3Key: string };

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * Makes, restores, drills and prunes backups. `pg_dump` output is encrypted and written as it is
 * produced: a backup never sits in memory or unencrypted on disk.
 */
export class BackupRunner {
  readonly repo: BackupsRepository;
  readonly stores: BackupStore[];

  constructor(private readonly d: BackupRunnerDeps) {
    this.repo = new BackupsRepository(d.db);
    this.stores = [...(d.config.dir ? [new DirStore(d.config.dir)] : []), ...(d.config.s3 ? [new S3Store(d.config.s3)] : [])];
  }

  private tools(): Promise<PgTools> {
    return PgTools.find(this.d.databaseUrl, { binDir: this.d.config.pgBinDir, embedded: this.d.embedded });
  }

  /** Dumps the database (one consistent snapshot), encrypts it into every store, then applies retention. */
  async backup(trigger: BackupRow['trigger']): Promise<BackupRow> {
    const stamp = new Date()
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d+Z$/, 'Z');
    const row = await this.repo.start(`switchboard-${stamp}-${randomBytes(3).toString('hex')}.sbk`, trigger);
    const started = Date.now();
    try {
      if (!this.stores.length) throw new Error('no backup storage is configured (BACKUP_DIR is off and BACKUP_S3_BUCKET is unset)');
      const done = await this.dumpInto(row.name);
      const result = await this.repo.succeed(row.id, { ...done, durationMs: Date.now() - started });
      this.d.log.info({ backup: row.name, bytes: done.sizeBytes, ms: result.durationMs }, 'backup made');
      await this.repo.resolveAlerts(['backup_failed', 'backup_stale']);
      await this.prune().catch((err: unknown) => this.d.log.error({ err }, 'backup retention failed'));
      return result;
    } catch (err) {
      const message = errorText(err);
      await this.repo.fail(row.id, message, Date.now() - started);
      this.d.log.error({ err, backup: row.name }, 'backup failed');
      await this.alert('backup_failed', `Backup ${row.name} failed: ${message}`);
      throw err;
    }
  }

  private async dumpInto(name: string) {
    const tools = await this.tools();
    // The measurements and pg_dump read the same exported snapshot: the manifest describes exactly the dump.
    const snapshotHolder = new pg.Client({ connectionString: this.d.databaseUrl });
    await snapshotHolder.connect();
    snapshotHolder.on('error', () => undefined);
    const written: BackupStore[] = [];
    try {
      await snapshotHolder.query('begin isolation level repeatable read read only');
      const { rows } = await snapshotHolder.query<{ id: string }>('select pg_export_snapshot() as id');
      const manifest = await measureDatabase(snapshotHolder);
      const dump = tools.dump(this.d.databaseUrl, rows[0]!.id);
      const encrypt = encryptStream(this.d.secrets);
      const hash = createHash('sha256');
      let sizeBytes = 0;
      const counted = new Transform({
        transform(chunk: Buffer, _enc, done) {
          hash.update(chunk);
          sizeBytes += chunk.length;
          done(null, chunk);
        },
      });
      const [first, ...rest] = this.stores;
      written.push(first!);
      const results = await Promise.allSettled([pipeline(dump.stdout, encrypt, counted), first!.write(name, counted), dump.done]);
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
      // Further stores get a copy of the finished file (from the directory when there is one).
      for (const store of rest) {
        written.push(store);
        await store.write(name, await first!.read(name));
      }
      return {
        locations: this.stores.map((s) => s.kind),
        sizeBytes,
        sha256: hash.digest('hex'),
        keyId: encrypt.keyId,
        manifest,
      };
    } catch (err) {
      for (const store of written) await store.remove(name).catch(() => undefined);
      throw err;
    } finally {
      await snapshotHolder.query('commit').catch(() => undefined);
      await snapshotHolder.end().catch(() => undefined);
    }
  }

  /** Opens a backup's encrypted bytes. */
  async open(source: RestoreSource): Promise<Readable> {
    if ('file' in source) {
      if (!existsSync(source.file)) throw new Error(`no such file: ${source.file}`);
      return createReadStream(source.file);
    }
    if ('s3Key' in source) {
      if (!this.d.config.s3) throw new Error('BACKUP_S3_BUCKET is not set: cannot read from S3');
      const store = new S3Store({ ...this.d.config.s3, prefix: '' });
      return store.read(source.s3Key);
    }
    for (const store of this.stores) {
      if (await store.exists(source.name)) return store.read(source.name);
    }
    throw new Error(`backup ${source.name} is in none of the configured stores`);
  }

  /** Reads a whole backup and checks every block, without restoring anything. Returns its plain size. */
  async verify(source: RestoreSource): Promise<number> {
    let bytes = 0;
    await pipeline(
      await this.open(source),
      decryptStream(this.d.secrets),
      new Writable({
        write(chunk: Buffer, _enc, done) {
          bytes += chunk.length;
          done();
        },
      }),
    );
    return bytes;
  }

  /**
   * Restores a backup into `targetUrl` in one transaction (a failure leaves the target as it was).
   * The file is first read through once and checked, so a damaged or foreign file is refused before
   * the database is touched. `clean` drops the objects the backup holds before creating them.
   */
  async restore(source: RestoreSource, targetUrl: string, opts: { clean: boolean; verifyFirst?: boolean }): Promise<void> {
    if (opts.verifyFirst !== false) await this.verify(source);
    const tools = await PgTools.find(targetUrl, { binDir: this.d.config.pgBinDir, embedded: this.d.embedded });
    const restore = tools.restore(targetUrl, { clean: opts.clean });
    restore.stdout.resume(); // pg_restore writes to the database; anything on stdout is dropped
    const results = await Promise.allSettled([
      pipeline(await this.open(source), decryptStream(this.d.secrets), restore.stdin),
      restore.done,
    ]);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /**
   * The restore drill: the newest good backup (or `backupId`) restored into a scratch database on the
   * same server, its row counts and checksums compared with what the backup recorded, the scratch
   * database dropped. A failure or a difference opens a `drill_failed` alert.
   */
  async drill(backupId?: string): Promise<DrillRow & { scratchDatabase: string }> {
    const backup = backupId ? await this.repo.get(backupId) : (await this.repo.available())[0];
    if (!backup || backup.status !== 'succeeded' || !backup.manifest) {
      throw new Error(backupId ? `backup ${backupId} cannot be drilled (missing or not successful)` : 'there is no backup to drill yet');
    }
    const drill = await this.repo.startDrill(backup.id);
    const started = Date.now();
    // The name carries its creation time, so a later drill can tell a leftover of a killed process from a live one.
    const scratch = `${SCRATCH_PREFIX}${Math.floor(Date.now() / 1000)}_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: this.d.databaseUrl });
    await admin.connect();
    admin.on('error', () => undefined);
    let result: DrillRow;
    try {
      await dropLeftoverScratch(admin, this.d.log);
      await admin.query(`create database ${scratch}`);
      const scratchUrl = withDatabase(this.d.databaseUrl, scratch);
      // pg_restore runs in one transaction and every block is checked as it is read: no separate pass.
      await this.restore({ name: backup.name }, scratchUrl, { clean: false, verifyFirst: false });
      const restored = await measureScratch(scratchUrl);
      const mismatches = compareManifests(backup.manifest, restored);
      const count = Object.keys(mismatches).length;
      result = await this.repo.finishDrill(drill.id, {
        status: count ? 'failed' : 'succeeded',
        durationMs: Date.now() - started,
        tablesCompared: Object.keys(backup.manifest.rows).length,
        mismatches,
        ...(count ? { error: `${count} difference(s) from the backup's manifest: ${Object.keys(mismatches).slice(0, 5).join(', ')}` } : {}),
      });
    } catch (err) {
      result = await this.repo.finishDrill(drill.id, { status: 'failed', durationMs: Date.now() - started, error: errorText(err) });
    } finally {
      await admin.query(`drop database if exists ${scratch} with (force)`).catch((err: unknown) => {
        this.d.log.error({ err, database: scratch }, 'restore drill could not drop its scratch database');
      });
      await admin.end().catch(() => undefined);
    }
    if (result.status === 'failed') {
      this.d.log.error({ backup: backup.name, error: result.error }, 'restore drill failed');
      await this.alert('drill_failed', `Restore drill of ${backup.name} failed: ${result.error ?? 'unknown reason'}`);
    } else {
      this.d.log.info({ backup: backup.name, ms: result.durationMs }, 'restore drill passed');
      await this.repo.resolveAlerts(['drill_failed']);
    }
    return { ...result, scratchDatabase: scratch };
  }

  /** Deletes the files of good backups the retention policy no longer keeps. */
  async prune(): Promise<string[]> {
    const available = await this.repo.available();
    const keep = backupsToKeep(available, this.d.config.keep);
    const gone: string[] = [];
    for (const b of available.filter((x) => !keep.has(x.id))) {
      for (const store of this.stores) await store.remove(b.name);
      gone.push(b.id);
    }
    await this.repo.markPruned(gone);
    await this.repo.failAbandoned();
    await this.repo.forgetOld();
    if (gone.length) this.d.log.info({ pruned: gone.length }, 'old backups deleted by the retention policy');
    return gone;
  }

  /** Opens `backup_stale` when the last good backup is older than BACKUP_MAX_AGE_HOURS. */
  async checkFreshness(now = new Date()): Promise<boolean> {
    const s = await this.repo.status();
    const since = s.lastSuccessAt ?? s.installedAt;
    const limitMs = this.d.config.maxAgeHours * 3600_000;
    if (!since || now.getTime() - since.getTime() <= limitMs) return true;
    await this.alert(
      'backup_stale',
      s.lastSuccessAt
        ? `The last good backup finished ${s.lastSuccessAt.toISOString()}, more than ${this.d.config.maxAgeHours} h ago.`
        : `No backup has succeeded since the installation was set up (${since.toISOString()}).`,
    );
    return false;
  }

  private async alert(kind: BackupAlertKind, message: string): Promise<void> {
    try {
      const opened = await this.repo.openAlert(kind, message);
      if (opened && this.d.notify) await this.d.notify(opened);
    } catch (err) {
      this.d.log.error({ err, kind }, 'backup alert could not be recorded');
    }
  }
}

const SCRATCH_PREFIX = 'switchboard_drill_';

/** Scratch databases of drills whose process died (over a day old, unused) are dropped. */
async function dropLeftoverScratch(admin: pg.Client, log: Logger): Promise<void> {
  const { rows } = await admin.query<{ datname: string }>('select datname from pg_database where datname like $1', [`${SCRATCH_PREFIX}%`]);
  const dayAgo = Date.now() / 1000 - 86_400;
  for (const { datname } of rows) {
    const created = Number(/^switchboard_drill_(\d+)_[0-9a-f]+$/.exec(datname)?.[1] ?? 0);
    if (created > dayAgo) continue;
    await admin.query(`drop database if exists "${datname}"`).then(
      () => log.warn({ database: datname }, 'dropped the scratch database a stopped restore drill left behind'),
      () => undefined, // still in use: leave it
    );
  }
}

async function measureScratch(url: string): Promise<BackupManifest> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('begin isolation level repeatable read read only');
    return await measureDatabase(client);
  } finally {
    await client.query('commit').catch(() => undefined);
    await client.end();
  }
}
