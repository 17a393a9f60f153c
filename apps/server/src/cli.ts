import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import type { Logger } from 'pino';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createLogger } from './platform/logging.js';
import { connectDatabase } from './platform/db/client.js';
import { startEmbeddedPostgres } from './platform/db/embedded.js';
import { runMigrations } from './platform/db/migrate.js';
import { SecretBox } from './platform/crypto/secret-box.js';
import { verifySecretKey } from './platform/crypto/key-check.js';
import { rotateSecrets } from './platform/crypto/rotate.js';
import { BackupRunner, type RestoreSource } from './modules/backups/backups.runner.js';
import { sendBackupAlert } from './modules/backups/backups.jobs.js';

const USAGE = `Usage: switchboard <command> [options]

Commands (settings come from the same environment as the server: DATABASE_URL or DATA_DIR, SECRET_KEY, BACKUP_*):
  backup                       Make an encrypted backup now (into BACKUP_DIR and/or BACKUP_S3_BUCKET).
  restore <file|s3 key>        Restore a backup into the database (or --into <postgres url>), in one transaction.
      --clean                  Replace what the backup holds in a database that is not empty (stop Switchboard first).
      --into <url>             Restore into this database instead of the configured one.
  verify <file|s3 key>         Read a backup through and check every block, without restoring it.
  drill                        Restore the newest backup into a scratch database and compare it with its manifest.
  rotate-secret                Re-seal every stored secret with SECRET_KEY (old key in SECRET_KEY_PREVIOUS).
  help                         Show this text.

A restore source is a file path, s3://bucket/key, or an object key in BACKUP_S3_BUCKET.`;

const COMMANDS = ['backup', 'restore', 'verify', 'drill', 'rotate-secret'];

/** A failure the operator can act on: printed as is, exit code 1. */
class CliError extends Error {}

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

const mb = (bytes: number | null) => `${((bytes ?? 0) / 1024 / 1024).toFixed(1)} MB`;

/** The database: DATABASE_URL, or the embedded server (the running one, or started for this command). */
async function openDatabase(config: Config, log: Logger): Promise<{ url: string; embedded: boolean; stop(): Promise<void> }> {
  if (config.databaseUrl) return { url: config.databaseUrl, embedded: false, stop: () => Promise.resolve() };
  const passwordFile = path.join(config.dataDir, 'pg-password');
  if (existsSync(passwordFile)) {
    const password = (await readFile(passwordFile, 'utf8')).trim();
    const url = `postgres://switchboard:${encodeURIComponent(password)}@127.0.0.1:${config.embeddedPgPort}/switchboard`;
    const probe = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
    const running = await probe.connect().then(
      () => true,
      () => false,
    );
    await probe.end().catch(() => undefined);
    if (running) return { url, embedded: true, stop: () => Promise.resolve() };
  }
  const embedded = await startEmbeddedPostgres(config.dataDir, config.embeddedPgPort, log);
  return { url: embedded.url, embedded: true, stop: () => embedded.stop() };
}

/** The installation's key; unlike the server, the command never makes one up. */
async function secretBox(config: Config): Promise<SecretBox> {
  if (config.secretKey) return new SecretBox(config.secretKey, config.secretKeyPrevious);
  const file = path.join(config.dataDir, 'secret.key');
  if (!existsSync(file))
    throw new CliError(`SECRET_KEY is not set and ${file} does not exist: backups and secrets cannot be read without the key.`);
  return new SecretBox((await readFile(file, 'utf8')).trim(), config.secretKeyPrevious);
}

function restoreSource(arg: string, config: Config): RestoreSource {
  if (arg.startsWith('s3://')) {
    const [bucket, ...key] = arg.slice(5).split('/');
    if (!config.backup.s3 || bucket !== config.backup.s3.bucket) {
      throw new CliError(
        `${arg} is not in BACKUP_S3_BUCKET (${config.backup.s3?.bucket ?? 'unset'}); set BACKUP_S3_BUCKET and its credentials to read it.`,
      );
    }
    return { s3Key: key.join('/') };
  }
  if (existsSync(arg)) return { file: path.resolve(arg) };
  if (config.backup.s3) return { s3Key: arg.startsWith(config.backup.s3.prefix) ? arg : `${config.backup.s3.prefix}${arg}` };
  throw new CliError(`No such file: ${arg} (and BACKUP_S3_BUCKET is unset, so it is not an S3 key either).`);
}

async function isEmpty(url: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const { rows } = await c.query(
      "select count(*)::int as n from information_schema.tables where table_schema not in ('pg_catalog', 'information_schema')",
    );
    return (rows[0] as { n: number }).n === 0;
  } finally {
    await c.end();
  }
}

