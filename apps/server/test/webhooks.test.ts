import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextAttemptAt } from '../src/modules/webhooks/webhooks.delivery.js';
import { verifySignature } from '../src/modules/webhooks/webhooks.signing.js';
import { WebhooksRepository } from '../src/modules/webhooks/webhooks.repository.js';
import { readEvents, SettledHorizon } from '../src/platform/events/events.outbox.js';
import { freePort } from './support/global-setup.js';
import type { ApiClient } from './support/api-client.js';
import { eventually, signInNewAccount, startTestApp, type TestApp } from './support/harness.js';
import { verify, WebhookReceiver, type ReceivedHook } from './fakes/webhook-receiver.js';

let t: TestApp;
let receiver: WebhookReceiver;
let seq = 0;

// Test-sized retry schedule: 1 s between attempts, a 12 s window instead of 24 h.
beforeAll(async () => {
  receiver = await new WebhookReceiver().start();
  t = await startTestApp({ env: { WEBHOOK_RETRY_DELAYS: '1', WEBHOOK_WINDOW_SECONDS: '12', WEBHOOK_TIMEOUT_MS: '3000' } });
});
afterAll(async () => {
  await t?.stop();
  await receiver?.stop();
});

/** An API channel and a token to post customer messages with: the simplest source of events. */
async function source(client: ApiClient) {
  const channel = await client.post('/api/channels', { type: 'api', name: `Backend ${++seq}`, config: {} });
  expect(channel.status).toBe(201);
  const token = await client.post('/api/tokens', { name: `integration ${seq}` });
  expect(token.status).toBe(201);
  const api = client.withToken(token.body.token as string);
  return {
    channelId: channel.body.id as string,
    post: async (text: string, contact = 'customer-1') => {
      const res = await api.post(`/api/channels/${channel.body.id}/messages`, {
        messageId: `m-${++seq}`,
        contact: { externalId: contact, name: 'Ivan' },
        text,
      });
      expect(res.status).toBe(201);
      return res.body as { id: string; conversationId: string };
    },
  };
}

async function endpoint(client: ApiClient, path: string, events: string[] = ['message.created']) {
  const res = await client.post('/api/webhooks', { url: `${receiver.url}${path}`, events, description: path });
  expect(res.status).toBe(201);
  return res.body as { id: string; secret: string; url: string };
}

async function log(client: ApiClient, endpointId: string, status?: string) {
  const res = await client.get(`/api/webhooks/${endpointId}/deliveries${status ? `?status=${status}` : ''}`);
  expect(res.status).toBe(200);
  return res.body.items as {
    id: string;
    status: string;
    attempts: number;
    lastStatusCode: number | null;
    lastError: string | null;
    nextAttemptAt: string | null;
    eventId: string;
    eventType: string;
  }[];
}

/** The hook at `path` carrying the message created by `messageId`. */
function hookFor(path: string, messageId: string): ReceivedHook | undefined {
  return receiver.at(path, 'message.created').find((h) => (h.body.data.message as { id: string }).id === messageId);
}

