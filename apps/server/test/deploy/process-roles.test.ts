import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createTestDatabase, eventually } from '../support/harness.js';
import { freePort } from '../support/global-setup.js';

const MAIN = path.resolve(import.meta.dirname, '../../src/main.ts');
const SECRET_KEY = Buffer.alloc(32, 9).toString('base64');

// Each test starts the server from its sources (tsx compiles them at start-up): slow on a busy machine.
/** Runs `node main.ts …args` with only `env` (and PATH); `output()` is its stdout and stderr so far. */
function spawnMain(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, HOST: '127.0.0.1', LOG_LEVEL: 'warn', SERVE_WEB: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  return { child, output: () => out };
}

describe('process roles from PROCESS_ROLES', () => {
  it('takes the roles from PROCESS_ROLES; --roles= wins; all three by default; an unknown role is named', () => {
    expect(loadConfig({}, []).roles).toEqual(['api', 'worker', 'scheduler']);
    expect(loadConfig({ PROCESS_ROLES: 'worker,scheduler' }, []).roles).toEqual(['worker', 'scheduler']);
    expect(loadConfig({ PROCESS_ROLES: ' api ' }, []).roles).toEqual(['api']);
    expect(loadConfig({ PROCESS_ROLES: 'worker' }, ['--roles=scheduler']).roles).toEqual(['scheduler']);
    expect(() => loadConfig({ PROCESS_ROLES: 'api,cron' }, [])).toThrow(/PROCESS_ROLES: unknown role\(s\) cron; use api,worker,scheduler/);
    expect(() => loadConfig({ PROCESS_ROLES: ',' }, [])).toThrow(/PROCESS_ROLES/);
  });

  it('a worker and scheduler process answers only /health, /ready and /metrics on PORT, and stops on SIGTERM', async () => {
    const db = await createTestDatabase();
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'switchboard-roles-'));
    const port = await freePort();
    const { child, output } = spawnMain([], {
      DATABASE_URL: db.url,
      SECRET_KEY,
      PORT: String(port),
      DATA_DIR: dataDir,
      PROCESS_ROLES: 'worker,scheduler',
    });
    try {
      await eventually(() => output().includes('roles: worker,scheduler'), 90_000, 'the banner');
      const base = `http://127.0.0.1:${port}`;
      expect((await fetch(`${base}/health`)).status).toBe(200);
      const ready = await fetch(`${base}/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ status: 'ready' });
      const metrics = await fetch(`${base}/metrics`);
      expect(metrics.headers.get('content-type')).toContain('text/plain');
      expect(await metrics.text()).toContain('# TYPE job_duration_seconds histogram');
      // The API is not served here: not the routes, not the webhooks.
      expect((await fetch(`${base}/api/auth/me`)).status).toBe(404);
      expect((await fetch(`${base}/webhooks/telegram/x`, { method: 'POST', body: '{}' })).status).toBe(404);
      // The same access rule as the API's /metrics: a relayed request from an untrusted proxy is refused.
      expect((await fetch(`${base}/metrics`, { headers: { 'x-forwarded-for': '203.0.113.9' } })).status).toBe(403);
      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number | null];
      expect(code).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
      await db.drop();
    }
  }, 240_000);
});

describe('--migrate-only', () => {
  it('applies every migration to an empty database and exits 0 without starting anything', async () => {
    const db = await createTestDatabase();
    try {
      const { child, output } = spawnMain(['--migrate-only'], { DATABASE_URL: db.url, PORT: String(await freePort()) });
      const [code] = (await once(child, 'exit')) as [number | null];
      expect(output()).toContain('migrations applied');
      expect(code).toBe(0);
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      try {
        const applied = await client.query('select count(*)::int as n from drizzle.__drizzle_migrations');
        expect(applied.rows[0].n).toBeGreaterThan(5);
        // Migrated, not booted: no owner account was created.
        expect((await client.query('select count(*)::int as n from users')).rows[0].n).toBe(0);
      } finally {
        await client.end();
      }
      // A second run finds nothing to do and succeeds again.
      const again = spawnMain(['--migrate-only'], { DATABASE_URL: db.url });
      expect(((await once(again.child, 'exit')) as [number | null])[0]).toBe(0);
    } finally {
      await db.drop();
    }
  }, 240_000);

  it('refuses without DATABASE_URL, saying why', async () => {
    const { child, output } = spawnMain(['--migrate-only'], {});
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(1);
    expect(output()).toContain('--migrate-only needs DATABASE_URL');
  }, 180_000);
});
