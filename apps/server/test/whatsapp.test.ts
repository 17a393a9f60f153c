import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeWhatsApp, type WhatsappNumber } from './fakes/whatsapp.js';
import { conversationReader } from './support/conversations.js';
import { eventually, startTestApp, type TestApp } from './support/harness.js';

const WINDOW_REASON = 'More than 24 hours have passed since the customer last replied: WhatsApp only allows template messages now';

let t: TestApp;
let meta: FakeWhatsApp;
beforeAll(async () => {
  meta = await new FakeWhatsApp().start();
  t = await startTestApp({ env: { WHATSAPP_API_ROOT: meta.apiRoot, SEND_MAX_ATTEMPTS: '3' } });
});
afterAll(async () => {
  await t?.stop();
  await meta?.stop();
});

/** A channel for a new number, with the webhook saved in the "Meta dashboard" (verified). */
async function connectedChannel(n: WhatsappNumber = meta.addNumber()) {
  const res = await t.owner.post('/api/channels', {
    type: 'whatsapp_cloud',
    name: `WA ${n.phoneNumberId}`,
    config: { phoneNumberId: n.phoneNumberId, accessToken: n.accessToken, appSecret: n.appSecret },
  });
  expect(res.status).toBe(201);
  const verified = await meta.configureWebhook(n.phoneNumberId, res.body.config.webhookUrl, res.body.config.verifyToken);
  expect(verified.status).toBe(200);
  return { n, channel: res.body };
}

const { conversationOf, messages, messageById } = conversationReader(() => t.owner);

/** A customer wrote in; returns the conversation. */
async function customerWrote(n: WhatsappNumber, channelId: string, from: string, text = 'Здравствуйте!') {
  expect(await meta.deliver(n, meta.textMessage(n, { from, text }))).toBe(200);
  return eventually(() => conversationOf(channelId, from), 10_000, 'the conversation');
}

const sendCalls = (n: WhatsappNumber) => meta.calls.filter((c) => c.path.endsWith(`/${n.phoneNumberId}/messages`));

