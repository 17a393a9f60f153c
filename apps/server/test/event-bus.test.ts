import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventBus, type RealtimeEvent } from '../src/platform/events/bus.js';
import { createLogger } from '../src/platform/logging.js';
import { createTestDatabase, eventually } from './support/harness.js';

let db: { url: string; drop(): Promise<void> };
let pool: pg.Pool;
let bus: EventBus;

beforeAll(async () => {
  db = await createTestDatabase();
  pool = new pg.Pool({ connectionString: db.url, max: 2 });
  bus = new EventBus(db.url, pool, createLogger('silent'));
  await bus.start();
});
afterAll(async () => {
  await bus?.stop();
  await pool?.end();
  await db?.drop();
});

describe('event bus notifications', () => {
  it('reads a single event as well as a batch, and survives notifications it cannot read', async () => {
    const accountId = '3f1c2a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b';
    const heard: RealtimeEvent[] = [];
    bus.subscribe(accountId, (e) => heard.push(e));
    const notify = (payload: string) => pool.query('select pg_notify($1, $2)', ['sb_events', payload]);
    await notify('not json');
    await notify('42');
    await notify(JSON.stringify({ id: 1, accountId, type: 'one', payload: {} }));
    await notify(JSON.stringify([{ id: 2, accountId, type: 'two', payload: {} }]));
    await eventually(() => heard.length === 2, 5_000, 'both events');
    expect(heard.map((e) => e.type)).toEqual(['one', 'two']);
  });
});
