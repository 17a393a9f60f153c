import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestApp, type TestApp } from './support/harness.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.stop());

async function webhookChannel(name = 'Shop bot') {
  const botToken = t.telegram.addBot();
  const res = await t.owner.post('/api/channels', { type: 'telegram', name, config: { botToken, mode: 'webhook' } });
  expect(res.status).toBe(201);
  return { botToken, channel: res.body };
}

async function conversationOf(chatId: number) {
  const list = await t.owner.get('/api/conversations?status=all');
  return list.body.items.find((c: { contact: { externalId: string } }) => c.contact.externalId === String(chatId));
}

describe('Telegram channel', () => {
  it('creates a webhook channel: checks the token with getMe and registers the webhook with a secret', async () => {
    const { botToken, channel } = await webhookChannel();
    expect(channel.status).toBe('connected');
    expect(JSON.stringify(channel)).not.toContain(botToken);
    expect(channel.config.botTokenHint).toMatch(/…/);
    const hook = t.telegram.bot(botToken).webhook!;
    expect(hook.url).toBe(`${t.url}/webhooks/telegram/${channel.id}`);
    expect(hook.secret).toMatch(/^[A-Za-z0-9_-]{32,}$/);
  });

  it('switching a channel to polling removes the webhook and shows no stale webhook URL', async () => {
    const { botToken, channel } = await webhookChannel();
    const res = await t.owner.patch(`/api/channels/${channel.id}`, { config: { mode: 'polling' } });
    expect(res.status).toBe(200);
    expect(res.body.config).toEqual({
      mode: 'polling',
      purpose: 'customers',
      assistant: { enabled: false },
      botUsername: expect.any(String),
      botId: expect.any(Number),
      botTokenHint: expect.any(String),
    });
    expect(t.telegram.bot(botToken).webhook).toBeUndefined();
    const audit = (await t.owner.get('/api/audit')).body.items.find((e: { action: string }) => e.action === 'channel.updated');
    expect(audit.targetId).toBe(channel.id);
  });

  it('reconnect registers the webhook again with a fresh secret; the old secret is refused', async () => {
    const { botToken, channel } = await webhookChannel();
    const oldSecret = t.telegram.bot(botToken).webhook!.secret;
    const res = await t.owner.post(`/api/channels/${channel.id}/reconnect`, {});
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('connected');
    const newSecret = t.telegram.bot(botToken).webhook!.secret;
    expect(newSecret).not.toBe(oldSecret);
    expect(await t.telegram.deliver(botToken, t.telegram.textUpdate(botToken, { chatId: 4040, text: 'old' }), { secret: oldSecret })).toBe(
      401,
    );
    expect(await t.telegram.deliver(botToken, t.telegram.textUpdate(botToken, { chatId: 4040, text: 'new' }))).toBe(200);
    expect((await t.owner.post(`/api/channels/${randomUUID()}/reconnect`, {})).status).toBe(404);
  });

  it('a reconnect the provider refuses answers 422 and leaves the channel as it was', async () => {
    const { botToken, channel } = await webhookChannel();
    const secret = t.telegram.bot(botToken).webhook!.secret;
    t.telegram.fail('getMe', 401, 'Unauthorized', { token: botToken });
    const res = await t.owner.post(`/api/channels/${channel.id}/reconnect`, {});
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'provider_rejected', message: expect.stringContaining('Unauthorized') });
    // the stored webhook secret still works: nothing was half-changed
    expect(t.telegram.bot(botToken).webhook!.secret).toBe(secret);
    expect(await t.telegram.deliver(botToken, t.telegram.textUpdate(botToken, { chatId: 4041, text: 'still here' }))).toBe(200);
    expect((await t.owner.get(`/api/channels/${channel.id}`)).body.status).toBe('connected');
  });

  it('rejects a token Telegram does not know with 422 and a clear message', async () => {
    const res = await t.owner.post('/api/channels', {
      type: 'telegram',
      name: 'X',
      config: { botToken: '123:AAAAAAAAAAAAAAAAAAAAAAAAAAAAA', mode: 'webhook' },
    });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('provider_rejected');
    expect(res.body.error.message).toMatch(/Telegram/);
  });

  it('rejects a missing or wrong secret token with 401 and stores nothing', async () => {
    const { botToken, channel } = await webhookChannel();
    const update = t.telegram.textUpdate(botToken, { chatId: 5001, text: 'hello?' });
    expect(await t.telegram.deliver(botToken, update, { secret: null })).toBe(401);
    expect(await t.telegram.deliver(botToken, update, { secret: 'wrong-secret-wrong-secret-wrong-secret' })).toBe(401);
    const res = await fetch(`${t.url}/webhooks/telegram/${channel.id.slice(0, -1)}0`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(update),
    });
    expect(res.status).toBe(401);
    expect(await conversationOf(5001)).toBeUndefined();
  });

  it('stores a replayed update once', async () => {
    const { botToken } = await webhookChannel();
    const update = t.telegram.textUpdate(botToken, { chatId: 5002, text: 'Где мой заказ?', firstName: 'Мария' });
    expect(await t.telegram.deliver(botToken, update)).toBe(200);
    expect(await t.telegram.deliver(botToken, update)).toBe(200);
    const conv = await conversationOf(5002);
    expect(conv.contact.name).toBe('Мария');
    const messages = await t.owner.get(`/api/conversations/${conv.id}/messages`);
    expect(messages.body.items.map((m: { text: string }) => m.text)).toEqual(['Где мой заказ?']);
    expect(conv.unreadCount).toBe(1);
  });

  it('keeps one contact per Telegram user and follows a changed name', async () => {
    const { botToken } = await webhookChannel();
    await t.telegram.deliver(botToken, t.telegram.textUpdate(botToken, { chatId: 5010, text: 'one', firstName: 'Katya' }));
    await t.telegram.deliver(botToken, t.telegram.textUpdate(botToken, { chatId: 5010, text: 'two', firstName: 'Ekaterina' }));
    const conv = await conversationOf(5010);
    expect(conv.contact.name).toBe('Ekaterina');
    expect(conv.unreadCount).toBe(2);
    expect(conv.lastMessagePreview).toBe('two');
    const all = (await t.owner.get('/api/conversations?status=all')).body.items.filter(
      (c: { contact: { externalId: string } }) => c.contact.externalId === '5010',
    );
    expect(all).toHaveLength(1);

    // A name a person gave the contact wins over the provider's from then on.
    expect((await t.owner.patch(`/api/contacts/${conv.contact.id}`, { name: 'Екатерина Смирнова' })).status).toBe(200);
    await t.telegram.deliver(botToken, t.telegram.textUpdate(botToken, { chatId: 5010, text: 'three', firstName: 'Kate' }));
    await eventually(async () => (await conversationOf(5010)).lastMessagePreview === 'three', 10_000, 'the third message');
    expect((await conversationOf(5010)).contact.name).toBe('Екатерина Смирнова');
  });

  it('acknowledges and ignores unknown update types; stores attachments, /start and edits', async () => {
    const { botToken } = await webhookChannel();
    expect(await t.telegram.deliver(botToken, { update_id: 1, poll: { id: 'p', question: 'q', options: [] } })).toBe(200);
    expect(await t.telegram.deliver(botToken, t.telegram.textUpdate(botToken, { chatId: 5003, text: '/start promo' }))).toBe(200);
    const photo = {
      update_id: 777,
      message: {
        message_id: 90,
        from: { id: 5003, is_bot: false, first_name: 'Ivan' },
        chat: { id: 5003, type: 'private', first_name: 'Ivan' },
        date: 1700000000,
        caption: 'вот чек',
        photo: [
          { file_id: 'small', file_unique_id: 's', width: 90, height: 90, file_size: 1000 },
          { file_id: 'big-file-id', file_unique_id: 'b', width: 1280, height: 1280, file_size: 90000 },
        ],
      },
    };
    expect(await t.telegram.deliver(botToken, photo)).toBe(200);
    const edit = { update_id: 778, edited_message: { ...photo.message, caption: 'вот чек (исправлено)', edit_date: 1700000100 } };
    expect(await t.telegram.deliver(botToken, edit)).toBe(200);
    const conv = await conversationOf(5003);
    const messages = (await t.owner.get(`/api/conversations/${conv.id}/messages`)).body.items;
    expect(messages).toHaveLength(2);
    expect(messages[0].text).toBe('/start promo');
    expect(messages[1].text).toBe('вот чек (исправлено)');
    expect(messages[1].editedAt).not.toBeNull();
    expect(messages[1].attachments).toEqual([expect.objectContaining({ kind: 'photo', fileId: 'big-file-id', size: 90000 })]);
  });

  it('full loop: inbound → operator reply → Telegram receives sendMessage with the right chat and text', async () => {
    const { botToken } = await webhookChannel();
    expect(await t.telegram.deliver(botToken, t.telegram.textUpdate(botToken, { chatId: 5004, text: 'Hi, is the sofa in stock?' }))).toBe(
      200,
    );
    const conv = await conversationOf(5004);
    expect(conv.status).toBe('queued');
    const reply = await t.owner.post(`/api/conversations/${conv.id}/messages`, { text: 'Yes, we have it.' });
    expect(reply.status).toBe(201);
    expect(reply.body.status).toBe('queued');
    const sent = await eventually(() => t.telegram.sent.find((s) => s.token === botToken && s.chatId === '5004'), 10_000, 'sendMessage');
    expect(sent.text).toBe('Yes, we have it.');
    const delivered = await eventually(async () => {
      const m = (await t.owner.get(`/api/conversations/${conv.id}/messages`)).body.items.find(
        (x: { id: string }) => x.id === reply.body.id,
      );
      return m.status === 'sent' && m;
    });
    expect(delivered.sentAt).not.toBeNull();
    const after = (await t.owner.get(`/api/conversations/${conv.id}`)).body;
    expect(after.status).toBe('open');
    expect(after.assigneeId).toBe(reply.body.authorUserId);
  });

  it('a private note is never sent to the customer', async () => {
    const { botToken } = await webhookChannel();
    await t.telegram.deliver(botToken, t.telegram.textUpdate(botToken, { chatId: 5005, text: 'hello' }));
    const conv = await conversationOf(5005);
    const note = await t.owner.post(`/api/conversations/${conv.id}/messages`, { text: 'VIP customer, be nice', private: true });
    expect(note.status).toBe(201);
    expect(note.body.private).toBe(true);
    await t.owner.post(`/api/conversations/${conv.id}/messages`, { text: 'public answer' });
    await eventually(() => t.telegram.sent.find((s) => s.token === botToken));
    expect(t.telegram.sent.filter((s) => s.token === botToken).map((s) => s.text)).toEqual(['public answer']);
  });

  it('a new message reopens a resolved conversation', async () => {
    const { botToken } = await webhookChannel();
    await t.telegram.deliver(botToken, t.telegram.textUpdate(botToken, { chatId: 5006, text: 'one' }));
    const conv = await conversationOf(5006);
    expect((await t.owner.patch(`/api/conversations/${conv.id}`, { status: 'resolved' })).body.status).toBe('resolved');
    await t.telegram.deliver(botToken, t.telegram.textUpdate(botToken, { chatId: 5006, text: 'two' }));
    expect((await t.owner.get(`/api/conversations/${conv.id}`)).body.status).not.toBe('resolved');
  });

  it('downloads a customer file on demand; unknown files and other accounts get 404', async () => {
    const { botToken } = await webhookChannel();
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]);
    t.telegram.addFile('receipt-file-id', jpeg);
    const update = {
      update_id: 9001,
      message: {
        message_id: 91,
        from: { id: 5007, is_bot: false, first_name: 'Ivan' },
        chat: { id: 5007, type: 'private', first_name: 'Ivan' },
        date: 1700000000,
        document: {
          file_id: 'receipt-file-id',
          file_unique_id: 'r',
          file_name: 'чек.jpg',
          mime_type: 'image/jpeg',
          file_size: jpeg.length,
        },
      },
    };
    expect(await t.telegram.deliver(botToken, update)).toBe(200);
    const conv = await conversationOf(5007);
    const [message] = (await t.owner.get(`/api/conversations/${conv.id}/messages`)).body.items;
    const url = `${t.url}/api/conversations/${conv.id}/messages/${message.id}/attachments/0`;
    const res = await fetch(url, { headers: { cookie: t.owner.cookie! } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect(res.headers.get('content-disposition')).toContain(encodeURIComponent('чек.jpg'));
    expect(Buffer.from(await res.arrayBuffer())).toEqual(jpeg);
    expect((await t.owner.get(`/api/conversations/${conv.id}/messages/${message.id}/attachments/1`)).status).toBe(404);

    await t.running.services.identity.createAccountWithOwner({
      accountName: 'Other',
      email: 'files-b@example.com',
      name: 'B',
      password: 'b-password-123',
    });
    const other = t.anonymous();
    await other.login('files-b@example.com', 'b-password-123');
    expect((await other.get(`/api/conversations/${conv.id}/messages/${message.id}/attachments/0`)).status).toBe(404);
  });

  it('a file Telegram no longer has → 422 with the reason', async () => {
    const { botToken } = await webhookChannel();
    const update = {
      update_id: 9002,
      message: {
        message_id: 92,
        from: { id: 5008, is_bot: false, first_name: 'Olga' },
        chat: { id: 5008, type: 'private' },
        date: 1700000000,
        voice: { file_id: 'gone', file_unique_id: 'g', duration: 2 },
      },
    };
    await t.telegram.deliver(botToken, update);
    const conv = await conversationOf(5008);
    const [message] = (await t.owner.get(`/api/conversations/${conv.id}/messages`)).body.items;
    const res = await t.owner.get(`/api/conversations/${conv.id}/messages/${message.id}/attachments/0`);
    expect(res.status).toBe(422);
    expect(res.body.error.message).toContain('invalid file_id');
  });
});
