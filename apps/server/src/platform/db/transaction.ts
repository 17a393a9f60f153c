import type pg from 'pg';
import { drizzle } from 'drizzle-orm/node-postgres';
import * as schema from './schema.js';
import type { Db } from './client.js';

/** What a unit of work sees: Drizzle and the raw client of one transaction. */
export interface Tx {
  db: Db;
  client: pg.PoolClient;
  /** Runs after COMMIT (never after ROLLBACK): realtime fan-out, in-process wake-ups. */
  afterCommit(fn: () => void): void;
}

/** Runs `fn` in one transaction; commits when it resolves, rolls back when it throws. */
export async function transaction<T>(pool: pg.Pool, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  const after: (() => void)[] = [];
  let broken = false;
  // A checked-out client has no error listener: a connection lost between statements would
  // otherwise be an uncaught exception. The next statement fails and the transaction rolls back.
  const onError = () => {
    broken = true;
  };
  client.on('error', onError);
  try {
    await client.query('begin');
    let db: Db | undefined; // built on first use: the hot paths use raw statements only
    const result = await fn({
      get db() {
        return (db ??= drizzle(client, { schema }));
      },
      client,
      afterCommit: (cb) => after.push(cb),
    });
    await client.query('commit');
    for (const cb of after) cb();
    return result;
  } catch (err) {
    await client.query('rollback').catch(() => {
      broken = true;
    });
    throw err;
  } finally {
    client.removeListener('error', onError);
    client.release(broken);
  }
}
