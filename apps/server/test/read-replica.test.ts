import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type Database, type Db } from '../src/platform/db/client.js';
import { ReportsDatabase, type LagProbe } from '../src/platform/db/replica.js';
import { createLogger } from '../src/platform/logging.js';
import { createTestDatabase, startTestApp, type TestApp } from './support/harness.js';

const log = createLogger('silent');
const withApp = (url: string, name: string) => {
  const u = new URL(url);
  u.searchParams.set('application_name', name);
  return u.toString();
};
const whoAnswers = async (db: Db) =>
  ((await db.execute(sql`select current_setting('application_name') as app`)).rows[0] as { app: string }).app;

describe('reports on a read replica (routing and lag guard)', () => {
  let testDb: { url: string; drop(): Promise<void> };
  let primary: Database;
  let replica: Database;
  beforeAll(async () => {
    testDb = await createTestDatabase();
    // Two pools on the same server: the second plays the replica; application_name tells them apart.
    primary = connectDatabase(withApp(testDb.url, 'sb-primary'), 2);
    replica = connectDatabase(withApp(testDb.url, 'sb-replica'), 2);
  });
  afterAll(async () => {
    await primary?.close();
    await replica?.close();
    await testDb?.drop();
  });

  it('reads the replica when the real lag check finds it current (a server not in recovery: lag 0)', async () => {
    const reports = new ReportsDatabase(primary.db, replica, 30, log);
    expect(await whoAnswers(await reports.db())).toBe('sb-replica');
  });

  it('reads the primary while the replica lags beyond the limit, cannot tell its lag, or is unreachable; and goes back', async () => {
    let lag: number | null | Error = 120;
    const probe: LagProbe = () => (lag instanceof Error ? Promise.reject(lag) : Promise.resolve(lag));
    const reports = new ReportsDatabase(primary.db, replica, 30, log, probe, 0);
    expect(await whoAnswers(await reports.db())).toBe('sb-primary');
    lag = null; // nothing replayed yet
    expect(await whoAnswers(await reports.db())).toBe('sb-primary');
    lag = new Error('connect ECONNREFUSED');
    expect(await whoAnswers(await reports.db())).toBe('sb-primary');
    lag = 30; // at the limit is fine
    expect(await whoAnswers(await reports.db())).toBe('sb-replica');
    lag = 31;
    expect(await whoAnswers(await reports.db())).toBe('sb-primary');
  });

  it('reads the primary when the replica URL points at nothing reachable', async () => {
    const dead = connectDatabase('postgres://root@127.0.0.1:1/nothing', 1);
    const reports = new ReportsDatabase(primary.db, dead, 30, log);
    expect(await whoAnswers(await reports.db())).toBe('sb-primary');
    await dead.close();
  });

  it('without a replica, reports read the primary', async () => {
    const reports = new ReportsDatabase(primary.db, undefined, 30, log);
    expect(await whoAnswers(await reports.db())).toBe('sb-primary');
  });
});

describe('the AI dashboard with DATABASE_REPLICA_URL', () => {
  let t: TestApp;
  let db: { url: string; drop(): Promise<void> };
  beforeAll(async () => {
    db = await createTestDatabase();
    t = await startTestApp({ databaseUrl: db.url, env: { DATABASE_REPLICA_URL: withApp(db.url, 'sb-replica') } });
  });
  afterAll(async () => {
    await t?.stop();
    await db?.drop();
  });

  it('reads its figures from the replica, and /metrics says so', async () => {
    const metric = async (name: string) =>
      Number(
        (await (await fetch(`${t.url}/metrics`)).text())
          .split('\n')
          .find((l) => l.startsWith(name))
          ?.split(' ')[1] ?? 'NaN',
      );
    const before = (await metric('db_report_reads_total{target="replica"}')) || 0;
    const res = await t.owner.get('/api/ai/metrics?days=30');
    expect(res.status).toBe(200);
    expect(res.body.days).toBe(30);
    expect(await metric('db_report_reads_total{target="replica"}')).toBe(before + 1);
    expect(await metric('db_replica_lag_seconds')).toBe(0);
  });
});
