import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestApp, type TestApp } from './support/harness.js';

/*
 * A reply that failed once and waits for its next attempt is not invisible: it carries a reason code
 * (worded by the UI in the reader's language) and the time of the next attempt, it is listed with the
 * undelivered replies while it waits, and "retry now" sends it at once instead of at its backoff time.
 */

let t: TestApp;
beforeAll(async () => {
  // Long backoff: without "retry now" the second attempt would come ten minutes later.
  t = await startTestApp({ roles: 'api,worker', env: { SEND_RETRY_DELAY_SECONDS: '600' } });
});
afterAll(() => t?.stop());

interface Listed {
  items: { messageId: string; status: string; failureCode: string | null; failureReason: string | null; retryAt: string | null }[];
  total: number;
  retrying: number;
}

describe('replies being retried', () => {
  it('are listed with a code and the next attempt, and "retry now" sends them at once', async () => {
    const botToken = t.telegram.addBot();
    const channel = await t.owner.post('/api/channels', { type: 'telegram', name: 'Retry bot', config: { botToken, mode: 'webhook' } });
    expect(await t.telegram.deliver(botToken, t.telegram.textUpdate(botToken, { chatId: 9901, text: 'привет' }))).toBe(200);
    const conv = await eventually(async () => {
      const l = (await t.owner.get('/api/conversations?status=all&limit=50')).body.items as { id: string; channelId: string }[];
      return l.find((c) => c.channelId === channel.body.id);
    });

    t.telegram.fail('sendMessage', 502, 'Bad Gateway', { token: botToken, times: 1 });
    const reply = await t.owner.post(`/api/conversations/${conv.id}/messages`, { text: 'Ответ' });
    const waiting = await eventually(
      async () => {
        const list = (await t.owner.get(`/api/dead-letters?channelId=${channel.body.id}`)).body as Listed;
        return list.items.find((d) => d.messageId === reply.body.id);
      },
      15_000,
      'the retrying reply listed',
    );
    expect(waiting).toMatchObject({ status: 'queued', failureCode: 'temporary', failureReason: expect.stringContaining('Bad Gateway') });
    expect(Date.parse(waiting.retryAt!)).toBeGreaterThan(Date.now() + 60_000);
    const list = (await t.owner.get(`/api/dead-letters?channelId=${channel.body.id}`)).body as Listed;
    expect(list).toMatchObject({ total: 1, retrying: 1 });
    const messages = (await t.owner.get(`/api/conversations/${conv.id}/messages`)).body.items as { id: string; failureCode: string }[];
    expect(messages.find((m) => m.id === reply.body.id)?.failureCode).toBe('temporary');

    const sentBefore = t.telegram.sent.filter((s) => s.token === botToken).length;
    expect((await t.owner.post('/api/dead-letters/retry', { messageIds: [reply.body.id] })).body).toEqual({ affected: 1 });
    await eventually(
      async () =>
        ((await t.owner.get(`/api/conversations/${conv.id}/messages`)).body.items as { id: string; status: string }[]).find(
          (m) => m.id === reply.body.id,
        )?.status === 'sent',
      15_000,
      'sent after retry now',
    );
    // Sent once: the waiting job was brought forward, not doubled.
    await new Promise((r) => setTimeout(r, 1500));
    expect(t.telegram.sent.filter((s) => s.token === botToken).length).toBe(sentBefore + 1);
    const after = (await t.owner.get(`/api/dead-letters?channelId=${channel.body.id}`)).body as Listed;
    expect(after).toMatchObject({ total: 0, retrying: 0 });
    const sent = ((await t.owner.get(`/api/conversations/${conv.id}/messages`)).body.items as Record<string, unknown>[]).find(
      (m) => m.id === reply.body.id,
    );
    expect(sent).toMatchObject({ failureReason: null, failureCode: null, retryAt: null });
  });
});