describe('webhook endpoints', () => {
  it('creates an endpoint with a secret shown once, and validates URL and events', async () => {
    const created = await endpoint(t.owner, '/crud', ['message.created', 'channel.alert']);
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9_-]{40,}$/);
    const got = await t.owner.get(`/api/webhooks/${created.id}`);
    expect(got.body).toMatchObject({
      url: `${receiver.url}/crud`,
      events: ['message.created', 'channel.alert'],
      enabled: true,
      failing: 0,
    });
    expect(JSON.stringify(got.body)).not.toContain(created.secret);
    expect(JSON.stringify((await t.owner.get('/api/webhooks')).body)).not.toContain(created.secret);

    for (const bad of [
      { url: 'ftp://example.com/hook', events: ['message.created'] },
      { url: 'https://user:pw@example.com/hook', events: ['message.created'] },
      { url: 'http://127.0.0.1:6000/x11', events: ['message.created'] }, // a port fetch refuses
      { url: 'https://example.com/hook', events: [] },
      { url: 'https://example.com/hook', events: ['message.deleted'] },
    ]) {
      const res = await t.owner.post('/api/webhooks', bad);
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }

    const edited = await t.owner.patch(`/api/webhooks/${created.id}`, { events: ['conversation.updated'], enabled: false });
    expect(edited.body).toMatchObject({ events: ['conversation.updated'], enabled: false });
    expect((await t.owner.delete(`/api/webhooks/${created.id}`)).status).toBe(204);
    expect((await t.owner.get(`/api/webhooks/${created.id}`)).status).toBe(404);
    const audit = (await t.owner.get('/api/audit')).body.items.map((e: { action: string }) => e.action);
    expect(audit).toEqual(expect.arrayContaining(['webhook.created', 'webhook.updated', 'webhook.deleted']));
  });

  it('is for owners and admins only', async () => {
    await t.owner.post('/api/users', { email: `op${++seq}@example.com`, name: 'Op', password: 'operator-password-1', role: 'agent' });
    const operator = t.anonymous();
    await operator.login(`op${seq}@example.com`, 'operator-password-1');
    expect((await operator.get('/api/webhooks')).status).toBe(403);
    expect((await operator.post('/api/webhooks', { url: 'https://example.com/x', events: ['message.created'] })).status).toBe(403);
  });

  it('signs each delivery so the receiver can verify it, with a stable public payload', async () => {
    const ep = await endpoint(t.owner, '/signed');
    const src = await source(t.owner);
    const stored = await src.post('Where is my order?');

    const hook = await eventually(() => hookFor('/signed', stored.id), 20_000, 'the signed delivery');
    expect(verify(ep.secret, hook)).toBe(true);
    expect(verify('whsec_wrong', hook)).toBe(false);
    expect(verify(ep.secret, { ...hook, rawBody: hook.rawBody.replace('order', 'ORDER') })).toBe(false);
    expect(verify(ep.secret, hook, Number(hook.headers['x-switchboard-timestamp']) + 301)).toBe(false); // replayed later
    expect(hook.headers['content-type']).toBe('application/json');
    expect(hook.headers['x-switchboard-event']).toBe('message.created');
    expect(hook.headers['x-switchboard-delivery']).toMatch(/^[0-9a-f-]{36}$/);

    const me = (await t.owner.get('/api/auth/session')).body.user;
    expect(Object.keys(hook.body).sort()).toEqual(['accountId', 'createdAt', 'data', 'id', 'type']);
    expect(hook.body).toMatchObject({ id: expect.stringMatching(/^evt_\d+$/), type: 'message.created', accountId: me.accountId });
    expect(Object.keys(hook.body.data).sort()).toEqual(['conversationId', 'message']);
    expect(hook.body.data.conversationId).toBe(stored.conversationId);
    expect(Object.keys(hook.body.data.message as object).sort()).toEqual(
      [
        'ai',
        'attachments',
        'authorType',
        'authorUserId',
        'conversationId',
        'createdAt',
        'direction',
        'editedAt',
        'failureCode',
        'failureReason',
        'id',
        'private',
        'retryAt',
        'sentAt',
        'status',
        'text',
      ].sort(),
    );
    expect(hook.body.data.message).toMatchObject({ id: stored.id, text: 'Where is my order?', direction: 'in', authorType: 'contact' });

    const [entry] = await eventually(async () => {
      const items = await log(t.owner, ep.id, 'delivered');
      return items.length ? items : null;
    });
    expect(entry).toMatchObject({
      id: hook.headers['x-switchboard-delivery'],
      eventId: hook.body.id,
      eventType: 'message.created',
      attempts: 1,
      lastStatusCode: 200,
      lastError: null,
      nextAttemptAt: null,
    });
  });

  it('sends only subscribed events, and nothing to a disabled endpoint', async () => {
    const alerts = await endpoint(t.owner, '/alerts-only', ['channel.alert']);
    const disabled = await endpoint(t.owner, '/disabled');
    await t.owner.patch(`/api/webhooks/${disabled.id}`, { enabled: false });
    const watcher = await endpoint(t.owner, '/watcher');
    const src = await source(t.owner);
    const stored = await src.post('hello');
    await eventually(() => hookFor('/watcher', stored.id), 20_000, 'the delivery to the enabled endpoint');
    expect(receiver.at('/alerts-only')).toEqual([]);
    expect(receiver.at('/disabled')).toEqual([]);
    expect(await log(t.owner, alerts.id)).toEqual([]);
    expect(await log(t.owner, watcher.id)).toHaveLength(1);
  });

  it('fans an event out to an endpoint at most once, however often it is read again', async () => {
    const ep = await endpoint(t.owner, '/once');
    const repo = new WebhooksRepository(t.running.ctx.db);
    const { rows } = await t.running.ctx.pool.query<{ account_id: string }>('select account_id from webhook_endpoints where id = $1', [
      ep.id,
    ]);
    const row = { accountId: rows[0]!.account_id, endpointId: ep.id, eventType: 'message.created', payload: { id: 'evt_999999999' } };
    const [first, second] = await Promise.all([
      repo.insertDeliveryOnce(t.running.ctx.db, row, 'evt_999999999'),
      repo.insertDeliveryOnce(t.running.ctx.db, row, 'evt_999999999'),
    ]);
    expect([first, second].filter(Boolean)).toHaveLength(1);
    expect(await repo.insertDeliveryOnce(t.running.ctx.db, row, 'evt_999999999')).toBeUndefined();
  });

  it('answers a test ping right away', async () => {
    const ep = await endpoint(t.owner, '/ping');
    const res = await t.owner.post(`/api/webhooks/${ep.id}/ping`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'delivered', eventType: 'ping', attempts: 1, lastStatusCode: 200 });
    const [hook] = receiver.at('/ping', 'ping');
    expect(verify(ep.secret, hook!)).toBe(true);

    receiver.script('/ping', [503]);
    const failed = await t.owner.post(`/api/webhooks/${ep.id}/ping`);
    expect(failed.body).toMatchObject({ status: 'dead', lastStatusCode: 503, lastError: 'http_503: answered HTTP 503' });
  });

  it('retries a failing receiver with backoff until it accepts; the delivery id stays the same', async () => {
    receiver.script('/flaky', [500, 502]);
    const ep = await endpoint(t.owner, '/flaky');
    const src = await source(t.owner);
    const stored = await src.post('retry me');

    // While failing, the log says why and when it tries again.
    const failing = await eventually(async () => (await log(t.owner, ep.id, 'failed'))[0], 20_000, 'a failed attempt');
    expect(failing.lastStatusCode).toBeGreaterThanOrEqual(500);
    // The category only: what the receiver wrote is not echoed (a URL aimed at an internal service learns nothing).
    expect(failing.lastError).toMatch(/^http_50[02]: answered HTTP 50[02]$/);
    expect(failing.nextAttemptAt).not.toBeNull();
    expect((await t.owner.get('/api/webhooks')).body.items.find((e: { id: string }) => e.id === ep.id).failing).toBe(1);

    const delivered = await eventually(async () => (await log(t.owner, ep.id, 'delivered'))[0], 30_000, 'delivery after retries');
    expect(delivered).toMatchObject({ attempts: 3, lastStatusCode: 200, lastError: null });
    const hooks = receiver.at('/flaky', 'message.created').filter((h) => (h.body.data.message as { id: string }).id === stored.id);
    expect(hooks.map((h) => h.status)).toEqual([500, 502, 200]);
    expect(new Set(hooks.map((h) => h.headers['x-switchboard-delivery'])).size).toBe(1);
    expect(new Set(hooks.map((h) => h.body.id)).size).toBe(1);
    // Backoff: the attempts are spread out, not fired back to back.
    const times = hooks.map((h) => Number(h.headers['x-switchboard-timestamp']));
    expect(times[2]! - times[0]!).toBeGreaterThanOrEqual(1);
  });

  it('gives up after the window with the last error, then redelivers on request', async () => {
    const closedPort = await freePort(); // nothing listens here: the receiver is down
    const res = await t.owner.post('/api/webhooks', { url: `http://127.0.0.1:${closedPort}/down`, events: ['message.created'] });
    const ep = res.body as { id: string; secret: string };
    const src = await source(t.owner);
    await src.post('anyone there?');

    const dead = await eventually(async () => (await log(t.owner, ep.id, 'dead'))[0], 60_000, 'the delivery to give up');
    expect(dead.attempts).toBeGreaterThanOrEqual(2);
    expect(dead.lastStatusCode).toBeNull();
    expect(dead.lastError).toMatch(/^connect_failed: .*gave up after \d+ attempts/);
    expect(dead.nextAttemptAt).toBeNull();

    // The receiver is back at a new address: redeliver that one delivery.
    await t.owner.patch(`/api/webhooks/${ep.id}`, { url: `${receiver.url}/back` });
    const again = await t.owner.post(`/api/webhooks/deliveries/${dead.id}/redeliver`);
    expect(again.status).toBe(200);
    expect(again.body.status).toBe('pending');
    const delivered = await eventually(async () => (await log(t.owner, ep.id, 'delivered'))[0], 20_000, 'the redelivery');
    expect(delivered.id).toBe(dead.id);
    expect(delivered.attempts).toBe(dead.attempts + 1);
    const [hook] = receiver.at('/back');
    expect(verify(ep.secret, hook!)).toBe(true);
    expect(hook!.headers['x-switchboard-delivery']).toBe(dead.id);
  });

  it('"Redeliver failed" sends every failed and dead delivery of an endpoint again', async () => {
    receiver.script('/batch', [410]);
    const ep = await endpoint(t.owner, '/batch');
    const src = await source(t.owner);
    await src.post('one');
    // 410 Gone: given up at once and the endpoint is disabled.
    const dead = await eventually(async () => (await log(t.owner, ep.id, 'dead'))[0], 20_000, 'the 410 to be dead');
    expect(dead.lastError).toMatch(/410 Gone: the endpoint was disabled/);
    expect(dead.attempts).toBe(1);
    expect((await t.owner.get(`/api/webhooks/${ep.id}`)).body.enabled).toBe(false);

    await t.owner.patch(`/api/webhooks/${ep.id}`, { enabled: true });
    // The body is optional: a POST without one (curl -X POST) redelivers both statuses.
    const res = await t.owner.post(`/api/webhooks/${ep.id}/redeliver`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ affected: 1 });
    await eventually(async () => (await log(t.owner, ep.id, 'delivered')).length === 1, 20_000, 'the batch redelivery');
    expect((await log(t.owner, ep.id, 'dead')).length).toBe(0);
  });

  it('rotating the secret signs the next deliveries with the new one', async () => {
    const ep = await endpoint(t.owner, '/rotate');
    const rotated = await t.owner.post(`/api/webhooks/${ep.id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(ep.secret);
    await t.owner.post(`/api/webhooks/${ep.id}/ping`);
    const [hook] = receiver.at('/rotate', 'ping');
    expect(verify(rotated.body.secret as string, hook!)).toBe(true);
    expect(verify(ep.secret, hook!)).toBe(false);
  });

  it('an endpoint of another account never receives this account’s events, nor sees its endpoints', async () => {
    const other = await signInNewAccount(t, { email: `other${++seq}@example.com`, password: 'other-password-1' });
    const theirs = await endpoint(other, '/tenant-b', ['message.created', 'message.updated', 'conversation.updated', 'channel.updated']);
    const mine = await endpoint(t.owner, '/tenant-a');
    const src = await source(t.owner);
    const stored = await src.post('private to account A');
    await eventually(() => hookFor('/tenant-a', stored.id), 20_000, 'the delivery to account A');

    // Account B's own event arrives (so its endpoint works), and nothing of account A's ever did.
    const theirSource = await source(other);
    const theirMessage = await theirSource.post('account B');
    await eventually(() => hookFor('/tenant-b', theirMessage.id), 20_000, 'account B’s own delivery');
    const me = (await t.owner.get('/api/auth/session')).body.user;
    expect(receiver.at('/tenant-b').filter((h) => h.body.accountId === me.accountId)).toEqual([]);
    expect(JSON.stringify(receiver.at('/tenant-b'))).not.toContain('private to account A');

    expect((await other.get(`/api/webhooks/${mine.id}`)).status).toBe(404);
    expect((await other.get(`/api/webhooks/${mine.id}/deliveries`)).status).toBe(404);
    expect((await other.patch(`/api/webhooks/${mine.id}`, { enabled: false })).status).toBe(404);
    const myDelivery = (await log(t.owner, mine.id))[0]!;
    expect((await other.post(`/api/webhooks/deliveries/${myDelivery.id}/redeliver`)).status).toBe(404);
    expect((await other.get('/api/webhooks')).body.items.map((e: { id: string }) => e.id)).toEqual([theirs.id]);
  });

  it('pages the delivery log with a cursor', async () => {
    const ep = await endpoint(t.owner, '/pages');
    const src = await source(t.owner);
    for (const text of ['a', 'b', 'c']) await src.post(text);
    await eventually(async () => (await log(t.owner, ep.id, 'delivered')).length === 3, 20_000, 'three deliveries');
    const first = await t.owner.get(`/api/webhooks/${ep.id}/deliveries?limit=2`);
    expect(first.body.items).toHaveLength(2);
    const second = await t.owner.get(`/api/webhooks/${ep.id}/deliveries?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.items).toHaveLength(1);
    expect(second.body.nextCursor).toBeNull();
    const ids = [...first.body.items, ...second.body.items].map((d: { id: string }) => d.id);
    expect(new Set(ids).size).toBe(3);
  });
});

