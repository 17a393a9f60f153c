import { randomBytes } from 'node:crypto';
import { copyFile, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { generateSecretKey, SecretBox } from '../src/platform/crypto/secret-box.js';
import { backupRunner } from '../src/modules/backups/backups.jobs.js';
import { BackupRunner } from '../src/modules/backups/backups.runner.js';
import { S3Store } from '../src/modules/backups/backup.stores.js';
import { compareManifests, measureDatabase } from '../src/modules/backups/backup.pg.js';
import type { BackupConfig } from '../src/config.js';
import { freePort } from './support/global-setup.js';
import { eventually, signInNewAccount, startTestApp, type TestApp } from './support/harness.js';
import { backupTestServer, createDatabaseOn, query } from './support/backups.js';
import pg from 'pg';

let server: string;
let t: TestApp;
let db: { url: string; drop(): Promise<void> };
let dir: string;
const drops: (() => Promise<void>)[] = [];
const FILE_BYTES = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 31) % 256));

async function emptyDatabase() {
  const d = await createDatabaseOn(server);
  drops.push(() => d.drop());
  return d.url;
}

const scratchExists = async (name: string) => (await query(server, 'select 1 from pg_database where datname = $1', [name])).length > 0;

async function measure(url: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query('begin isolation level repeatable read read only');
    return await measureDatabase(c);
  } finally {
    await c.end();
  }
}

const runner = (overrides: Partial<BackupConfig> = {}, secrets = t.running.ctx.secrets) =>
  new BackupRunner({
    db: t.running.ctx.db,
    databaseUrl: db.url,
    embedded: false,
    secrets,
    config: { ...t.running.ctx.config.backup, ...overrides },
    log: t.running.ctx.log,
  });

beforeAll(async () => {
  server = await backupTestServer();
  db = await createDatabaseOn(server);
  dir = await mkdtemp(path.join(os.tmpdir(), 'switchboard-backups-'));
  t = await startTestApp({
    databaseUrl: db.url,
    env: { BACKUP_DIR: dir, BACKUP_SCHEDULE: 'off', BACKUP_DRILL_SCHEDULE: 'off', BACKUP_MAX_AGE_HOURS: '26' },
  });
  // Data in every place the backup must cover: a channel's sealed secrets, an attachment kept in the
  // database, a knowledge article and its original file.
  const channel = await t.owner.post('/api/channels', { type: 'api', name: 'Shop', config: { callbackUrl: 'http://127.0.0.1:4000/cb' } });
  expect(channel.status).toBe(201);
  const article = await t.owner.post('/api/knowledge/articles', {
    kind: 'faq',
    question: 'Как вернуть товар?',
    answer: 'В течение 14 дней.',
  });
  expect(article.status).toBe(201);
  const { account_id: accountId } = (
    await query<{ account_id: string }>(db.url, 'select account_id from channels where id = $1', [channel.body.id])
  )[0]!;
  await query(
    db.url,
    `insert into stored_files (id, account_id, channel_id, file_name, content_type, size, content) values (gen_random_uuid(), $1, $2, 'invoice.pdf', 'application/pdf', $3, $4)`,
    [accountId, channel.body.id, FILE_BYTES.length, FILE_BYTES],
  );
  await query(db.url, 'insert into knowledge_files (article_id, account_id, content) values ($1, $2, $3)', [
    article.body.id,
    accountId,
    FILE_BYTES.subarray(0, 1000),
  ]);
});

afterAll(async () => {
  await t?.stop({ keepDatabase: true });
  await db?.drop();
  for (const drop of drops) await drop();
  await rm(dir, { recursive: true, force: true });
});

