import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSecretKey } from '../src/platform/crypto/secret-box.js';
import { backupTestServer, createDatabaseOn, query } from './support/backups.js';
import { runSwitchboard, spawnSwitchboard } from './support/cli.js';

const KEY = generateSecretKey();
let server: string;
let source: { url: string; drop(): Promise<void> };
const targets: { url: string; drop(): Promise<void> }[] = [];
let dir: string;

const env = (extra: Record<string, string> = {}) => ({ DATABASE_URL: source.url, SECRET_KEY: KEY, BACKUP_DIR: dir, ...extra });
const cli = (args: string[], extra: Record<string, string> = {}) => runSwitchboard(args, env(extra));

async function emptyDatabase() {
  const d = await createDatabaseOn(server);
  targets.push(d);
  return d.url;
}

beforeAll(async () => {
  server = await backupTestServer();
  source = await createDatabaseOn(server);
  dir = await mkdtemp(path.join(os.tmpdir(), 'switchboard-cli-'));
});

afterAll(async () => {
  await source?.drop();
  for (const d of targets) await d.drop();
  await rm(dir, { recursive: true, force: true });
});

describe('switchboard CLI', () => {
  let file: string;

  it('`switchboard backup` makes an encrypted backup of the configured database and says where it is', async () => {
    const r = spawnSwitchboard(['backup'], env());
    expect(r.out).toMatch(/Backup switchboard-\S+\.sbk made in [\d.]+ s, [\d.]+ MB encrypted:/);
    expect(r.code).toBe(0);
    const [name] = (await readdir(dir)).filter((f) => f.endsWith('.sbk'));
    file = path.join(dir, name!);
    expect(r.out).toContain(file);
    // The command migrated the empty database first, so the backup holds the product's tables.
    expect(await query(source.url, "select 1 from backups where status = 'succeeded' and trigger = 'cli'")).toHaveLength(1);
  }, 200_000);

  it('`restore` refuses a database that is not empty, and restores into an empty one with `--into`', async () => {
    const busy = await cli(['restore', file]);
    expect(busy.code).toBe(1);
    expect(busy.out).toMatch(/not empty.*--clean.*--into/s);
    const target = await emptyDatabase();
    const r = await cli(['restore', file, '--into', target]);
    expect(r.out).toMatch(/Restored .* into sb_bk_/);
    expect(r.code).toBe(0);
    const count = "select count(*)::int as n from information_schema.tables where table_schema = 'public'";
    expect(await query(target, count)).toEqual(await query(source.url, count));
  }, 200_000);

  it('`verify` passes an intact file and refuses a tampered one; `restore` refuses a wrong key', async () => {
    expect((await cli(['verify', file])).out).toMatch(/every block is intact/);
    const bytes = await readFile(file);
    bytes[100] = bytes[100]! ^ 0xff;
    const tampered = path.join(dir, 'tampered.sbk');
    await writeFile(tampered, bytes);
    const bad = await cli(['verify', tampered]);
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/^switchboard: The backup is damaged or was altered/m);
    const wrong = await cli(['restore', file, '--into', await emptyDatabase()], { SECRET_KEY: generateSecretKey() });
    expect(wrong.code).toBe(1);
    expect(wrong.out).toMatch(/encrypted with another SECRET_KEY/);
    expect((await cli(['restore', path.join(dir, 'missing.sbk')])).out).toMatch(/No such file/);
  }, 200_000);

  it('`drill` restores the newest backup into a scratch database and reports the comparison', async () => {
    const r = await cli(['drill']);
    expect(r.out).toMatch(/Restore drill passed: \d+ tables compared/);
    expect(r.code).toBe(0);
  }, 200_000);

  it('prints usage for no command and refuses an unknown one', async () => {
    expect((await cli([])).out).toMatch(/Usage: switchboard <command>/);
    const unknown = await cli(['frobnicate']);
    expect(unknown.code).toBe(1);
    expect(unknown.out).toMatch(/Unknown command "frobnicate"/);
  });
});
