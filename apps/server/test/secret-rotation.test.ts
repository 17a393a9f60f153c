import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSecretKey, SecretBox } from '../src/platform/crypto/secret-box.js';
import { SEALED_COLUMNS } from '../src/platform/crypto/sealed-columns.js';
import { startTestApp, type TestApp } from './support/harness.js';
import { backupTestServer, createDatabaseOn, query } from './support/backups.js';
import { runSwitchboard } from './support/cli.js';

const OLD_KEY = generateSecretKey();
const NEW_KEY = generateSecretKey();
let db: { url: string; drop(): Promise<void> };
let t: TestApp | undefined;

/** Every sealed value in the database, by `table.column`. */
async function sealedValues(): Promise<{ column: string; value: string }[]> {
  const out: { column: string; value: string }[] = [];
  for (const c of SEALED_COLUMNS) {
    const exists = await query<{ t: string | null }>(db.url, 'select to_regclass($1)::text as t', [`public.${c.table}`]);
    if (!exists[0]?.t) continue;
    for (const r of await query<{ v: string }>(db.url, `select "${c.column}" as v from "${c.table}" where "${c.column}" is not null`)) {
      out.push({ column: `${c.table}.${c.column}`, value: r.v });
    }
  }
  return out;
}

const cli = (args: string[], env: Record<string, string>) => runSwitchboard(args, { DATABASE_URL: db.url, ...env });

beforeAll(async () => {
  db = await createDatabaseOn(await backupTestServer());
  t = await startTestApp({ databaseUrl: db.url, env: { SECRET_KEY: OLD_KEY } });
  const channel = await t.owner.post('/api/channels', { type: 'api', name: 'Shop', config: { callbackUrl: 'http://127.0.0.1:4000/cb' } });
  expect(channel.status).toBe(201);
  // The channel's callback endpoint, with its signing secret (sealed too).
  expect((await t.owner.post(`/api/channels/${channel.body.id}/callback-secret`)).status).toBe(200);
  await t.stop({ keepDatabase: true });
  t = undefined;
});

afterAll(async () => {
  await t?.stop({ keepDatabase: true });
  await db?.drop();
});

describe('SECRET_KEY check and rotation', () => {
  it('refuses to boot with a wrong SECRET_KEY, saying what to do', async () => {
    const err = (await startTestApp({ databaseUrl: db.url, env: { SECRET_KEY: NEW_KEY } }).catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toMatch(/SECRET_KEY does not match this database/);
    expect(err.message).toContain(new SecretBox(OLD_KEY).keyId);
    expect(err.message).toMatch(/SECRET_KEY_PREVIOUS.*rotate-secret/);
  });

  it('the server binary prints the reason, not a stack trace, and exits 1', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'apps/server/src/main.ts', '--roles=worker'], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: db.url, SECRET_KEY: NEW_KEY, LOG_LEVEL: 'silent' },
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^Switchboard failed to start: SECRET_KEY does not match this database/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  }, 150_000);

  it('re-seals every secret online with the new key; afterwards only the new key boots', async () => {
    const before = await sealedValues();
    expect(before.length).toBeGreaterThanOrEqual(2); // the channel's credentials and its callback endpoint's secret
    // Step 1: every process restarts with the new key and the old one as previous: both read.
    t = await startTestApp({ databaseUrl: db.url, env: { SECRET_KEY: NEW_KEY, SECRET_KEY_PREVIOUS: OLD_KEY } });
    // Step 2: the command re-seals while the server runs.
    const rotated = await cli(['rotate-secret'], { SECRET_KEY: NEW_KEY, SECRET_KEY_PREVIOUS: OLD_KEY });
    expect(rotated.out).toMatch(/channels\.secrets: 1 re-sealed/);
    expect(rotated.out).toMatch(/webhook_endpoints\.secret: 1 re-sealed/);
    expect(rotated.code).toBe(0);
    const fresh = new SecretBox(NEW_KEY);
    for (const { value } of await sealedValues()) expect(() => fresh.open(value)).not.toThrow();
    // The running server reads the re-sealed credentials.
    const row = (await query<{ a: string; id: string }>(db.url, 'select account_id as a, id from channels'))[0]!;
    expect((await t.running.ctx.channels.load(row.a, row.id))?.secrets).toBeTruthy();
    await t.stop({ keepDatabase: true });
    t = undefined;
    // Step 3: the old key is dropped; a process still holding only the old key is refused.
    t = await startTestApp({ databaseUrl: db.url, env: { SECRET_KEY: NEW_KEY } });
    await t.stop({ keepDatabase: true });
    t = undefined;
    const old = (await startTestApp({ databaseUrl: db.url, env: { SECRET_KEY: OLD_KEY } }).catch((e: unknown) => e)) as Error;
    expect(old.message).toMatch(/SECRET_KEY does not match this database/);
    // Running it again changes nothing.
    const again = await cli(['rotate-secret'], { SECRET_KEY: NEW_KEY });
    expect(again.code).toBe(0);
    expect(again.out).toContain(`already sealed with the new key: ${before.length}`);
  }, 240_000);
});
