import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeGreenApi, type GreenInstance } from './fakes/green-api.js';
import { conversationReader } from './support/conversations.js';
import { eventually, startTestApp, type TestApp } from './support/harness.js';

let t: TestApp;
let green: FakeGreenApi;
beforeAll(async () => {
  green = await new FakeGreenApi().start();
  t = await startTestApp({ env: { GREENAPI_API_ROOT: green.url, SEND_MAX_ATTEMPTS: '3' } });
});
afterAll(async () => {
  await t?.stop();
  await green?.stop();
});

async function channelFor(i: GreenInstance, mode: 'webhook' | 'polling' = 'webhook') {
  const res = await t.owner.post('/api/channels', {
    type: 'green_api',
    name: `Green ${i.idInstance}`,
    config: { idInstance: i.idInstance, apiTokenInstance: i.apiTokenInstance, mode },
  });
  expect(res.status).toBe(201);
  return res.body;
}

const { conversationOf, messages, messageById } = conversationReader(() => t.owner);

/** A webhook-mode channel with one customer message in it. */
async function conversationWithCustomer(chatId: string) {
  const i = green.addInstance();
  const channel = await channelFor(i);
  expect(await green.deliver(i, green.incomingText(i, { chatId, text: 'Добрый день' }))).toBe(200);
  const conv = await eventually(() => conversationOf(channel.id, chatId), 10_000, 'the conversation');
  return { i, channel, conv };
}

async function failedMessage(conversationId: string, id: string) {
  return eventually(async () => {
    const m = await messageById(conversationId, id);
    return m.status === 'failed' && m;
  });
}

const sendCalls = (i: GreenInstance) => green.callsOf('sendMessage', i.idInstance);

