import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transaction } from '../src/platform/db/transaction.js';
import { eventually, startTestApp, type TestApp } from './support/harness.js';

/*
 * A reply whose send was interrupted after it may have reached the provider (the process died between
 * the provider's answer and our bookkeeping) is "uncertain": the customer may have it. It is listed with
 * the undelivered replies, but sending it again takes a person's explicit confirmation.
 */

let t: TestApp;
let chats = 9100;
beforeAll(async () => {
  t = await startTestApp({ roles: 'api,worker' });
});
afterAll(() => t?.stop());

interface Listed {
  items: { messageId: string; status: string; failureReason: string | null }[];
  total: number;
  uncertain: number;
}

async function channelWithCustomer() {
  const chatId = ++chats;
  const botToken = t.telegram.addBot();
  const channel = await t.owner.post('/api/channels', { type: 'telegram', name: `Bot ${chatId}`, config: { botToken, mode: 'webhook' } });
  expect(channel.status).toBe(201);
  expect(await t.telegram.deliver(botToken, t.telegram.textUpdate(botToken, { chatId, text: 'hello' }))).toBe(200);
  const list = await t.owner.get('/api/conversations?status=all&limit=200');
  const conv = list.body.items.find((c: { channelId: string }) => c.channelId === channel.body.id) as { id: string };
  return { botToken, conv, channelId: channel.body.id as string };
}

const statusOf = async (conversationId: string, id: string) =>
  ((await t.owner.get(`/api/conversations/${conversationId}/messages`)).body.items as { id: string; status: string }[]).find(
    (m) => m.id === id,
  )?.status;

/** A reply that reached Telegram, then "the process died" before we recorded it; the job runs again. */
async function interruptedReply(conversationId: string, text: string): Promise<string> {
  const reply = await t.owner.post(`/api/conversations/${conversationId}/messages`, { text });
  await eventually(async () => (await statusOf(conversationId, reply.body.id)) === 'sent');
  await t.running.ctx.pool.query(`update messages set status = 'sending', external_id = null, sent_at = null where id = $1`, [
    reply.body.id,
  ]);
  const { accountId } = (await t.owner.get('/api/auth/session')).body.user;
  await transaction(t.running.ctx.pool, (tx) => t.running.ctx.queue.send(tx, 'message.send', { accountId, messageId: reply.body.id }));
  await eventually(async () => (await statusOf(conversationId, reply.body.id)) === 'uncertain', 10_000, 'uncertain');
  return reply.body.id as string;
}

const sentTexts = (botToken: string) => t.telegram.sent.filter((s) => s.token === botToken).map((s) => s.text);

describe('replies whose delivery is uncertain', () => {
  it('are listed apart from refused ones and are sent again only when the retry confirms it', async () => {
    const { botToken, conv, channelId } = await channelWithCustomer();
    const uncertainId = await interruptedReply(conv.id, 'maybe delivered');
    t.telegram.fail('sendMessage', 403, 'Forbidden: bot was blocked by the user', { token: botToken, times: 1 });
    const refused = await t.owner.post(`/api/conversations/${conv.id}/messages`, { text: 'refused' });
    await eventually(async () => (await statusOf(conv.id, refused.body.id)) === 'failed');

    const listed = (await t.owner.get(`/api/dead-letters?channelId=${channelId}`)).body as Listed;
    expect(listed.total).toBe(2);
    expect(listed.uncertain).toBe(1);
    expect(listed.items.find((d) => d.messageId === uncertainId)).toMatchObject({
      status: 'uncertain',
      failureReason: expect.stringContaining('may already have it'),
    });

    // Naming it without confirming: refused, nothing queued.
    const unconfirmed = await t.owner.post('/api/dead-letters/retry', { messageIds: [uncertainId, refused.body.id] });
    expect(unconfirmed.status).toBe(409);
    expect(unconfirmed.body.error).toMatchObject({ code: 'delivery_uncertain', details: { messageIds: [uncertainId] } });
    expect(await statusOf(conv.id, refused.body.id)).toBe('failed');

    // "Retry all" sends the refused one again and leaves the uncertain one alone.
    expect((await t.owner.post('/api/dead-letters/retry', { all: true, channelId })).body).toEqual({ affected: 1 });
    await eventually(async () => (await statusOf(conv.id, refused.body.id)) === 'sent');
    expect(await statusOf(conv.id, uncertainId)).toBe('uncertain');
    expect(sentTexts(botToken)).toEqual(['maybe delivered', 'refused']);

    // The operator checked the chat and confirms: it goes out once more, and the audit says so.
    const confirmed = await t.owner.post('/api/dead-letters/retry', { messageIds: [uncertainId], confirmUncertain: true });
    expect(confirmed.body).toEqual({ affected: 1 });
    await eventually(async () => (await statusOf(conv.id, uncertainId)) === 'sent');
    expect(sentTexts(botToken)).toEqual(['maybe delivered', 'refused', 'maybe delivered']);
    const audit = (await t.owner.get('/api/audit')).body.items.find(
      (e: { action: string; details: { messageIds?: string[] } }) =>
        e.action === 'dead_letters.retried' && e.details.messageIds?.[0] === uncertainId,
    );
    expect(audit.details).toMatchObject({ count: 1, confirmUncertain: true });
  });

  it('"retry all" with confirmation includes them; discarding needs no confirmation', async () => {
    const a = await channelWithCustomer();
    const first = await interruptedReply(a.conv.id, 'first');
    expect((await t.owner.post('/api/dead-letters/retry', { all: true, channelId: a.channelId, confirmUncertain: true })).body).toEqual({
      affected: 1,
    });
    await eventually(async () => (await statusOf(a.conv.id, first)) === 'sent');

    const b = await channelWithCustomer();
    const second = await interruptedReply(b.conv.id, 'second');
    expect((await t.owner.post('/api/dead-letters/discard', { messageIds: [second] })).body).toEqual({ affected: 1 });
    expect(await statusOf(b.conv.id, second)).toBe('discarded');
  });
});