export async function runCli(argv: string[], env: Record<string, string | undefined> = process.env): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { clean: { type: 'boolean', default: false }, into: { type: 'string' }, help: { type: 'boolean', default: false } },
  });
  const [command, arg] = positionals;
  if (!command || command === 'help' || values.help) {
    say(USAGE);
    return command || values.help ? 0 : 1;
  }
  if (!COMMANDS.includes(command)) throw new CliError(`Unknown command "${command}".\n\n${USAGE}`);
  const config = loadConfig(env, []);
  const log = createLogger(env.LOG_LEVEL ?? 'warn');
  const database = await openDatabase(config, log);
  const db = connectDatabase(database.url, 2);
  try {
    const secrets = await secretBox(config);
    const runner = new BackupRunner({
      db: db.db,
      databaseUrl: database.url,
      embedded: database.embedded,
      secrets,
      config: config.backup,
      log,
      notify: async (alert) => void (await sendBackupAlert({ config, db: db.db, log }, alert)),
    });
    switch (command) {
      case 'backup': {
        await runMigrations(database.url);
        await verifySecretKey(db.pool, secrets);
        const b = await runner.backup('cli');
        say(`Backup ${b.name} made in ${((b.durationMs ?? 0) / 1000).toFixed(1)} s, ${mb(b.sizeBytes)} encrypted:`);
        for (const store of runner.stores) say(`  ${store.describe(b.name)}`);
        return 0;
      }
      case 'verify': {
        if (!arg) throw new CliError('Which backup? switchboard verify <file|s3 key>');
        const bytes = await runner.verify(restoreSource(arg, config));
        say(`${arg}: every block is intact (${mb(bytes)} of pg_dump data).`);
        return 0;
      }
      case 'restore': {
        if (!arg) throw new CliError('Which backup? switchboard restore <file|s3 key> [--clean] [--into <url>]');
        const target = values.into ?? database.url;
        const source = restoreSource(arg, config);
        if (!values.clean && !(await isEmpty(target))) {
          throw new CliError(
            'The target database is not empty. Stop Switchboard and rerun with --clean to replace what the backup holds, ' +
              'or restore into an empty database with --into <postgres url>.',
          );
        }
        say(`Checking ${arg} …`);
        await runner.restore(source, target, { clean: values.clean });
        say(
          `Restored ${arg} into ${new URL(target).pathname.slice(1)} on ${new URL(target).host}. Start Switchboard with the same SECRET_KEY.`,
        );
        return 0;
      }
      case 'drill': {
        await runMigrations(database.url);
        const d = await runner.drill();
        if (d.status === 'succeeded') {
          say(`Restore drill passed: ${d.tablesCompared} tables compared in ${((d.durationMs ?? 0) / 1000).toFixed(1)} s.`);
          return 0;
        }
        say(`Restore drill FAILED: ${d.error}`);
        return 2;
      }
      case 'rotate-secret': {
        await runMigrations(database.url);
        if (!secrets.previousKeyIds.length) {
          say('Note: SECRET_KEY_PREVIOUS is not set: only secrets already readable with SECRET_KEY are checked.');
        }
        const r = await rotateSecrets(db.pool, secrets);
        for (const [column, n] of Object.entries(r.resealed)) say(`  ${column}: ${n} re-sealed`);
        say(`  already sealed with the new key: ${r.current}`);
        if (r.unreadable.length) {
          say(`${r.unreadable.length} secret(s) open with neither key and were left as they are:`);
          for (const u of r.unreadable.slice(0, 20)) say(`  ${u}`);
          say('The key check was not moved; fix or re-enter those secrets, then run rotate-secret again.');
          return 2;
        }
        say(`Done: secrets are sealed with the key ${secrets.keyId}. Restart every process without SECRET_KEY_PREVIOUS.`);
        say('Keep the old key (offline) as long as backups made with it are kept: restoring one needs it as SECRET_KEY_PREVIOUS.');
        return 0;
      }
      default:
        throw new CliError(`Unknown command "${command}".\n\n${USAGE}`);
    }
  } finally {
    await db.close();
    await database.stop();
  }
}

/** Runs one command and returns the exit code; failures are printed (known ones without a stack trace). */
export async function main(argv: string[], env: Record<string, string | undefined> = process.env): Promise<number> {
  return runCli(argv, env).catch((err: unknown) => {
    const known =
      err instanceof CliError || err instanceof ConfigError || (err instanceof Error && /Error$/.test(err.name) && err.name !== 'Error');
    process.stderr.write(`switchboard: ${err instanceof Error ? (known ? err.message : (err.stack ?? err.message)) : String(err)}\n`);
    return 1;
  });
}

if (process.argv[1] && /cli\.(ts|js)$/.test(process.argv[1])) {
  void main(process.argv.slice(2)).then((code) => process.exit(code));
}