describe('WhatsApp Cloud channel', () => {
  it('connects: checks the number, returns the callback URL and verify token, and waits for the dashboard step', async () => {
    const n = meta.addNumber('Мебель Плюс');
    const res = await t.owner.post('/api/channels', {
      type: 'whatsapp_cloud',
      name: 'WhatsApp',
      config: { phoneNumberId: n.phoneNumberId, accessToken: n.accessToken, appSecret: n.appSecret },
    });
    expect(res.status).toBe(201);
    const channel = res.body;
    expect(JSON.stringify(channel)).not.toContain(n.accessToken);
    expect(JSON.stringify(channel)).not.toContain(n.appSecret);
    expect(channel.config).toMatchObject({
      phoneNumberId: n.phoneNumberId,
      displayPhoneNumber: n.displayPhoneNumber,
      verifiedName: 'Мебель Плюс',
      webhookUrl: `${t.url}/webhooks/whatsapp_cloud/${channel.id}`,
      verifyToken: expect.stringMatching(/^[A-Za-z0-9_-]{32}$/),
    });
    expect(channel.status).toBe('webhook_not_set');
    expect(channel.statusReason).toMatch(/callback URL and verify token/);

    // Meta's verification GET: wrong token or mode → 403; the right one echoes the challenge as text.
    expect((await meta.verify(channel.config.webhookUrl, 'not-the-token')).status).toBe(403);
    expect((await meta.verify(channel.config.webhookUrl, channel.config.verifyToken, 'unsubscribe')).status).toBe(403);
    const ok = await meta.verify(channel.config.webhookUrl, channel.config.verifyToken);
    expect(ok.status).toBe(200);
    expect(ok.text).toBe(ok.challenge);
    const after = await t.owner.get(`/api/channels/${channel.id}`);
    expect(after.body.status).toBe('connected');
    expect(after.body.statusReason).toBeNull();

    // Reconnecting (new credentials) keeps the verify token and the verified status.
    const patched = await t.owner.patch(`/api/channels/${channel.id}`, { config: { accessToken: n.accessToken } });
    expect(patched.status).toBe(200);
    expect(patched.body.status).toBe('connected');
    expect(patched.body.config.verifyToken).toBe(channel.config.verifyToken);
  });

  it('rejects a token or phone number ID Meta does not accept with 422 and Meta’s message', async () => {
    const n = meta.addNumber();
    const badToken = await t.owner.post('/api/channels', {
      type: 'whatsapp_cloud',
      name: 'X',
      config: { phoneNumberId: n.phoneNumberId, accessToken: 'EAAGnot-a-real-token-at-all', appSecret: n.appSecret },
    });
    expect(badToken.status).toBe(422);
    expect(badToken.body.error.code).toBe('provider_rejected');
    expect(badToken.body.error.message).toContain('Invalid OAuth access token');
    const badNumber = await t.owner.post('/api/channels', {
      type: 'whatsapp_cloud',
      name: 'X',
      config: { phoneNumberId: '99999999999', accessToken: n.accessToken, appSecret: n.appSecret },
    });
    expect(badNumber.status).toBe(422);
    expect(badNumber.body.error.message).toContain('does not exist');
  });

  it('rejects a missing, wrong or re-serialised signature with 401 and stores nothing', async () => {
    const { n, channel } = await connectedChannel();
    const body = meta.textMessage(n, { from: '79001110001', text: 'Привет/hello' });
    expect(await meta.deliver(n, body, { signature: null })).toBe(401);
    expect(await meta.deliver(n, body, { signature: 'sha256=00' })).toBe(401);
    expect(await meta.deliver(n, body, { appSecret: 'another-apps-secret' })).toBe(401);
    // Signed over JSON.stringify of the body rather than the bytes sent (Meta escapes non-ASCII and `/`).
    expect(await meta.deliver(n, body, { signature: meta.signature(n.appSecret, JSON.stringify(body)) })).toBe(401);
    // The right signature for another channel's URL.
    const other = await connectedChannel();
    expect(await meta.deliver(n, body, { url: other.channel.config.webhookUrl })).toBe(401);
    expect(await conversationOf(channel.id, '79001110001')).toBeUndefined();
    const res = await fetch(channel.config.webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': meta.signature(n.appSecret, '{not json') },
      body: '{not json',
    });
    expect(res.status).toBe(400);
  });

  it('stores a replayed delivery once, with the profile name and the text Meta escaped', async () => {
    const { n, channel } = await connectedChannel();
    const body = meta.textMessage(n, { from: '79001110002', text: 'Где мой заказ? 📦 https://shop.example/o/1', name: 'Мария' });
    expect(await meta.deliver(n, body)).toBe(200);
    expect(await meta.deliver(n, body)).toBe(200);
    const conv = await conversationOf(channel.id, '79001110002');
    expect(conv.contact).toMatchObject({ name: 'Мария', username: '+79001110002' });
    expect((await messages(conv.id)).map((m) => m.text)).toEqual(['Где мой заказ? 📦 https://shop.example/o/1']);
    expect(conv.unreadCount).toBe(1);
  });

  it('full loop: inbound → operator reply → Meta receives it → delivered and read statuses follow', async () => {
    const { n, channel } = await connectedChannel();
    const conv = await customerWrote(n, channel.id, '79001110003', 'Is the sofa in stock?');
    const reply = await t.owner.post(`/api/conversations/${conv.id}/messages`, { text: 'Yes, we have it.' });
    expect(reply.status).toBe(201);
    const sent = await eventually(() => meta.sent.find((s) => s.phoneNumberId === n.phoneNumberId), 10_000, 'the send');
    expect(sent).toMatchObject({ to: '79001110003', text: 'Yes, we have it.' });
    expect(sendCalls(n)[0]!.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '79001110003',
      type: 'text',
      text: { body: 'Yes, we have it.' },
    });
    await eventually(async () => (await messageById(conv.id, reply.body.id)).status === 'sent', 10_000, 'sent');

    expect(await meta.deliver(n, meta.statusUpdate(n, { id: sent.id, status: 'delivered', recipient: sent.to }))).toBe(200);
    expect((await messageById(conv.id, reply.body.id)).status).toBe('delivered');
    expect(await meta.deliver(n, meta.statusUpdate(n, { id: sent.id, status: 'read', recipient: sent.to }))).toBe(200);
    // A late `delivered` after `read` changes nothing.
    expect(await meta.deliver(n, meta.statusUpdate(n, { id: sent.id, status: 'delivered', recipient: sent.to }))).toBe(200);
    expect((await messageById(conv.id, reply.body.id)).status).toBe('read');
  });

  it('a reply outside the 24-hour window fails with a clear reason (131047 in the status webhook)', async () => {
    const { n, channel } = await connectedChannel();
    const conv = await customerWrote(n, channel.id, '79001110004');
    meta.closeWindow(n.phoneNumberId, '79001110004');
    const reply = await t.owner.post(`/api/conversations/${conv.id}/messages`, { text: 'Sorry for the late answer' });
    const failed = await eventually(async () => {
      const m = await messageById(conv.id, reply.body.id);
      return m.status === 'failed' && m;
    });
    expect(failed.failureReason).toBe(WINDOW_REASON);
    expect(sendCalls(n)).toHaveLength(1);
  });

  it('131047 returned by the send itself fails the message in one attempt with the same reason', async () => {
    const { n, channel } = await connectedChannel();
    const conv = await customerWrote(n, channel.id, '79001110005');
    meta.fail('messages', {
      phoneNumberId: n.phoneNumberId,
      httpStatus: 400,
      code: 131047,
      message: '(#131047) Re-engagement message',
      details: 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
    });
    const reply = await t.owner.post(`/api/conversations/${conv.id}/messages`, { text: 'late' });
    const failed = await eventually(async () => {
      const m = await messageById(conv.id, reply.body.id);
      return m.status === 'failed' && m;
    });
    expect(failed.failureReason).toBe(WINDOW_REASON);
    await new Promise((r) => setTimeout(r, 2000));
    expect(sendCalls(n)).toHaveLength(1);
  });

  it('an expired access token (401, code 190) marks the channel auth_failed and fails the message with the reason', async () => {
    const { n, channel } = await connectedChannel();
    const conv = await customerWrote(n, channel.id, '79001110006');
    n.tokenExpired = true;
    const reply = await t.owner.post(`/api/conversations/${conv.id}/messages`, { text: 'x' });
    const failed = await eventually(async () => {
      const m = await messageById(conv.id, reply.body.id);
      return m.status === 'failed' && m;
    });
    expect(failed.failureReason).toContain('Session has expired');
    const ch = await t.owner.get(`/api/channels/${channel.id}`);
    expect(ch.body.status).toBe('auth_failed');
    expect(ch.body.statusReason).toContain('Session has expired');
    expect(sendCalls(n)).toHaveLength(1);
  });

  it('throughput limit (130429): waits the hinted time, then delivers once', async () => {
    const { n, channel } = await connectedChannel();
    const conv = await customerWrote(n, channel.id, '79001110007');
    meta.fail('messages', {
      phoneNumberId: n.phoneNumberId,
      httpStatus: 400,
      code: 130429,
      message: '(#130429) Rate limit hit',
      details: 'Cloud API message throughput has been reached.',
    });
    const reply = await t.owner.post(`/api/conversations/${conv.id}/messages`, { text: 'after the limit' });
    const limited = await eventually(async () => {
      const m = await messageById(conv.id, reply.body.id);
      return m.failureCode === 'rate_limited' && Date.parse(m.retryAt ?? '') - Date.now() < 3_000 && m;
    });
    expect(limited.status).toBe('queued');
    await eventually(async () => (await messageById(conv.id, reply.body.id)).status === 'sent', 15_000, 'sent after the wait');
    const calls = sendCalls(n);
    expect(calls.map((c) => c.status)).toEqual([400, 200]);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(1900);
    expect(meta.sent.filter((s) => s.phoneNumberId === n.phoneNumberId)).toHaveLength(1);
  });

  it('HTTP 429 honours Retry-After; 503 is retried; neither storms', async () => {
    const { n, channel } = await connectedChannel();
    const conv = await customerWrote(n, channel.id, '79001110008');
    meta.fail('messages', { phoneNumberId: n.phoneNumberId, httpStatus: 429, message: 'Too many calls', retryAfter: 3 });
    const first = await t.owner.post(`/api/conversations/${conv.id}/messages`, { text: 'one' });
    await eventually(async () => (await messageById(conv.id, first.body.id)).status === 'sent', 15_000, 'first sent');
    let calls = sendCalls(n);
    expect(calls.map((c) => c.status)).toEqual([429, 200]);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(2900);

    meta.fail('messages', {
      phoneNumberId: n.phoneNumberId,
      httpStatus: 503,
      code: 131016,
      message: '(#131016) Service unavailable',
      details: 'A service is temporarily unavailable.',
    });
    const second = await t.owner.post(`/api/conversations/${conv.id}/messages`, { text: 'two' });
    await eventually(async () => (await messageById(conv.id, second.body.id)).status === 'sent', 20_000, 'second sent');
    calls = sendCalls(n);
    expect(calls.map((c) => c.status)).toEqual([429, 200, 503, 200]);
    expect(meta.sent.filter((s) => s.phoneNumberId === n.phoneNumberId).map((s) => s.text)).toEqual(['one', 'two']);
  });

  it('a permanent error (invalid parameter) fails in one attempt with Meta’s message', async () => {
    const { n, channel } = await connectedChannel();
    const conv = await customerWrote(n, channel.id, '79001110009');
    meta.fail('messages', {
      phoneNumberId: n.phoneNumberId,
      httpStatus: 400,
      code: 131026,
      message: '(#131026) Message undeliverable',
      details: 'Unable to deliver message. Reasons can include: the recipient phone number is not a WhatsApp phone number.',
      times: 5,
    });
    const reply = await t.owner.post(`/api/conversations/${conv.id}/messages`, { text: 'x' });
    const failed = await eventually(async () => {
      const m = await messageById(conv.id, reply.body.id);
      return m.status === 'failed' && m;
    });
    expect(failed.failureReason).toBe(
      'WhatsApp: (#131026) Message undeliverable: Unable to deliver message. Reasons can include: the recipient phone number is not a WhatsApp phone number.',
    );
    await new Promise((r) => setTimeout(r, 2500));
    expect(sendCalls(n)).toHaveLength(1);
    expect((await t.owner.get(`/api/channels/${channel.id}`)).body.status).toBe('connected');
  });

  it('stores media with its caption and streams the file on demand; other types get a readable line', async () => {
    const { n, channel } = await connectedChannel();
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 9, 8, 7]);
    const mediaId = meta.addMedia(jpeg, 'image/jpeg');
    const from = '79001110010';
    const stamp = String(Math.floor(Date.now() / 1000));
    const body = meta.messagesChange(n, {
      contacts: [{ profile: { name: 'Ivan' }, wa_id: from }],
      messages: [
        { from, id: 'wamid.image-1', timestamp: stamp, type: 'image', image: { id: mediaId, mime_type: 'image/jpeg', caption: 'вот чек' } },
        { from, id: 'wamid.loc-1', timestamp: stamp, type: 'location', location: { latitude: 55.75, longitude: 37.62, name: 'Офис' } },
        { from, id: 'wamid.unsup-1', timestamp: stamp, type: 'unsupported', errors: [{ code: 131051, title: 'Message type unknown' }] },
      ],
    });
    expect(await meta.deliver(n, body)).toBe(200);
    const conv = await conversationOf(channel.id, from);
    const items = await messages(conv.id);
    expect(items.map((m) => m.text)).toEqual(['вот чек', '[location] Офис (55.75, 37.62)', '[unsupported message] Message type unknown']);
    expect(items[0]!.attachments).toEqual([{ kind: 'photo', fileId: mediaId, mimeType: 'image/jpeg' }]);
    const res = await fetch(`${t.url}/api/conversations/${conv.id}/messages/${items[0]!.id}/attachments/0`, {
      headers: { cookie: t.owner.cookie! },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await res.arrayBuffer())).toEqual(jpeg);
  });

  it('the access token goes only to a Meta download host: a media URL elsewhere is refused without calling it', async () => {
    const seen: (string | undefined)[] = [];
    const stranger = http.createServer((req, res) => {
      seen.push(req.headers.authorization);
      res.writeHead(200, { 'content-type': 'image/jpeg' }).end('x');
    });
    await new Promise<void>((resolve) => stranger.listen(0, '127.0.0.2', resolve));
    try {
      const { n, channel } = await connectedChannel();
      const url = `http://127.0.0.2:${(stranger.address() as AddressInfo).port}/media`;
      const mediaId = meta.addMedia(Buffer.from([0xff, 0xd8, 0xff]), 'image/jpeg', url);
      const from = '79001110012';
      const stamp = String(Math.floor(Date.now() / 1000));
      const image = { from, id: 'wamid.image-elsewhere', timestamp: stamp, type: 'image', image: { id: mediaId, mime_type: 'image/jpeg' } };
      expect(
        await meta.deliver(n, meta.messagesChange(n, { contacts: [{ profile: { name: 'Eve' }, wa_id: from }], messages: [image] })),
      ).toBe(200);
      const conv = await conversationOf(channel.id, from);
      const [item] = await messages(conv.id);
      const res = await t.owner.get(`/api/conversations/${conv.id}/messages/${item!.id}/attachments/0`);
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('provider_rejected');
      expect(seen).toEqual([]);
    } finally {
      stranger.close();
    }
  });

  it('a webhook for another number of the same Meta app lands in that number’s channel', async () => {
    const a = await connectedChannel();
    const sibling = meta.addNumber();
    sibling.appSecret = a.n.appSecret; // same app
    const b = await t.owner.post('/api/channels', {
      type: 'whatsapp_cloud',
      name: 'Second number',
      config: { phoneNumberId: sibling.phoneNumberId, accessToken: sibling.accessToken, appSecret: sibling.appSecret },
    });
    expect(b.status).toBe(201);
    // The app has one callback URL: channel A's. Messages to B's number arrive there.
    expect(
      await meta.deliver(sibling, meta.textMessage(sibling, { from: '79001110011', text: 'to B' }), { url: a.channel.config.webhookUrl }),
    ).toBe(200);
    const landed = await conversationOf(b.body.id, '79001110011');
    expect(landed).toBeDefined();
    expect((await messages(landed.id)).map((m) => m.text)).toEqual(['to B']);
    expect(await conversationOf(a.channel.id, '79001110011')).toBeUndefined();
  });
});
