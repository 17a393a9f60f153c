import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import pg from 'pg';
import { transaction } from '../src/platform/db/transaction.js';
import { eventually, startTestApp, type TestApp } from './support/harness.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ env: { SEND_MAX_ATTEMPTS: '3' } });
});
afterAll(async () => t?.stop());

/** A webhook channel with one inbound message; returns the conversation and the bot token. */
async function conversationWithCustomer(chatId: number) {
  const botToken = t.telegram.addBot();
  const channel = await t.owner.post('/api/channels', { type: 'telegram', name: `Bot ${chatId}`, config: { botToken, mode: 'webhook' } });
  expect(channel.status).toBe(201);
  expect(await t.telegram.deliver(botToken, t.telegram.textUpdate(botToken, { chatId, text: 'hello' }))).toBe(200);
  const list = await t.owner.get('/api/conversations?status=all');
  const conv = list.body.items.find((c: { channelId: string }) => c.channelId === channel.body.id);
  return { botToken, conv, channel: channel.body };
}

async function messageById(conversationId: string, id: string) {
  const items = (await t.owner.get(`/api/conversations/${conversationId}/messages`)).body.items as {
    id: string;
    status: string;
    failureReason: string | null;
  }[];
  return items.find((m) => m.id === id)!;
}

const sendCalls = (botToken: string) => t.telegram.callsOf('sendMessage').filter((c) => c.token === botToken);

describe('outbound delivery', () => {
  it('honours 429 retry_after and then delivers once', async () => {
    const { botToken, conv } = await conversationWithCustomer(6001);
    t.telegram.fail('sendMessage', 429, 'Too Many Requests: retry after 2', { retryAfter: 2, token: botToken });
    const reply = await t.owner.post(`/api/conversations/${conv.id}/messages`, { text: 'after the flood' });
    const limited = await eventually(async () => {
      const m = await messageById(conv.id, reply.body.id);
      return m.failureReason?.includes('retry') && m;
    });
    expect(limited.status).toBe('queued');
    const sent = await eventually(() => t.telegram.sent.find((s) => s.token === botToken), 15_000, 'the retried send');
    const calls = sendCalls(botToken);
    expect(calls).toHaveLength(2);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(1900);
    expect(sent.text).toBe('after the flood');
    await eventually(async () => (await messageById(conv.id, reply.body.id)).status === 'sent');
  });

  it('a per-chat spacing longer than the inline wait still delivers every reply, in order', async () => {
    const { botToken, conv } = await conversationWithCustomer(6003);
    const throttle = t.running.ctx.channels.adapter('telegram').throttle as { perChatMs: number };
    const original = throttle.perChatMs;
    throttle.perChatMs = 6_500; // beyond the 5 s a job waits in place: the second send is put off with its slot
    try {
      await t.owner.post(`/api/conversations/${conv.id}/messages`, { text: 'first' });
      await t.owner.post(`/api/conversations/${conv.id}/messages`, { text: 'second' });
      await eventually(() => t.telegram.sent.filter((s) => s.token === botToken).length === 2, 25_000, 'both replies');
      const sent = t.telegram.sent.filter((s) => s.token === botToken);
      expect(sent.map((s) => s.text)).toEqual(['first', 'second']);
      expect(sent[1]!.at - sent[0]!.at).toBeGreaterThanOrEqual(6_000);
    } finally {
      throttle.perChatMs = original;
    }
  });

  it('403 bot blocked: fails at once with the reason, no retries', async () => {
    const { botToken, conv } = await conversationWithCustomer(6002);
    t.telegram.fail('sendMessage', 403, 'Forbidden: bot was blocked by the user', { times: 5, token: botToken });
    const reply = await t.owner.post(`/api/conversations/${conv.id}/messages`, { text: 'are you there?' });
    const failed = await eventually(async () => {
      const m = await messageById(conv.id, reply.body.id);
      return m.status === 'failed' && m;
    });
    expect(failed.failureReason).toBe('Telegram: Forbidden: bot was blocked by the user');
    await new Promise((r) => setTimeout(r, 2500));
    expect(sendCalls(botToken)).toHaveLength(1);
  });

  it('400 errors fail at once with the reason', async () => {
    const { botToken, conv } = await conversationWithCustomer(6003);
    t.telegram.fail('sendMessage', 400, 'Bad Request: chat not found', { token: botToken });
    const reply = await t.owner.post(`/api/conversations/${conv.id}/messages`, { text: 'x' });
    const failed = await eventually(async () => {
      const m = await messageById(conv.id, reply.body.id);
      return m.status === 'failed' && m;
    });
    expect(failed.failureReason).toContain('chat not found');
    expect(sendCalls(botToken)).toHaveLength(1);
  });

  it('5xx retries with backoff, then succeeds', async () => {
    const { botToken, conv } = await conversationWithCustomer(6004);
    t.telegram.fail('sendMessage', 502, 'Bad Gateway', { token: botToken });
    const reply = await t.owner.post(`/api/conversations/${conv.id}/messages`, { text: 'second time lucky' });
    await eventually(async () => (await messageById(conv.id, reply.body.id)).status === 'sent', 20_000, 'sent after retry');
    expect(sendCalls(botToken).map((c) => c.status)).toEqual([502, 200]);
    expect(t.telegram.sent.filter((s) => s.token === botToken)).toHaveLength(1);
  });

  it('after the last retry the message is dead-lettered with a visible reason', async () => {
    const { botToken, conv } = await conversationWithCustomer(6005);
    t.telegram.fail('sendMessage', 500, 'Internal Server Error', { times: 3, token: botToken });
    const reply = await t.owner.post(`/api/conversations/${conv.id}/messages`, { text: 'doomed' });
    const dead = await eventually(
      async () => {
        const m = await messageById(conv.id, reply.body.id);
        return m.status === 'dead' && m;
      },
      25_000,
      'dead letter',
    );
    expect(dead.failureReason).toMatch(/Internal Server Error.*gave up after 3 attempts/);
    expect(sendCalls(botToken)).toHaveLength(3);
  });

  it('401 from Telegram marks the channel auth_failed and fails the message', async () => {
    const { botToken, conv, channel } = await conversationWithCustomer(6006);
    t.telegram.fail('sendMessage', 401, 'Unauthorized', { token: botToken });
    const reply = await t.owner.post(`/api/conversations/${conv.id}/messages`, { text: 'x' });
    await eventually(async () => (await messageById(conv.id, reply.body.id)).status === 'failed');
    const ch = await t.owner.get(`/api/channels/${channel.id}`);
    expect(ch.body.status).toBe('auth_failed');
    expect(sendCalls(botToken)).toHaveLength(1);
  });

  it('never sends twice when a job for an already-sent message runs again', async () => {
    const { botToken, conv } = await conversationWithCustomer(6007);
    const reply = await t.owner.post(`/api/conversations/${conv.id}/messages`, { text: 'exactly once' });
    await eventually(async () => (await messageById(conv.id, reply.body.id)).status === 'sent');
    // A redelivered job (e.g. the worker died after sending but before pg-boss recorded completion).
    const { accountId } = (await t.owner.get('/api/auth/session')).body.user;
    await transaction(t.running.ctx.pool, (tx) => t.running.ctx.queue.send(tx, 'message.send', { accountId, messageId: reply.body.id }));
    await new Promise((r) => setTimeout(r, 1500));
    expect(t.telegram.sent.filter((s) => s.token === botToken)).toHaveLength(1);
  });

  it('a send interrupted after reaching Telegram is not repeated: it is marked uncertain, not failed', async () => {
    const { botToken, conv } = await conversationWithCustomer(6009);
    const reply = await t.owner.post(`/api/conversations/${conv.id}/messages`, { text: 'maybe delivered' });
    await eventually(async () => (await messageById(conv.id, reply.body.id)).status === 'sent');
    // As if the process died between the provider's answer and our bookkeeping.
    await t.running.ctx.pool.query(`update messages set status = 'sending', external_id = null, sent_at = null where id = $1`, [
      reply.body.id,
    ]);
    const { accountId } = (await t.owner.get('/api/auth/session')).body.user;
    await transaction(t.running.ctx.pool, (tx) => t.running.ctx.queue.send(tx, 'message.send', { accountId, messageId: reply.body.id }));
    const uncertain = await eventually(async () => {
      const m = await messageById(conv.id, reply.body.id);
      return m.status === 'uncertain' && m;
    });
    expect(uncertain.failureReason).toMatch(/may already have it/);
    expect(t.telegram.sent.filter((s) => s.token === botToken)).toHaveLength(1);
  });

  it('throttles to about one message per second per chat', async () => {
    const { botToken, conv } = await conversationWithCustomer(6008);
    for (const text of ['one', 'two', 'three', 'four']) await t.owner.post(`/api/conversations/${conv.id}/messages`, { text });
    await eventually(() => t.telegram.sent.filter((s) => s.token === botToken).length === 4, 15_000, 'four sends');
    const times = t.telegram.sent.filter((s) => s.token === botToken).map((s) => s.at);
    expect(times[3]! - times[0]!).toBeGreaterThanOrEqual(2800);
    expect(sendCalls(botToken).every((c) => c.status === 200)).toBe(true);
  });
});