describe('retry schedule and signature (unit)', () => {
  const config = { webhookRetryDelaysMs: [60_000, 300_000, 1_800_000, 7_200_000, 21_600_000], webhookRetryWindowMs: 86_400_000 };

  it('backs off 1 m, 5 m, 30 m, 2 h, 6 h… and never past 24 h', () => {
    const start = new Date('2025-01-01T00:00:00Z');
    let now = start;
    const gaps: number[] = [];
    for (let attempts = 1; attempts < 50; attempts++) {
      const next = nextAttemptAt(config, attempts, start, now, () => 0.5);
      if (!next) break;
      gaps.push(next.getTime() - now.getTime());
      now = next;
    }
    expect(gaps.slice(0, 5)).toEqual([60_000, 300_000, 1_800_000, 7_200_000, 21_600_000]);
    expect(now.getTime() - start.getTime()).toBe(86_400_000); // the last attempt lands on the end of the window
    expect(nextAttemptAt(config, gaps.length + 1, start, now)).toBeNull();
  });

  it('jitters each delay by at most 20 %', () => {
    const start = new Date();
    const low = nextAttemptAt(config, 1, start, start, () => 0)!.getTime() - start.getTime();
    const high = nextAttemptAt(config, 1, start, start, () => 0.999)!.getTime() - start.getTime();
    expect(low).toBe(48_000);
    expect(high).toBeLessThan(72_000);
    expect(high).toBeGreaterThan(71_000);
  });

  it('verifies signatures the way the README shows, refusing stale timestamps', () => {
    const hookLike = (secret: string, ts: number, body: string) => ({ timestamp: String(ts), signature: sign(secret, ts, body) });
    const now = 1_700_000_000;
    expect(verifySignature('s', hookLike('s', now, '{}'), '{}', now)).toBe(true);
    expect(verifySignature('s', hookLike('s', now - 301, '{}'), '{}', now)).toBe(false);
    expect(verifySignature('s', hookLike('t', now, '{}'), '{}', now)).toBe(false);
    expect(verifySignature('s', { timestamp: undefined, signature: undefined }, '{}', now)).toBe(false);
  });
});

