import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { PgTools } from '../../src/modules/backups/backup.pg.js';

/** The machine's own PostgreSQL, whose client tools (pg_dump, pg_restore) are installed with it. */
const LOCAL_SERVER = 'postgres://root@127.0.0.1:5432/postgres';

/**
 * A PostgreSQL server for backup tests: the run's own when pg_dump/pg_restore of its version are
 * installed, else the machine's local server (the embedded package ships no pg_dump). Fails, never skips.
 */
export async function backupTestServer(): Promise<string> {
  const tried: string[] = [];
  for (const url of [inject('pgAdminUrl'), process.env.BACKUP_TEST_DATABASE_URL ?? LOCAL_SERVER]) {
    try {
      await PgTools.find(url, { binDir: undefined, embedded: false });
      return url;
    } catch (err) {
      tried.push(`${new URL(url).host}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  throw new Error(`no PostgreSQL with matching pg_dump/pg_restore for the backup tests:\n${tried.join('\n')}`);
}

export async function createDatabaseOn(adminUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `sb_bk_${randomBytes(6).toString('hex')}`;
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

export async function query<T extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(text, values)).rows;
  } finally {
    await c.end();
  }
}