describe('inbound when the database is unavailable', () => {
  it('answers the webhook with 5xx so Telegram retries, and stores the update once it is back', async () => {
    const { botToken } = await conversationWithCustomer(6100);
    const update = t.telegram.textUpdate(botToken, { chatId: 6100, text: 'during the outage' });
    const admin = new pg.Client({ connectionString: inject('pgAdminUrl') });
    await admin.connect();
    const dbName = new URL(t.databaseUrl).pathname.slice(1);
    // Refuse new connections and cut the existing ones: the database is "down" for this app.
    await admin.query(`alter database ${dbName} with allow_connections false`);
    await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()`, [dbName]);
    try {
      const status = await t.telegram.deliver(botToken, update);
      expect(status).toBe(503);
      const ready = await fetch(`${t.url}/ready`);
      expect(ready.status).toBe(503);
    } finally {
      await admin.query(`alter database ${dbName} with allow_connections true`);
      await admin.end();
    }
    const status = await eventually(
      async () => {
        const s = await t.telegram.deliver(botToken, update);
        return s === 200 && s;
      },
      20_000,
      'webhook accepted again',
    );
    expect(status).toBe(200);
    const conv = (await t.owner.get('/api/conversations?status=all')).body.items.find(
      (c: { contact: { externalId: string } }) => c.contact.externalId === '6100',
    );
    const texts = (await t.owner.get(`/api/conversations/${conv.id}/messages`)).body.items.map((m: { text: string }) => m.text);
    expect(texts).toEqual(['hello', 'during the outage']);
  });
});
