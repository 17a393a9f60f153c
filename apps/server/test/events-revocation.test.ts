import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, OWNER, startTestApp, type TestApp } from './support/harness.js';
import { SseReader } from './support/sse.js';
import { sseConnections } from '../src/platform/metrics.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.stop());

/** A fresh session of the owner and its open event stream. */
async function signedInStream() {
  const client = t.anonymous();
  expect((await client.login(OWNER.email, OWNER.password)).status).toBe(200);
  const stream = await SseReader.open(`${t.url}/api/events`, { cookie: client.cookie! });
  expect(stream.status).toBe(200);
  return { client, stream };
}

const closedWithinSeconds = (stream: SseReader, what: string) => eventually(() => stream.ended, 15_000, what);

describe('event streams end when their credentials do', () => {
  it('sign-out closes the streams of that session only', async () => {
    const leaving = await signedInStream();
    const staying = await signedInStream();
    expect((await leaving.client.post('/api/auth/logout')).status).toBe(204);
    await closedWithinSeconds(leaving.stream, 'the signed-out stream to close');
    // Both were checked in the same pass: the other session's stream is still open.
    expect(staying.stream.ended).toBe(false);
    staying.stream.close();
  });

  it('signing out everywhere closes every stream of the user', async () => {
    const a = await signedInStream();
    const b = await signedInStream();
    expect((await a.client.post('/api/auth/logout-all')).status).toBe(204);
    await closedWithinSeconds(a.stream, 'the first stream to close');
    await closedWithinSeconds(b.stream, 'the second stream to close');
    await t.owner.login(OWNER.email, OWNER.password);
  });

  it('revoking an API token closes the streams opened with it', async () => {
    const created = await t.owner.post('/api/tokens', { name: 'dashboard' });
    const other = await t.owner.post('/api/tokens', { name: 'kept' });
    const revoked = await SseReader.open(`${t.url}/api/events`, { authorization: `Bearer ${created.body.token}` });
    const kept = await SseReader.open(`${t.url}/api/events`, { authorization: `Bearer ${other.body.token}` });
    expect(revoked.status).toBe(200);
    expect((await t.owner.delete(`/api/tokens/${created.body.id}`)).status).toBe(204);
    await closedWithinSeconds(revoked, 'the revoked token stream to close');
    expect(kept.ended).toBe(false);
    kept.close();
    // Reconnecting with it is refused.
    expect((await SseReader.open(`${t.url}/api/events`, { authorization: `Bearer ${created.body.token}` })).status).toBe(401);
  });
});

describe('event stream replay', () => {
  const openStreams = async () => (await sseConnections.get()).values[0]?.value ?? 0;

  /** Holds `bus.replay` until `release()`; `entered` resolves when a stream starts its replay. */
  function gateReplay() {
    const bus = t.running.ctx.bus;
    const original = bus.replay.bind(bus);
    let entered!: () => void;
    let release!: () => void;
    let done!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    bus.replay = async (...args) => {
      entered();
      await gate;
      try {
        return await original(...args);
      } finally {
        done();
      }
    };
    return {
      entered: new Promise<void>((r) => (entered = r)),
      replayed: new Promise<void>((r) => (done = r)),
      release: () => release(),
      restore: () => (bus.replay = original),
    };
  }

  const accountId = async () =>
    (await t.running.ctx.pool.query<{ id: string }>('select account_id as id from memberships limit 1')).rows[0]!.id;
  const publish = async (n: number) => t.running.ctx.bus.publish(t.running.ctx.pool, await accountId(), 'test.event', { n });

  it('a client that leaves during the replay leaves no subscription, heartbeat or gauge behind', async () => {
    await publish(1);
    const before = await openStreams();
    const gate = gateReplay();
    try {
      let socket: Socket | undefined;
      t.running.http.server.once('connection', (s: Socket) => (socket = s));
      const stream = await SseReader.open(`${t.url}/api/events?lastEventId=1`, { cookie: t.owner.cookie! });
      expect(stream.status).toBe(200);
      await gate.entered;
      stream.close();
      await eventually(() => socket?.destroyed, 10_000, 'the server to see the client leave');
      gate.release();
      await gate.replayed;
      await new Promise((r) => setImmediate(r));
      expect(await openStreams()).toBe(before);
    } finally {
      gate.restore();
    }
  });

  it('events published during the replay arrive once, after the replayed ones', async () => {
    await publish(10);
    const { rows } = await t.running.ctx.pool.query<{ id: number }>('select max(id)::int as id from events');
    const from = rows[0]!.id;
    await publish(11);
    const gate = gateReplay();
    try {
      const stream = await SseReader.open(`${t.url}/api/events?lastEventId=${from}`, { cookie: t.owner.cookie! });
      await gate.entered;
      // The stream subscribed before its replay, so once this later listener hears the event, the stream has it buffered.
      let heard!: () => void;
      const live = new Promise<void>((r) => (heard = r));
      const off = t.running.ctx.bus.subscribe(await accountId(), (e) => e.payload.n === 12 && heard());
      await publish(12);
      await live;
      off();
      gate.release();
      await eventually(() => stream.find((e) => e.data.n === 12), 10_000, 'the live event');
      await publish(13);
      await eventually(() => stream.find((e) => e.data.n === 13), 10_000, 'the next live event');
      const ns = stream.events.filter((e) => e.event === 'test.event').map((e) => e.data.n);
      expect(ns).toEqual([11, 12, 13]);
      stream.close();
    } finally {
      gate.restore();
    }
  });
});
