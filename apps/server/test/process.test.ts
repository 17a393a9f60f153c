import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTestDatabase, eventually } from './support/harness.js';
import { freePort } from './support/global-setup.js';
import { SseReader } from './support/sse.js';

const MAIN = path.resolve(import.meta.dirname, '../src/main.ts');

/** Runs the product as `node main.ts` with only `env` (and PATH); `output()` is its stdout and stderr so far. */
function spawnServer(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: { PATH: process.env.PATH, HOST: '127.0.0.1', LOG_LEVEL: 'warn', SERVE_WEB: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  return { child, output: () => out };
}

const isRunning = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('the server process', () => {
  it('prints the URL and a generated owner password once, then shuts down cleanly on SIGTERM with a stream open', async () => {
    const db = await createTestDatabase();
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'switchboard-proc-'));
    const port = await freePort();
    const { child, output } = spawnServer({ DATABASE_URL: db.url, PORT: String(port), DATA_DIR: dataDir });
    try {
      await eventually(() => output().includes('Switchboard is running'), 30_000, 'the banner');
      expect(output()).toContain(`http://localhost:${port}`);
      const password = /password \(shown once\): (\S+)/.exec(output())?.[1];
      expect(password).toBeTruthy();
      const login = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'admin@example.com', password }),
      });
      expect(login.status).toBe(200);
      const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
      const stream = await SseReader.open(`http://127.0.0.1:${port}/api/events`, { cookie });
      expect(stream.status).toBe(200);

      const started = Date.now();
      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number | null];
      expect(code).toBe(0);
      expect(Date.now() - started).toBeLessThan(15_000);
      stream.close();
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
      await db.drop();
    }
  }, 60_000);

  it('after kill -9 leaves its embedded PostgreSQL running, the next start stops that server and serves /ready', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'switchboard-orphan-'));
    await chmod(dataDir, 0o755); // as root, PostgreSQL runs as `postgres` and must enter it
    const env = { DATA_DIR: dataDir, PORT: String(await freePort()), EMBEDDED_PG_PORT: String(await freePort()) };
    const postmasterPid = async () => Number((await readFile(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8')).split('\n')[0]);
    const first = spawnServer(env);
    let second: ReturnType<typeof spawnServer> | undefined;
    try {
      await eventually(() => first.output().includes('Switchboard is running'), 90_000, 'the first banner');
      const orphan = await postmasterPid();
      first.child.kill('SIGKILL');
      await once(first.child, 'exit');
      expect(isRunning(orphan)).toBe(true); // nobody stopped it: the situation of a crashed product

      second = spawnServer(env);
      const s = second;
      await eventually(() => s.output().includes('Switchboard is running') || s.child.exitCode !== null, 90_000, 'the second start');
      expect(second.output()).not.toContain('failed to start');
      expect(second.output()).toContain('stopping the embedded PostgreSQL left running');
      expect(await postmasterPid()).not.toBe(orphan);
      const ready = await fetch(`http://127.0.0.1:${env.PORT}/ready`);
      expect(ready.status).toBe(200);

      second.child.kill('SIGTERM');
      const [code] = (await once(second.child, 'exit')) as [number | null];
      expect(code).toBe(0);
    } finally {
      for (const c of [first.child, second?.child]) if (c && c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
      const left = await postmasterPid().catch(() => undefined);
      if (left && isRunning(left)) process.kill(left, 'SIGQUIT');
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 200_000);

  it('refuses to start with a bad variable, naming it', async () => {
    const { child, output } = spawnServer({ PORT: 'abc' });
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(1);
    expect(output()).toMatch(/PORT/);
  });
});
