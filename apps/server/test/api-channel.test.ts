import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from './support/api-client.js';
import { eventually, signInNewAccount, startTestApp, type TestApp } from './support/harness.js';
import { verify, WebhookReceiver, type ReceivedHook } from './fakes/webhook-receiver.js';

let t: TestApp;
let receiver: WebhookReceiver;
let seq = 0;

// Test-sized retry schedule: 1 s between attempts, a 10 s window instead of 24 h.
beforeAll(async () => {
  receiver = await new WebhookReceiver().start();
  t = await startTestApp({ env: { WEBHOOK_RETRY_DELAYS: '1', WEBHOOK_WINDOW_SECONDS: '10', WEBHOOK_TIMEOUT_MS: '3000' } });
});
afterAll(async () => {
  await t?.stop();
  await receiver?.stop();
});

async function tokenOf(client: ApiClient): Promise<ApiClient> {
  const res = await client.post('/api/tokens', { name: `backend ${++seq}` });
  expect(res.status).toBe(201);
  return client.withToken(res.body.token as string);
}

/** An API channel whose replies go to `path` on the receiver, and the secret they are signed with. */
async function apiChannel(path: string, config: Record<string, unknown> = {}) {
  const res = await t.owner.post('/api/channels', {
    type: 'api',
    name: `Shop backend ${++seq}`,
    config: { callbackUrl: `${receiver.url}${path}`, ...config },
  });
  expect(res.status).toBe(201);
  const secret = await t.owner.post(`/api/channels/${res.body.id}/callback-secret`);
  expect(secret.status).toBe(200);
  return {
    channel: res.body as { id: string; config: Record<string, unknown> },
    secret: secret.body.secret as string,
    endpointId: secret.body.id as string,
  };
}

function customerMessage(overrides: Record<string, unknown> = {}) {
  return {
    messageId: `crm-${++seq}`,
    contact: { externalId: 'client-42', name: 'Anna' },
    text: 'Hello, is the sofa in stock?',
    ...overrides,
  };
}

async function messagesOf(conversationId: string) {
  return (await t.owner.get(`/api/conversations/${conversationId}/messages`)).body.items as {
    id: string;
    direction: string;
    authorType: string;
    text: string;
    status: string;
    failureReason: string | null;
  }[];
}