describe('backups', () => {
  it('backs up into an encrypted file and restores it into an empty database with every row equal', async () => {
    const b = await backupRunner(t.running.ctx).backup('manual');
    expect(b).toMatchObject({ status: 'succeeded', locations: ['dir'] });
    const file = path.join(dir, b.name);
    const bytes = await readFile(file);
    expect(bytes.length).toBe(b.sizeBytes);
    expect(bytes.subarray(0, 8).toString()).toBe('SWBACKUP');
    expect(bytes.includes(Buffer.from('PGDMP'))).toBe(false); // not a plain dump
    expect(bytes.includes(Buffer.from('Как вернуть'))).toBe(false);
    expect(b.manifest!.checksums).toHaveProperty(['public.stored_files']);
    expect(b.manifest!.checksums).toHaveProperty(['public.knowledge_files']);
    expect(b.manifest!.rows['public.stored_files']).toBe(1);

    const target = await emptyDatabase();
    await backupRunner(t.running.ctx).restore({ file }, target, { clean: false });
    const restored = await measure(target);
    expect(compareManifests(b.manifest!, restored)).toEqual({});
    const [fileRow] = await query<{ content: Buffer }>(target, 'select content from stored_files');
    expect(fileRow!.content.equals(FILE_BYTES)).toBe(true);
  });

  it('refuses a tampered file with a clear message and restores nothing from it', async () => {
    const b = await backupRunner(t.running.ctx).backup('manual');
    const tampered = path.join(dir, 'tampered.sbk');
    const bytes = await readFile(path.join(dir, b.name));
    const middle = Math.floor(bytes.length / 2);
    bytes[middle] = bytes[middle]! ^ 0x01;
    await writeFile(tampered, bytes);
    const target = await emptyDatabase();
    await expect(backupRunner(t.running.ctx).restore({ file: tampered }, target, { clean: false })).rejects.toThrow(
      /damaged or was altered.*Nothing was restored/,
    );
    expect(await query(target, "select 1 from information_schema.tables where table_schema = 'public'")).toEqual([]);
    await rm(tampered);
  });

  it('refuses a backup made with another SECRET_KEY, naming the key it needs', async () => {
    const [latest] = await runner().repo.available();
    const stranger = runner({}, new SecretBox(generateSecretKey()));
    await expect(stranger.restore({ name: latest!.name }, await emptyDatabase(), { clean: false })).rejects.toThrow(
      new RegExp(`another SECRET_KEY \\(key id ${t.running.ctx.secrets.keyId}`),
    );
  });

  it('passes a restore drill and drops its scratch database', async () => {
    const drill = await backupRunner(t.running.ctx).drill();
    expect(drill).toMatchObject({ status: 'succeeded', mismatches: {} });
    expect(drill.tablesCompared).toBeGreaterThan(20);
    expect(await scratchExists(drill.scratchDatabase)).toBe(false);
  });

  it('fails the drill of a damaged backup and of one whose rows differ, and opens one alert until a drill passes', async () => {
    const r = backupRunner(t.running.ctx);
    const b = await r.backup('manual');
    const file = path.join(dir, b.name);
    const good = await readFile(file);
    const bad = Buffer.from(good);
    bad[bad.length - 100] = bad[bad.length - 100]! ^ 0x20;
    await writeFile(file, bad);
    const damaged = await r.drill(b.id);
    expect(damaged.status).toBe('failed');
    expect(damaged.error).toMatch(/damaged or was altered/);
    const alerts = await r.repo.openAlerts();
    expect(alerts.map((a) => a.kind)).toEqual(['drill_failed']);
    expect(alerts[0]!.message).toContain(b.name);
    expect(await scratchExists(damaged.scratchDatabase)).toBe(false);

    // The file is fine again, but the database held another row count when the backup was made.
    await writeFile(file, good);
    const manifest = { ...b.manifest!, rows: { ...b.manifest!.rows, 'public.users': b.manifest!.rows['public.users']! + 1 } };
    await query(db.url, 'update backups set manifest = $1 where id = $2', [JSON.stringify(manifest), b.id]);
    const differs = await r.drill(b.id);
    expect(differs.status).toBe('failed');
    expect(differs.mismatches).toHaveProperty(['public.users rows']);
    expect((await r.repo.openAlerts()).length).toBe(1); // still the one alert

    await query(db.url, 'update backups set manifest = $1 where id = $2', [JSON.stringify(b.manifest), b.id]);
    expect((await r.drill(b.id)).status).toBe('succeeded');
    expect(await r.repo.openAlerts()).toEqual([]);
  });

  it('records a failed backup, removes its partial file and alerts; a later success resolves the alert', async () => {
    const closed = await freePort(); // nothing listens there
    const failing = runner({
      dir: undefined,
      s3: {
        bucket: 'b',
        prefix: '',
        endpoint: `http://127.0.0.1:${closed}`,
        region: 'us-east-1',
        accessKeyId: 'x',
        secretAccessKey: 'y',
        forcePathStyle: true,
      },
    });
    const err = await failing.backup('manual').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    const [row] = await query<{ status: string; error: string }>(
      db.url,
      'select status, error from backups order by started_at desc limit 1',
    );
    expect(row!.status).toBe('failed');
    expect(row!.error).toBeTruthy();
    expect((await failing.repo.openAlerts()).map((a) => a.kind)).toEqual(['backup_failed']);
    await runner().backup('manual');
    expect(await failing.repo.openAlerts()).toEqual([]);
    expect((await readdir(dir)).filter((f) => f.endsWith('.partial'))).toEqual([]);
  });

  it('opens a "backup too old" alert past BACKUP_MAX_AGE_HOURS', async () => {
    const r = runner();
    expect(await r.checkFreshness(new Date())).toBe(true);
    expect(await r.checkFreshness(new Date(Date.now() + 27 * 3600_000))).toBe(false);
    expect((await r.repo.openAlerts()).map((a) => a.kind)).toEqual(['backup_stale']);
    await r.backup('manual');
    expect(await r.repo.openAlerts()).toEqual([]);
  });

  it('deletes the files of backups the retention policy no longer keeps', async () => {
    const r = runner({ keep: { daily: 2, weekly: 0, monthly: 0 } });
    // Three older days of backups, made now and dated back.
    const made = [];
    for (const daysAgo of [3, 2, 1]) {
      const b = await r.backup('manual');
      await query(db.url, `update backups set started_at = now() - make_interval(days => $1) where id = $2`, [daysAgo, b.id]);
      made.push(b);
    }
    const newest = await r.backup('manual'); // prunes on success
    const available = (await r.repo.available()).map((b) => b.name);
    expect(available).toEqual([newest.name, made[2]!.name]);
    const files = await readdir(dir);
    expect(files).toContain(newest.name);
    expect(files).toContain(made[2]!.name);
    expect(files).not.toContain(made[0]!.name);
    expect(files).not.toContain(made[1]!.name);
  });

  it('shows on /metrics when the last backup succeeded, how long it took and how big it is', async () => {
    const text = await (await fetch(`${t.url}/metrics`)).text();
    const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
    expect(value('backup_last_success_timestamp_seconds')).toBeGreaterThan(Date.now() / 1000 - 3600);
    expect(value('backup_last_size_bytes')).toBeGreaterThan(1000);
    expect(value('backup_last_duration_seconds')).toBeGreaterThan(0);
    expect(value('backup_drill_last_failed')).toBe(0);
  });
});

