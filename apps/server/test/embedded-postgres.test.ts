import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../src/platform/db/embedded.js';
import { createLogger } from '../src/platform/logging.js';
import { freePort } from './support/global-setup.js';

let dataDir: string;
let pgDir: string;
let port: number;
let logged = '';
const log = () => {
  const out = new PassThrough();
  out.on('data', (c: Buffer) => (logged += c.toString()));
  return createLogger('warn', out);
};
const started: EmbeddedDatabase[] = [];
const start = async () => {
  const db = await startEmbeddedPostgres(dataDir, port, log());
  started.push(db);
  return db;
};
const selectOne = async (url: string) => {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ one: number }>('select 1 as one')).rows[0]!.one;
  } finally {
    await client.end();
  }
};
/** The error a start fails with (vitest's `rejects.toThrow` accepts a rejection with `undefined`). */
const startFailure = () =>
  start().then(
    () => undefined,
    (err: unknown) => err,
  );

/**
 * A live process that is not PostgreSQL (`node` when it should look like another Switchboard). As root
 * it runs as the `postgres` user, like the server would: PostgreSQL treats a process it may not signal as gone.
 */
const bystanders: ChildProcess[] = [];
const liveProcess = (command = 'sleep', args = ['120']) => {
  const asPostgres =
    process.getuid?.() === 0
      ? { uid: Number(execFileSync('id', ['-u', 'postgres'])), gid: Number(execFileSync('id', ['-g', 'postgres'])) }
      : {};
  const child = spawn(command, args, { stdio: 'ignore', ...asPostgres });
  bystanders.push(child);
  return child.pid!;
};

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'switchboard-embedded-'));
  await chmod(dataDir, 0o755); // as root, PostgreSQL runs as `postgres` and must enter it
  pgDir = path.join(dataDir, 'pg');
  port = await freePort();
  await (await start()).stop(); // one initialised, stopped cluster for every test
}, 120_000);
afterEach(async () => {
  for (const db of started.splice(0)) await db.stop();
  for (const child of bystanders.splice(0)) child.kill('SIGKILL');
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('the embedded PostgreSQL', () => {
  it('starts over a stale postmaster.pid that names a live process other than PostgreSQL', async () => {
    // What a reboot leaves behind: the old postmaster's pid now belongs to some other program.
    await writeFile(
      path.join(pgDir, 'postmaster.pid'),
      `${liveProcess()}\n${pgDir}\n1700000000\n${port}\n\n127.0.0.1\n  1234  5678\nready\n`,
    );
    const db = await start();
    expect(await selectOne(db.url)).toBe(1);
    expect(logged).toContain('removing the lock file of an embedded PostgreSQL that is no longer running');
  });

  it('leaves a server that another running Switchboard process owns alone, and says which process', async () => {
    const db = await start();
    const owner = liveProcess(process.execPath, ['-e', 'setTimeout(() => {}, 120000)']);
    await writeFile(path.join(dataDir, 'embedded-pg.owner'), `${owner}\n`);
    const err = await startFailure();
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toContain(`belongs to another running Switchboard process (pid ${owner})`);
    expect(await selectOne(db.url)).toBe(1);
  });

  it('a server that cannot start is reported in PostgreSQL’s own words, not "undefined"', async () => {
    const versionFile = path.join(pgDir, 'PG_VERSION');
    const version = await readFile(versionFile, 'utf8');
    await writeFile(versionFile, '9.6\n');
    try {
      const err = await startFailure();
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).message).toMatch(
        /did not start\n.*database files are incompatible with server\n.*initialized by PostgreSQL version 9\.6/,
      );
    } finally {
      await writeFile(versionFile, version);
    }
  });
  it('keeps the exit code a process ends with (a failed test run must not end with 0)', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'switchboard-exit-'));
    await chmod(dir, 0o755);
    const script = path.join(dir, 'exit-code.mts');
    const embedded = new URL('../src/platform/db/embedded.ts', import.meta.url).pathname;
    const logging = new URL('../src/platform/logging.ts', import.meta.url).pathname;
    await writeFile(
      script,
      `import { startEmbeddedPostgres } from '${embedded}';
       import { createLogger } from '${logging}';
       const db = await startEmbeddedPostgres('${dir}', ${await freePort()}, createLogger('silent'));
       await db.stop();
       process.exitCode = 3;`,
    );
    const tsx = new URL('../../../node_modules/.bin/tsx', import.meta.url).pathname;
    const child = spawn(tsx, [script], { stdio: 'ignore' });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    await rm(dir, { recursive: true, force: true });
    expect(code).toBe(3);
  });
});
