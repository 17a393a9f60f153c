import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transaction } from '../src/platform/db/transaction.js';
import { eventually, startTestApp, type TestApp } from './support/harness.js';

/**
 * Live events reach every process through NOTIFY, whose payload PostgreSQL caps at 8000 *bytes*. Russian
 * text takes two bytes a character: events counted in characters were packed into payloads PostgreSQL
 * refused ("payload string too long"), and every event in them missed the live push.
 */

let t: TestApp;
let listener: pg.Client;
const received: string[] = [];

beforeAll(async () => {
  t = await startTestApp();
  listener = new pg.Client({ connectionString: t.databaseUrl });
  await listener.connect();
  listener.on('notification', (n) => received.push(n.payload ?? ''));
  await listener.query('listen sb_events');
});
afterAll(async () => {
  await listener?.end();
  await t?.stop();
});

describe('live events over NOTIFY', () => {
  it('packs Cyrillic events by bytes: each one is pushed, a too-large one by reference', async () => {
    const { accountId } = (await t.owner.get('/api/auth/session')).body.user;
    const { bus, pool } = t.running.ctx;
    const texts = ['Ж'.repeat(3_000), 'Щ'.repeat(3_000), 'Ю'.repeat(3_000), 'Я'.repeat(3_900)];
    // Published in one transaction: their NOTIFYs go out together after the commit, coalesced.
    await transaction(pool, async (tx) => {
      for (const text of texts) await bus.publish(tx, accountId, 'test.cyrillic', { text });
    });
    const events = await eventually(() => {
      const all = received.flatMap((p) => JSON.parse(p) as { type: string; payload?: { text: string }; ref?: boolean }[]);
      const ours = all.filter((e) => e.type === 'test.cyrillic');
      return ours.length === texts.length ? ours : undefined;
    }, 10_000);
    for (const payload of received) expect(Buffer.byteLength(payload)).toBeLessThanOrEqual(8_000);
    // Three fit a payload each (6,000 bytes); the 7,800-byte one goes as a reference the listener loads.
    expect(events.filter((e) => e.ref)).toHaveLength(1);
    expect(
      events
        .filter((e) => !e.ref)
        .map((e) => e.payload!.text)
        .sort(),
    ).toEqual(texts.slice(0, 3).sort());
  });
});