describe('backups in S3-compatible storage (a local S3 server)', () => {
  let s3: S3rver;
  let s3dir: string;
  let endpoint: string;

  beforeAll(async () => {
    s3dir = await mkdtemp(path.join(os.tmpdir(), 'switchboard-s3-'));
    const port = await freePort();
    s3 = new S3rver({ port, address: '127.0.0.1', directory: s3dir, silent: true, configureBuckets: [{ name: 'backups', configs: [] }] });
    await s3.run();
    endpoint = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    await s3?.close();
    await rm(s3dir, { recursive: true, force: true });
  });

  const s3Settings = () => ({
    bucket: 'backups',
    prefix: 'switchboard/',
    endpoint,
    region: 'us-east-1',
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    forcePathStyle: true,
  });

  it('uploads a multipart backup to S3 only, and restores it from the S3 key', async () => {
    const r = runner({ dir: undefined, s3: s3Settings() });
    // Bigger than one 8 MB part, so the upload really is multipart.
    const { account_id: accountId, id: channelId } = (
      await query<{ account_id: string; id: string }>(db.url, 'select account_id, id from channels limit 1')
    )[0]!;
    const big = randomBytes(9 * 1024 * 1024); // incompressible: the dump stays bigger than one part
    await query(
      db.url,
      `insert into stored_files (id, account_id, channel_id, file_name, content_type, size, content) values (gen_random_uuid(), $1, $2, 'big.bin', null, $3, $4)`,
      [accountId, channelId, big.length, big],
    );
    const b = await r.backup('manual');
    expect(b.locations).toEqual(['s3']);
    expect(b.sizeBytes).toBeGreaterThan(9 * 1024 * 1024);
    const store = new S3Store(s3Settings());
    const head = await (await store.client()).send(new HeadObjectCommand({ Bucket: 'backups', Key: `switchboard/${b.name}` }));
    expect(head.ContentLength).toBe(b.sizeBytes);
    expect((await readdir(dir)).includes(b.name)).toBe(false);

    const target = await emptyDatabase();
    await r.restore({ s3Key: `switchboard/${b.name}` }, target, { clean: false });
    expect(compareManifests(b.manifest!, await measure(target))).toEqual({});
    const drill = await r.drill(b.id);
    expect(drill.status).toBe('succeeded');
  }, 180_000);

  it('writes to the directory and copies to S3 when both are set; pruning deletes both', async () => {
    const r = runner({ s3: s3Settings(), keep: { daily: 0, weekly: 0, monthly: 0 } });
    const first = await r.backup('manual');
    expect(first.locations).toEqual(['dir', 's3']);
    const store = new S3Store(s3Settings());
    expect(await store.exists(first.name)).toBe(true);
    await query(db.url, `update backups set started_at = now() - interval '1 day' where id = $1`, [first.id]);
    await r.backup('manual');
    expect(await store.exists(first.name)).toBe(false);
    expect((await readdir(dir)).includes(first.name)).toBe(false);
  }, 120_000);
});

