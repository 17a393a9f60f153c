import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startApp, type Running } from '../../src/app.js';
import { createLogger } from '../../src/platform/logging.js';
import { FakeTelegram } from '../fakes/telegram.js';
import { freePort } from './global-setup.js';
import { ApiClient } from './api-client.js';

export const OWNER = { email: 'owner@example.com', password: 'correct-horse-battery' };
const TEST_SECRET_KEY = Buffer.alloc(32, 7).toString('base64');

/** A fresh, empty database on the run's PostgreSQL; dropped by the returned function. */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const adminUrl = inject('pgAdminUrl');
  const name = `sb_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

export interface TestApp {
  url: string;
  running: Running;
  telegram: FakeTelegram;
  databaseUrl: string;
  /** A client signed in as the bootstrap owner (session cookie + CSRF). */
  owner: ApiClient;
  anonymous(): ApiClient;
  /** Stops the app (and, unless `keepDatabase`, the fake and the database). */
  stop(opts?: { keepDatabase?: boolean }): Promise<void>;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  telegram?: FakeTelegram;
  databaseUrl?: string;
  roles?: string;
  longPollSeconds?: number;
}

/** Boots the whole product on a fresh database, listening on a free loopback port. */
export async function startTestApp(opts: TestAppOptions = {}): Promise<TestApp> {
  const telegram = opts.telegram ?? (await new FakeTelegram().start());
  const db = opts.databaseUrl ? undefined : await createTestDatabase();
  const databaseUrl = opts.databaseUrl ?? db!.url;
  const port = await freePort();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'switchboard-app-'));
  const config = loadConfig(
    {
      NODE_ENV: 'test',
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl,
      SECRET_KEY: TEST_SECRET_KEY,
      ADMIN_EMAIL: OWNER.email,
      ADMIN_PASSWORD: OWNER.password,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      TELEGRAM_API_ROOT: telegram.url,
      SEND_RETRY_DELAY_SECONDS: '1',
      SERVE_WEB: 'false',
      SHUTDOWN_TIMEOUT_MS: '3000',
      API_RATE_LIMIT_PER_MIN: '100000',
      // The fake provider servers and receivers listen on loopback, which the outbound policy refuses unless listed.
      OUTBOUND_ALLOWLIST: '127.0.0.1',
      ...opts.env,
    },
    opts.roles ? [`--roles=${opts.roles}`] : [],
  );
  const running = await startApp(config, createLogger(config.logLevel), { poller: { longPollSeconds: opts.longPollSeconds ?? 1 } });
  await running.http.listen({ port, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${port}`;
  const owner = new ApiClient(url);
  await owner.login(OWNER.email, OWNER.password);
  return {
    url,
    running,
    telegram,
    databaseUrl,
    owner,
    anonymous: () => new ApiClient(url),
    async stop(stopOpts = {}) {
      await running.stop();
      await rm(dataDir, { recursive: true, force: true });
      if (!stopOpts.keepDatabase) {
        if (!opts.telegram) await telegram.stop();
        await db?.drop();
      }
    },
  };
}

/** Creates another account with its owner and returns a client signed in as that owner. */
export async function signInNewAccount(t: TestApp, owner: { email: string; password: string; accountName?: string }): Promise<ApiClient> {
  await t.running.services.identity.createAccountWithOwner({
    accountName: owner.accountName ?? `Account of ${owner.email}`,
    email: owner.email,
    name: owner.email.split('@')[0]!,
    password: owner.password,
  });
  const client = t.anonymous();
  const res = await client.login(owner.email, owner.password);
  if (res.status !== 200) throw new Error(`login of ${owner.email} failed: ${res.status}`);
  return client;
}

/** Polls `check` until it returns a truthy value (or throws after `timeoutMs`). */
export async function eventually<T>(
  check: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