function sign(secret: string, ts: number, body: string): string {
  // The same computation as the fake receiver's, kept independent of the product's code.
  return `v1=${createHmacHex(secret, `${ts}.${body}`)}`;
}

function createHmacHex(secret: string, data: string): string {
  return createHmac('sha256', secret).update(data).digest('hex');
}

describe('events outbox', () => {
  it('reads past an event committed late only once its transaction has ended', async () => {
    const account = (await t.owner.get('/api/auth/session')).body.user.accountId as string;
    const horizon = new SettledHorizon(t.running.ctx.db);
    const late = await t.running.ctx.pool.connect();
    try {
      await late.query('begin');
      const { rows } = await late.query<{ id: string }>(
        `insert into events (account_id, type, payload) values ($1, 'test.late', '{}') returning id`,
        [account],
      );
      const lateId = Number(rows[0]!.id);
      await t.running.ctx.pool.query(`insert into events (account_id, type, payload) values ($1, 'test.early', '{}')`, [account]);
      // Synthetic clock: horizons age without waiting, but none may pass the open transaction's event.
      const t0 = Date.now();
      for (const at of [t0, t0 + 1_000, t0 + 2_000, t0 + 5_000]) expect((await horizon.next(at)) ?? 0).toBeLessThan(lateId);
      await late.query('commit');
      const upTo = (await horizon.next(t0 + 6_000)) ?? (await horizon.next(t0 + 20_000))!;
      expect(upTo).toBeGreaterThan(lateId);
      const read = await readEvents(t.running.ctx.db, {
        after: lateId - 1,
        upTo,
        limit: 10,
        accountId: account,
        types: ['test.late', 'test.early'],
      });
      expect(read.map((e) => e.type)).toEqual(['test.late', 'test.early']);
    } finally {
      late.release();
    }
  });
});