describe('backups page API', () => {
  it(
    'lists backups with drills for the installation owner, downloads the file, and queues a backup and a drill',
    { timeout: 300_000 },
    async () => {
      const res = await t.owner.get('/api/backups');
      expect(res.status).toBe(200);
      const item = res.body.items.find((i: { status: string; prunedAt: string | null }) => i.status === 'succeeded' && !i.prunedAt);
      expect(item).toMatchObject({ sizeBytes: expect.any(Number), durationMs: expect.any(Number), keyId: t.running.ctx.secrets.keyId });
      expect(res.body.settings).toMatchObject({ directory: dir, keep: { daily: 7, weekly: 4, monthly: 6 } });
      expect(res.body.items.some((i: { drill: { status: string } | null }) => i.drill?.status === 'succeeded')).toBe(true);

      const download = await fetch(`${t.url}/api/backups/${item.id}/download`, { headers: { cookie: t.owner.cookie! } });
      expect(download.status).toBe(200);
      expect(download.headers.get('content-disposition')).toContain(item.name);
      const bytes = Buffer.from(await download.arrayBuffer());
      const onDisk = path.join(dir, item.name);
      await copyFile(onDisk, `${onDisk}.copy`);
      expect(bytes.equals(await readFile(`${onDisk}.copy`))).toBe(true);
      await rm(`${onDisk}.copy`);

      const before = await query<{ n: number }>(db.url, "select count(*)::int as n from backup_drills where status <> 'running'");
      expect((await t.owner.post('/api/backups')).status).toBe(202);
      expect((await t.owner.post('/api/backups/drill', {})).status).toBe(202);
      // The worker runs both; the test waits so that the app does not stop in the middle of them.
      await eventually(
        async () =>
          (await query<{ n: number }>(db.url, "select count(*)::int as n from backup_drills where status <> 'running'"))[0]!.n >
          before[0]!.n,
        120_000,
        'the queued drill',
      );
      await eventually(
        async () => (await query(db.url, "select 1 from backups where trigger = 'manual' and status = 'running'")).length === 0,
        120_000,
        'the queued backup',
      );
      expect((await t.owner.get('/api/backups/00000000-0000-4000-8000-000000000000/download')).status).toBe(404);
    },
  );

  it('is refused to the owner of another account (not the installation owner)', async () => {
    const other = await signInNewAccount(t, { email: 'other-owner@example.com', password: 'another-long-password-1' });
    const refused = await other.get('/api/backups');
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('forbidden');
    const [first] = (await t.owner.get('/api/backups')).body.items;
    expect((await other.get(`/api/backups/${first.id}/download`)).status).toBe(403);
    expect((await other.post('/api/backups')).status).toBe(403);
  });
});