/** The operator answers in the inbox; returns the reply's id. */
async function reply(conversationId: string, text: string): Promise<string> {
  const res = await t.owner.post(`/api/conversations/${conversationId}/messages`, { text });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

const outboundFor = (path: string, messageId: string): ReceivedHook[] =>
  receiver.at(path, 'message.outbound').filter((h) => h.body.data.messageId === messageId);

describe('API channel', () => {
  it('is created with a callback URL and tells where to post messages', async () => {
    const { channel } = await apiChannel('/created');
    expect(channel.config.inboundUrl).toBe(`${t.url}/api/channels/${channel.id}/messages`);
    expect(channel.config.callbackUrl).toBe(`${receiver.url}/created`);
    const bad = await t.owner.post('/api/channels', { type: 'api', name: 'X', config: { callbackUrl: 'ftp://example.com/x' } });
    expect(bad.status).toBe(400);
    // The channel's endpoint is listed with the account's webhooks, managed by the channel.
    const list = (await t.owner.get('/api/webhooks')).body.items as { channelId: string | null; id: string; events: string[] }[];
    const own = list.find((e) => e.channelId === channel.id)!;
    expect(own.events).toEqual(['message.outbound']);
    expect((await t.owner.delete(`/api/webhooks/${own.id}`)).status).toBe(409);
    expect((await t.owner.patch(`/api/webhooks/${own.id}`, { url: 'https://example.com/elsewhere' })).status).toBe(409);
  });

  it('refuses a missing or wrong token (401), a session (403), another account’s token and other channel types (404)', async () => {
    const { channel } = await apiChannel('/auth');
    const path = `/api/channels/${channel.id}/messages`;
    expect((await t.anonymous().post(path, customerMessage())).status).toBe(401);
    const wrong = await t.anonymous().withToken('sb_not-a-real-token').post(path, customerMessage());
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('unauthenticated');
    expect((await t.owner.post(path, customerMessage())).status).toBe(403);

    const other = await signInNewAccount(t, { email: `other${++seq}@example.com`, password: 'other-password-1' });
    const foreign = await (await tokenOf(other)).post(path, customerMessage());
    expect(foreign.status).toBe(404);

    const api = await tokenOf(t.owner);
    const tg = await t.owner.post('/api/channels', {
      type: 'telegram',
      name: 'Bot',
      config: { botToken: t.telegram.addBot(), mode: 'webhook' },
    });
    expect((await api.post(`/api/channels/${tg.body.id}/messages`, customerMessage())).status).toBe(404);
    expect((await api.post(path, { ...customerMessage(), text: '' })).status).toBe(400);

    // Nothing of the refused posts was stored.
    const conversations = (await t.owner.get('/api/conversations?status=all')).body.items as { channelId: string }[];
    expect(conversations.filter((c) => c.channelId === channel.id)).toEqual([]);
  });

  it('stores a message once per messageId (a retried post is a no-op)', async () => {
    const { channel } = await apiChannel('/dedup');
    const api = await tokenOf(t.owner);
    const body = customerMessage();
    const first = await api.post(`/api/channels/${channel.id}/messages`, body);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ id: expect.any(String), conversationId: expect.any(String), duplicate: false });
    const again = await api.post(`/api/channels/${channel.id}/messages`, { ...body, text: 'changed' });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ ...first.body, duplicate: true });
    const msgs = await messagesOf(first.body.conversationId as string);
    expect(msgs.map((m) => m.text)).toEqual(['Hello, is the sofa in stock?']);

    // Same contact, another thread: its own conversation.
    const threaded = await api.post(`/api/channels/${channel.id}/messages`, customerMessage({ threadKey: 'order-7' }));
    expect(threaded.body.conversationId).not.toBe(first.body.conversationId);
  });

  it('full loop: posted message → operator reply → signed message.outbound at the callback → sent', async () => {
    const { channel, secret } = await apiChannel('/loop');
    const api = await tokenOf(t.owner);
    const posted = await api.post(`/api/channels/${channel.id}/messages`, customerMessage({ threadKey: 'order-9' }));
    const conversationId = posted.body.conversationId as string;
    const conv = (await t.owner.get(`/api/conversations/${conversationId}`)).body;
    expect(conv.contact).toMatchObject({ externalId: 'client-42', name: 'Anna' });

    const replyId = await reply(conversationId, 'Yes, it is. Delivery tomorrow?');
    const [hook] = await eventually(() => {
      const got = outboundFor('/loop', replyId);
      return got.length ? got : null;
    }, 20_000);
    expect(verify(secret, hook!)).toBe(true);
    expect(hook!.headers['x-switchboard-event']).toBe('message.outbound');
    const me = (await t.owner.get('/api/auth/session')).body.user;
    expect(hook!.body).toEqual({
      id: `msg_${replyId}`,
      type: 'message.outbound',
      createdAt: expect.any(String),
      accountId: me.accountId,
      data: {
        messageId: replyId,
        channelId: channel.id,
        conversationId,
        contact: { externalId: 'client-42' },
        threadKey: 'order-9',
        text: 'Yes, it is. Delivery tomorrow?',
        authorType: 'operator',
      },
    });
    await eventually(async () => (await messagesOf(conversationId)).find((m) => m.id === replyId)?.status === 'sent', 20_000, 'sent');

    // The attempt is in the channel endpoint's delivery log.
    const endpoint = ((await t.owner.get('/api/webhooks')).body.items as { id: string; channelId: string }[]).find(
      (e) => e.channelId === channel.id,
    )!;
    const log = (await t.owner.get(`/api/webhooks/${endpoint.id}/deliveries`)).body.items;
    expect(log[0]).toMatchObject({
      eventType: 'message.outbound',
      eventId: `msg_${replyId}`,
      status: 'delivered',
      attempts: 1,
      lastStatusCode: 200,
    });
  });

  it('retries a receiver answering 4xx/5xx, showing why, until it accepts', async () => {
    receiver.script('/flaky', [400, 503]);
    const { channel } = await apiChannel('/flaky');
    const api = await tokenOf(t.owner);
    const posted = await api.post(`/api/channels/${channel.id}/messages`, customerMessage());
    const replyId = await reply(posted.body.conversationId as string, 'On its way');

    const retrying = await eventually(async () => {
      const m = (await messagesOf(posted.body.conversationId as string)).find((x) => x.id === replyId);
      return m?.failureReason ? m : null;
    }, 20_000);
    expect(retrying.failureReason).toMatch(/Callback delivery failed: http_(400|503): answered HTTP (400|503)/);
    expect(retrying).toMatchObject({
      status: 'queued',
      failureCode: expect.stringMatching(/^(temporary|rate_limited)$/),
      retryAt: expect.any(String),
    });
    await eventually(
      async () => (await messagesOf(posted.body.conversationId as string)).find((m) => m.id === replyId)?.status === 'sent',
      30_000,
      'sent',
    );
    expect(outboundFor('/flaky', replyId).map((h) => h.status)).toEqual([400, 503, 200]);
    const final = (await messagesOf(posted.body.conversationId as string)).find((m) => m.id === replyId)!;
    expect(final.failureReason).toBeNull();
  });

  it('fails the reply visibly when the receiver keeps failing past the window; a retry sends it once it is back', async () => {
    receiver.script('/down', [], 500);
    const { channel, endpointId } = await apiChannel('/down');
    const api = await tokenOf(t.owner);
    const posted = await api.post(`/api/channels/${channel.id}/messages`, customerMessage());
    const conversationId = posted.body.conversationId as string;
    const replyId = await reply(conversationId, 'Are you there?');

    const failed = await eventually(
      async () => {
        const m = (await messagesOf(conversationId)).find((x) => x.id === replyId);
        return m?.status === 'failed' ? m : null;
      },
      60_000,
      'the reply to fail',
    );
    expect(failed.failureReason).toMatch(/^Callback delivery failed: http_500: answered HTTP 500 \(gave up after \d+ attempts\)$/);
    const attempts = outboundFor('/down', replyId).length;
    expect(attempts).toBeGreaterThanOrEqual(2);
    const [dead] = (await t.owner.get(`/api/webhooks/${endpointId}/deliveries?status=dead`)).body.items;
    expect(dead).toMatchObject({ eventId: `msg_${replyId}`, lastStatusCode: 500, attempts });
    // No retry storm after giving up.
    await new Promise((r) => setTimeout(r, 2_500));
    expect(outboundFor('/down', replyId)).toHaveLength(attempts);

    // The receiver is back: "Redeliver" on the delivery sends the message again, and it ends sent.
    receiver.script('/down', [], 200);
    expect((await t.owner.post(`/api/webhooks/deliveries/${dead.id}/redeliver`)).status).toBe(200);
    await eventually(
      async () => (await messagesOf(conversationId)).find((m) => m.id === replyId)?.status === 'sent',
      30_000,
      'sent after redelivery',
    );
  });

  it('a 410 Gone from the callback fails the reply at once', async () => {
    receiver.script('/gone', [], 410);
    const { channel } = await apiChannel('/gone');
    const api = await tokenOf(t.owner);
    const posted = await api.post(`/api/channels/${channel.id}/messages`, customerMessage());
    const replyId = await reply(posted.body.conversationId as string, 'Hello?');
    const failed = await eventually(async () => {
      const m = (await messagesOf(posted.body.conversationId as string)).find((x) => x.id === replyId);
      return m?.status === 'failed' ? m : null;
    }, 20_000);
    expect(failed.failureReason).toMatch(/410 Gone/);
    expect(outboundFor('/gone', replyId)).toHaveLength(1);
  });

  it('the AI first line answers a posted message through the callback', async () => {
    const { channel, secret } = await apiChannel('/bot', { assistant: { enabled: true } });
    const api = await tokenOf(t.owner);
    const posted = await api.post(`/api/channels/${channel.id}/messages`, customerMessage({ text: 'Hi! What are your opening hours?' }));
    const [hook] = await eventually(
      () => {
        const got = receiver.at('/bot', 'message.outbound').filter((h) => h.body.data.conversationId === posted.body.conversationId);
        return got.length ? got : null;
      },
      30_000,
      'the assistant’s turn at the callback',
    );
    expect(verify(secret, hook!)).toBe(true);
    expect(hook!.body.data).toMatchObject({ authorType: 'bot', contact: { externalId: 'client-42' } });
  });

  it('moves the callback with the channel: a new URL gets the next replies; deleting the channel removes it', async () => {
    const { channel, secret } = await apiChannel('/old');
    const res = await t.owner.patch(`/api/channels/${channel.id}`, { config: { callbackUrl: `${receiver.url}/new` } });
    expect(res.status).toBe(200);
    const api = await tokenOf(t.owner);
    const posted = await api.post(`/api/channels/${channel.id}/messages`, customerMessage());
    const replyId = await reply(posted.body.conversationId as string, 'Moved');
    const [hook] = await eventually(() => {
      const got = outboundFor('/new', replyId);
      return got.length ? got : null;
    }, 20_000);
    expect(verify(secret, hook!)).toBe(true);
    expect(outboundFor('/old', replyId)).toEqual([]);

    // Deleting the channel removes its endpoint.
    expect((await t.owner.delete(`/api/channels/${channel.id}`)).status).toBe(204);
    const list = (await t.owner.get('/api/webhooks')).body.items as { channelId: string | null }[];
    expect(list.filter((e) => e.channelId === channel.id)).toEqual([]);
  });
});