describe('Green-API channel', () => {
  it('connects in webhook mode: checks the instance state and points notifications at us with a token', async () => {
    const i = green.addInstance();
    const channel = await channelFor(i);
    expect(channel.status).toBe('connected');
    expect(JSON.stringify(channel)).not.toContain(i.apiTokenInstance);
    expect(channel.config).toMatchObject({
      idInstance: i.idInstance,
      mode: 'webhook',
      webhookUrl: `${t.url}/webhooks/green_api/${channel.id}`,
    });
    expect(i.settings).toMatchObject({
      webhookUrl: `${t.url}/webhooks/green_api/${channel.id}`,
      webhookUrlToken: expect.stringMatching(/^[A-Za-z0-9_-]{32,}$/),
      incomingWebhook: 'yes',
      outgoingWebhook: 'yes',
      stateWebhook: 'yes',
    });
    expect(JSON.stringify(channel)).not.toContain(i.settings.webhookUrlToken);
  });

  it('rejects credentials Green-API refuses with 422; an instance without a linked phone asks for the QR code', async () => {
    const i = green.addInstance();
    const bad = await t.owner.post('/api/channels', {
      type: 'green_api',
      name: 'X',
      config: { idInstance: i.idInstance, apiTokenInstance: 'wrong-token-wrong-token' },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.error.code).toBe('provider_rejected');
    expect(bad.body.error.message).toContain(i.idInstance);

    const unlinked = green.addInstance('notAuthorized');
    const channel = await channelFor(unlinked);
    expect(channel.status).toBe('auth_failed');
    expect(channel.statusReason).toMatch(/scan the QR code/);
    // Once the phone is linked, Green-API's state notification brings the channel back.
    expect(
      await green.deliver(unlinked, {
        typeWebhook: 'stateInstanceChanged',
        instanceData: { idInstance: Number(unlinked.idInstance) },
        timestamp: 1,
        stateInstance: 'authorized',
      }),
    ).toBe(200);
    expect((await t.owner.get(`/api/channels/${channel.id}`)).body.status).toBe('connected');
  });

  it('rejects a missing or wrong webhook token with 401 and stores nothing; a bare token is accepted', async () => {
    const i = green.addInstance();
    const channel = await channelFor(i);
    const body = green.incomingText(i, { chatId: '79002220001@c.us', text: 'hello?' });
    expect(await green.deliver(i, body, { token: null })).toBe(401);
    expect(await green.deliver(i, body, { token: 'wrong-token-wrong-token-wrong-token' })).toBe(401);
    expect(await conversationOf(channel.id, '79002220001@c.us')).toBeUndefined();
    const bare = await fetch(i.settings.webhookUrl!, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: i.settings.webhookUrlToken! },
      body: JSON.stringify(body),
    });
    expect(bare.status).toBe(200);
    const conv = await conversationOf(channel.id, '79002220001@c.us');
    expect(conv).toBeDefined();
    expect((await messages(conv.id)).map((m) => m.text)).toEqual(['hello?']);
  });

  it('stores a replayed notification once, with the sender name; other notification types are acknowledged', async () => {
    const i = green.addInstance();
    const channel = await channelFor(i);
    const body = green.incomingText(i, { chatId: '79002220002@c.us', text: 'Где мой заказ?', senderName: 'Мария' });
    expect(await green.deliver(i, body)).toBe(200);
    expect(await green.deliver(i, body)).toBe(200);
    expect(await green.deliver(i, { typeWebhook: 'incomingCall', instanceData: { idInstance: Number(i.idInstance) }, from: 'x' })).toBe(
      200,
    );
    const conv = await conversationOf(channel.id, '79002220002@c.us');
    expect(conv.contact).toMatchObject({ name: 'Мария', username: '+79002220002' });
    expect((await messages(conv.id)).map((m) => m.text)).toEqual(['Где мой заказ?']);
    // A notification of another instance, even with the right token, is ignored.
    const foreign = green.addInstance();
    expect(await green.deliver(i, green.incomingText(foreign, { chatId: '79002220003@c.us', text: 'x' }))).toBe(200);
    expect(await conversationOf(channel.id, '79002220003@c.us')).toBeUndefined();
  });

  it('full loop: inbound → operator reply → Green-API receives it → delivered and read statuses follow', async () => {
    const { i, conv } = await conversationWithCustomer('79002220004@c.us');
    const reply = await t.owner.post(`/api/conversations/${conv.id}/messages`, { text: 'Добрый! Чем помочь?' });
    expect(reply.status).toBe(201);
    const sent = await eventually(() => green.sent.find((s) => s.idInstance === i.idInstance), 10_000, 'sendMessage');
    expect(sent).toMatchObject({ chatId: '79002220004@c.us', message: 'Добрый! Чем помочь?' });
    await eventually(async () => (await messageById(conv.id, reply.body.id)).status === 'sent', 10_000, 'sent');
    const status = (s: string) => green.outgoingStatus(i, { chatId: sent.chatId, idMessage: sent.idMessage, status: s });
    expect(await green.deliver(i, status('delivered'))).toBe(200);
    expect((await messageById(conv.id, reply.body.id)).status).toBe('delivered');
    expect(await green.deliver(i, status('read'))).toBe(200);
    expect((await messageById(conv.id, reply.body.id)).status).toBe('read');
  });

  it('failed and noAccount statuses fail the message with a readable reason', async () => {
    const { i, conv } = await conversationWithCustomer('79002220005@c.us');
    const a = await t.owner.post(`/api/conversations/${conv.id}/messages`, { text: 'one' });
    const b = await t.owner.post(`/api/conversations/${conv.id}/messages`, { text: 'two' });
    await eventually(() => green.sent.filter((s) => s.idInstance === i.idInstance).length === 2, 15_000, 'two sends');
    const [first, second] = green.sent.filter((s) => s.idInstance === i.idInstance);
    await eventually(async () => (await messages(conv.id)).filter((m) => m.status === 'sent').length === 2, 10_000, 'both sent');
    await green.deliver(
      i,
      green.outgoingStatus(i, {
        chatId: first!.chatId,
        idMessage: first!.idMessage,
        status: 'failed',
        description: 'Phone is offline too long',
      }),
    );
    await green.deliver(i, green.outgoingStatus(i, { chatId: second!.chatId, idMessage: second!.idMessage, status: 'noAccount' }));
    expect((await messageById(conv.id, a.body.id)).failureReason).toBe('WhatsApp (Green-API): Phone is offline too long');
    expect((await messageById(conv.id, b.body.id)).failureReason).toBe('This phone number has no WhatsApp account');
  });

  it('401 on send marks the channel auth_failed and fails the message with the reason', async () => {
    const { i, channel, conv } = await conversationWithCustomer('79002220006@c.us');
    i.revoked = true;
    const reply = await t.owner.post(`/api/conversations/${conv.id}/messages`, { text: 'x' });
    const failed = await failedMessage(conv.id, reply.body.id);
    expect(failed.failureReason).toBe('Green-API: Unauthorized');
    const ch = await t.owner.get(`/api/channels/${channel.id}`);
    expect(ch.body.status).toBe('auth_failed');
    expect(sendCalls(i)).toHaveLength(1);
  });

  it('429 honours Retry-After and 503 is retried, then each message is delivered once', async () => {
    const { i, conv } = await conversationWithCustomer('79002220007@c.us');
    green.fail('sendMessage', { idInstance: i.idInstance, status: 429, body: 'Too Many Requests', retryAfter: 2 });
    const first = await t.owner.post(`/api/conversations/${conv.id}/messages`, { text: 'one' });
    const limited = await eventually(async () => {
      const m = await messageById(conv.id, first.body.id);
      return m.failureCode === 'rate_limited' && Date.parse(m.retryAt ?? '') - Date.now() < 3_000 && m;
    });
    expect(limited.status).toBe('queued');
    await eventually(async () => (await messageById(conv.id, first.body.id)).status === 'sent', 15_000, 'first sent');
    let calls = sendCalls(i);
    expect(calls.map((c) => c.status)).toEqual([429, 200]);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(1900);

    green.fail('sendMessage', { idInstance: i.idInstance, status: 503, body: 'Service Unavailable' });
    const second = await t.owner.post(`/api/conversations/${conv.id}/messages`, { text: 'two' });
    await eventually(async () => (await messageById(conv.id, second.body.id)).status === 'sent', 20_000, 'second sent');
    calls = sendCalls(i);
    expect(calls.map((c) => c.status)).toEqual([429, 200, 503, 200]);
    expect(green.sent.filter((s) => s.idInstance === i.idInstance).map((s) => s.message)).toEqual(['one', 'two']);
  });

  it('quota exceeded (466) and a rejected request (400) fail in one attempt with the reason', async () => {
    const { i, conv } = await conversationWithCustomer('79002220008@c.us');
    i.correspondents = { limit: 0, chats: new Set() };
    const quota = await t.owner.post(`/api/conversations/${conv.id}/messages`, { text: 'one' });
    const q = await failedMessage(conv.id, quota.body.id);
    expect(q.failureReason).toMatch(/^Green-API quota exceeded: Monthly quota has been exceeded/);
    delete i.correspondents;

    green.fail('sendMessage', {
      idInstance: i.idInstance,
      status: 400,
      body: { code: 400, message: 'Validation failed. Details: chatId is invalid' },
    });
    const bad = await t.owner.post(`/api/conversations/${conv.id}/messages`, { text: 'two' });
    const b = await failedMessage(conv.id, bad.body.id);
    expect(b.failureReason).toBe('Green-API: Validation failed. Details: chatId is invalid');
    await new Promise((r) => setTimeout(r, 2500));
    expect(sendCalls(i).map((c) => c.status)).toEqual([466, 400]);
  });

  it('polling mode: clears the webhook URL, receives notifications, stores them, then deletes them', async () => {
    const i = green.addInstance();
    i.settings.webhookUrl = 'https://old.example/hook';
    const channel = await channelFor(i, 'polling');
    expect(channel.status).toBe('connected');
    expect(channel.config.webhookUrl).toBeUndefined();
    expect(i.settings.webhookUrl).toBe('');
    green.enqueue(i, green.incomingText(i, { chatId: '79002220009@c.us', text: 'по опросу', senderName: 'Олег' }));
    const conv = await eventually(() => conversationOf(channel.id, '79002220009@c.us'), 20_000, 'the polled message');
    expect(conv.contact.name).toBe('Олег');
    await eventually(() => i.queue.length === 0, 10_000, 'the notification deleted');
    expect((await messages(conv.id)).map((m) => m.text)).toEqual(['по опросу']);
    const ch = await eventually(async () => {
      const c = (await t.owner.get(`/api/channels/${channel.id}`)).body;
      return c.lastPolledAt && c;
    });
    expect(ch.status).toBe('connected');

    // Statuses come through the queue too.
    const reply = await t.owner.post(`/api/conversations/${conv.id}/messages`, { text: 'ответ' });
    const sent = await eventually(() => green.sent.find((s) => s.idInstance === i.idInstance), 10_000, 'sendMessage');
    await eventually(async () => (await messageById(conv.id, reply.body.id)).status === 'sent', 10_000, 'sent');
    green.enqueue(i, green.outgoingStatus(i, { chatId: sent.chatId, idMessage: sent.idMessage, status: 'read' }));
    await eventually(async () => (await messageById(conv.id, reply.body.id)).status === 'read', 10_000, 'read via the queue');
  });

  it('polling mode: a message is kept (once) when deleting its notification fails, and the delete is retried', async () => {
    const i = green.addInstance();
    const channel = await channelFor(i, 'polling');
    green.fail('deleteNotification', { idInstance: i.idInstance, status: 500, body: 'Internal Server Error' });
    green.enqueue(i, green.incomingText(i, { chatId: '79002220010@c.us', text: 'не потеряйся' }));
    const conv = await eventually(() => conversationOf(channel.id, '79002220010@c.us'), 20_000, 'the polled message');
    await eventually(() => i.queue.length === 0, 20_000, 'the notification deleted on a later round');
    const deletes = green.callsOf('deleteNotification', i.idInstance);
    expect(deletes.map((c) => c.status)).toEqual([500, 200]);
    // The same notification was received again after the failed delete; the dedup key dropped the repeat.
    expect(green.callsOf('receiveNotification', i.idInstance).length).toBeGreaterThanOrEqual(2);
    expect((await messages(conv.id)).map((m) => m.text)).toEqual(['не потеряйся']);
    await eventually(async () => (await t.owner.get(`/api/channels/${channel.id}`)).body.status === 'connected', 10_000, 'lag cleared');
  });

  it('polling mode: a revoked token marks the channel auth_failed with the reason and its loop stops', async () => {
    const i = green.addInstance();
    const channel = await channelFor(i, 'polling');
    i.revoked = true;
    // Ends a long poll already waiting (it was let in before the revocation).
    green.enqueue(i, green.incomingText(i, { chatId: '79002220011@c.us', text: 'до отзыва' }));
    const failed = await eventually(
      async () => {
        const c = (await t.owner.get(`/api/channels/${channel.id}`)).body;
        return c.status === 'auth_failed' && c;
      },
      30_000,
      'auth_failed',
    );
    expect(failed.statusReason).toBe('Green-API: Unauthorized');
    await t.running.pollers!.rescan();
    await eventually(() => !t.running.pollers!.active.includes(channel.id), 10_000, 'the loop stopped');
    // Refused once: the loop waited to be stopped instead of asking again with the same token.
    expect(green.calls.filter((c) => c.idInstance === i.idInstance && c.status === 401)).toHaveLength(1);
  });
});
