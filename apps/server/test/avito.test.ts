import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AvitoAdapter } from '../src/modules/channels/avito/avito.adapter.js';
import { FakeAvito, type FakeAvitoMessage } from './fakes/avito.js';
import { conversationReader } from './support/conversations.js';
import { eventually, startTestApp, type TestApp } from './support/harness.js';

let t: TestApp;
let avito: FakeAvito;
beforeAll(async () => {
  avito = await new FakeAvito().start();
  t = await startTestApp({ env: { AVITO_API_ROOT: avito.url, SEND_MAX_ATTEMPTS: '4' } });
  // Backfill rounds every half second instead of every minute.
  t.running.ctx.channels.typed<AvitoAdapter>('avito').timing = { pollingMs: 300, backfillMs: 500, webhookChatLookupMs: 800 };
});
afterAll(async () => {
  await t?.stop();
  await avito?.stop();
});

async function connect(name: string, extra: Record<string, unknown> = {}) {
  const acc = avito.addAccount(name);
  const res = await t.owner.post('/api/channels', {
    type: 'avito',
    name,
    config: { clientId: acc.clientId, clientSecret: acc.clientSecret, ...extra },
  });
  expect(res.status).toBe(201);
  return { acc, channel: res.body };
}

const { conversationOf, messages: messagesOf } = conversationReader(() => t.owner);

/** A customer text only a webhook carries (the fake's chat does not keep it, so only the webhook path can store it). */
function webhookOnlyText(id: string, customerId: number, text: string): FakeAvitoMessage {
  return {
    id,
    author_id: customerId,
    created: Math.floor(Date.now() / 1000),
    direction: 'in',
    type: 'text',
    content: { text },
    is_read: false,
  };
}

/** The provider id a sent message was stored with (not part of the API). */
async function externalIdOf(messageId: string): Promise<string | null> {
  const { rows } = await t.running.ctx.pool.query<{ external_id: string | null }>('select external_id from messages where id = $1', [
    messageId,
  ]);
  return rows[0]?.external_id ?? null;
}

/** A connected channel with one customer message (by webhook) and its conversation. */
async function withCustomer(name: string, text = 'Здравствуйте, велосипед ещё продаётся?') {
  const { acc, channel } = await connect(name);
  const { chatId, customerId } = avito.addChat(acc.userId, { customerName: 'Ольга' });
  const statuses = await avito.deliverToAll(acc.userId, {});
  expect(statuses).toEqual([200]); // an event we do not handle is acknowledged
  await avito.customerWrites(acc.userId, chatId, text);
  const conv = await eventually(() => conversationOf(channel.id, customerId), 10_000, 'the conversation');
  return { acc, channel, chatId, customerId, conv };
}

const sentTo = (chatId: string) => avito.sent.filter((s) => s.chatId === chatId);
const sendCalls = (chatId: string) => avito.callsOf('send').filter((c) => c.path.includes(`/chats/${chatId}/`));
const reply = (conversationId: string, text: string) => t.owner.post(`/api/conversations/${conversationId}/messages`, { text });

async function settled(conversationId: string, id: string, status: string) {
  return eventually(
    async () => {
      const m = (await messagesOf(conversationId)).find((x) => x.id === id);
      return m?.status === status && m;
    },
    20_000,
    `message ${status}`,
  );
}

describe('Avito channel: connecting', () => {
  it('connects with client credentials, learns the user id and subscribes the webhook with a secret URL', async () => {
    const { acc, channel } = await connect('Avito shop');
    expect(channel.status).toBe('connected');
    expect(channel.config.avitoUserId).toBe(String(acc.userId));
    expect(channel.config.clientId).toBe(acc.clientId);
    const hooks = avito.account(acc.userId).webhooks;
    expect(hooks).toHaveLength(1);
    expect(hooks[0]).toMatch(new RegExp(`^${t.url}/webhooks/avito/${channel.id}/[A-Za-z0-9_-]{32,}$`));
    const shown = JSON.stringify(channel);
    expect(shown).not.toContain(acc.clientSecret);
    expect(shown).not.toContain(hooks[0]!.split('/').pop());
    expect(avito.grants.filter((g) => g.clientId === acc.clientId).map((g) => g.grantType)).toEqual(['client_credentials']);
  });

  it('rejects bad client credentials with 422 and Avito’s reason, and stores no channel', async () => {
    const acc = avito.addAccount('Wrong secret');
    const res = await t.owner.post('/api/channels', {
      type: 'avito',
      name: 'Wrong secret',
      config: { clientId: acc.clientId, clientSecret: 'not-the-secret' },
    });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('provider_rejected');
    expect(res.body.error.message).toContain('invalid client_id or client_secret');
    const channels = (await t.owner.get('/api/channels')).body;
    expect(channels.items.some((c: { name: string }) => c.name === 'Wrong secret')).toBe(false);
    expect(avito.account(acc.userId).webhooks).toEqual([]);
  });

  it('connects with an authorization code and keeps the rotated refresh token', async () => {
    const acc = avito.addAccount('Partner account');
    const redirectUri = 'https://app.example.com/avito/callback';
    const code = avito.issueCode(acc.clientId, acc.userId, redirectUri);
    const res = await t.owner.post('/api/channels', {
      type: 'avito',
      name: 'Partner account',
      config: { clientId: acc.clientId, clientSecret: acc.clientSecret, authorizationCode: code, redirectUri },
    });
    expect(res.status).toBe(201);
    expect(res.body.status).toBe('connected');
    expect(JSON.stringify(res.body)).not.toContain(code);
    const grants = () => avito.grants.filter((g) => g.clientId === acc.clientId);
    expect(grants().map((g) => g.grantType)).toEqual(['authorization_code']);

    const { chatId, customerId } = avito.addChat(acc.userId);
    await avito.customerWrites(acc.userId, chatId, 'Добрый день');
    const conv = await eventually(() => conversationOf(res.body.id, customerId));
    for (const [round, text] of ['first answer', 'second answer'].entries()) {
      avito.expireTokens(acc.userId);
      const sent = await reply(conv.id, text);
      await settled(conv.id, sent.body.id, 'sent');
      expect(grants()).toHaveLength(round + 2);
      // Each refresh used the refresh token the previous grant issued (Avito rotates them).
      const [previous, latest] = grants().slice(-2);
      expect(latest!.grantType).toBe('refresh_token');
      expect(latest!.refreshToken).toBe(previous!.issuedRefreshToken);
    }
    expect(sentTo(chatId).map((s) => s.text)).toEqual(['first answer', 'second answer']);

    // Reconnecting (a settings change) must not replay the single-use code.
    const patched = await t.owner.patch(`/api/channels/${res.body.id}`, { config: { mode: 'polling' } });
    expect(patched.status).toBe(200);
    expect(patched.body.status).toBe('connected');
    expect(grants().at(-1)!.grantType).toBe('refresh_token');
    expect(avito.account(acc.userId).webhooks).toEqual([]);
  });

  it('removing the channel unsubscribes its webhook', async () => {
    const { acc, channel } = await connect('Short-lived');
    expect(avito.account(acc.userId).webhooks).toHaveLength(1);
    expect((await t.owner.delete(`/api/channels/${channel.id}`)).status).toBe(204);
    expect(avito.account(acc.userId).webhooks).toEqual([]);
    expect(avito.callsOf('unsubscribe').at(-1)!.params.url).toContain(`/webhooks/avito/${channel.id}/`);
  });
});

describe('Avito channel: inbound', () => {
  it('rejects a wrong URL secret with 401 and stores nothing', async () => {
    const { acc, channel } = await connect('Secret check');
    const { chatId, customerId } = avito.addChat(acc.userId);
    const m = webhookOnlyText('f00dfeed', customerId, 'hello?');
    const body = avito.webhookPayload(acc.userId, chatId, m);
    expect(await avito.deliver(`${t.url}/webhooks/avito/${channel.id}/wrong-secret-wrong-secret-wrong-secret`, body)).toBe(401);
    const other = await connect('Other channel');
    const otherUrl = avito.account(other.acc.userId).webhooks[0]!;
    // The secret of another channel does not open this one.
    expect(await avito.deliver(`${t.url}/webhooks/avito/${channel.id}/${otherUrl.split('/').pop()}`, body)).toBe(401);
    await new Promise((r) => setTimeout(r, 1000));
    expect(await conversationOf(channel.id, customerId)).toBeUndefined();
  });

  it('stores a replayed webhook once and shows the listing on the conversation', async () => {
    const { acc, channel } = await connect('Replay');
    const { chatId, customerId } = avito.addChat(acc.userId, {
      customerName: 'Дмитрий',
      item: { title: 'Диван угловой', price_string: '25 000 ₽', url: 'https://www.avito.ru/moskva/mebel/divan_123' },
    });
    // Not kept in the chat: only the webhook knows this message, so only the webhook path can store it.
    const m = webhookOnlyText('a1b2c3d4e5', customerId, 'Диван ещё актуален?');
    const body = avito.webhookPayload(acc.userId, chatId, m);
    expect(await avito.deliverToAll(acc.userId, body)).toEqual([200]);
    expect(await avito.deliverToAll(acc.userId, body)).toEqual([200]);
    const conv = await conversationOf(channel.id, customerId);
    expect(conv.contact.name).toBe('Дмитрий');
    expect(conv.unreadCount).toBe(1);
    expect((await messagesOf(conv.id)).map((x) => x.text)).toEqual(['Диван ещё актуален?']);
    const one = await t.owner.get(`/api/conversations/${conv.id}`);
    expect(one.body.context).toEqual({
      kind: 'listing',
      title: 'Диван угловой',
      price: '25 000 ₽',
      url: 'https://www.avito.ru/moskva/mebel/divan_123',
    });
  });

  it('stores at once when the chat lookup is slow and fills the listing in afterwards', async () => {
    const { acc, channel } = await connect('Slow lookup');
    const { chatId, customerId } = avito.addChat(acc.userId, { customerName: 'Павел' });
    avito.latency.chat = 2_500;
    try {
      const m = webhookOnlyText('slow-0001', customerId, 'Есть доставка?');
      expect(await avito.deliverToAll(acc.userId, avito.webhookPayload(acc.userId, chatId, m))).toEqual([200]);
      const stored = await conversationOf(channel.id, customerId);
      expect(stored.context).toBeNull();
      const filled = await eventually(async () => {
        const c = await conversationOf(channel.id, customerId);
        return c.context?.title && c;
      });
      expect(filled.context.kind).toBe('listing');
      expect(filled.contact.name).toBe('Павел');
    } finally {
      delete avito.latency.chat;
    }
  });

  it('never shows the account’s own messages echoed back as customer messages', async () => {
    const { acc, chatId, conv } = await withCustomer('Echo');
    const own: FakeAvitoMessage = {
      id: 'own-echo-1',
      author_id: acc.userId,
      created: Math.floor(Date.now() / 1000),
      direction: 'out',
      type: 'text',
      content: { text: 'Ответ из приложения Авито' },
      is_read: true,
    };
    expect(await avito.deliverToAll(acc.userId, avito.webhookPayload(acc.userId, chatId, own))).toEqual([200]);
    // An operator reply echoes back through the webhook too (the fake does it like Avito).
    const sent = await reply(conv.id, 'Да, продаётся');
    await settled(conv.id, sent.body.id, 'sent');
    await eventually(() => avito.callsOf('send').length > 0 && sentTo(chatId).length === 1);
    await new Promise((r) => setTimeout(r, 1500)); // the echo and a backfill round pass
    const messages = await messagesOf(conv.id);
    expect(messages.map((x) => [x.direction, x.text])).toEqual([
      ['in', 'Здравствуйте, велосипед ещё продаётся?'],
      ['out', 'Да, продаётся'],
    ]);
  });

  it('the backfill poller picks up a message the webhook missed', async () => {
    const { acc, channel, chatId, customerId } = await withCustomer('Backfill');
    await avito.customerWrites(acc.userId, chatId, 'Вы здесь? (webhook lost)', { webhook: false });
    const texts = await eventually(
      async () => {
        const conv = await conversationOf(channel.id, customerId);
        const t2 = (await messagesOf(conv.id)).map((x) => x.text);
        return t2.length === 2 && t2;
      },
      20_000,
      'the backfilled message',
    );
    expect(texts).toEqual(['Здравствуйте, велосипед ещё продаётся?', 'Вы здесь? (webhook lost)']);
    // The round that found it is recorded once it completes.
    await eventually(async () => (await t.owner.get(`/api/channels/${channel.id}`)).body.lastPolledAt, 10_000, 'the poll round');
  });

  it('a polling-mode channel subscribes no webhook and reads unread chats (either list shape)', async () => {
    const { acc, channel } = await connect('Polling only', { mode: 'polling' });
    expect(avito.account(acc.userId).webhooks).toEqual([]);
    avito.messagesAsObject = true;
    try {
      const { chatId, customerId } = avito.addChat(acc.userId, { customerName: 'Ирина', item: null });
      await avito.customerWrites(acc.userId, chatId, 'Первое');
      await avito.customerWrites(acc.userId, chatId, 'Второе');
      const conv = await eventually(() => conversationOf(channel.id, customerId), 20_000, 'the polled conversation');
      const texts = await eventually(async () => {
        const list = (await messagesOf(conv.id)).map((x) => x.text);
        return list.length === 2 && list;
      });
      expect(texts).toEqual(['Первое', 'Второе']);
      expect(conv.contact.name).toBe('Ирина');
      expect(conv.context).toBeNull(); // a chat between users has no listing
    } finally {
      avito.messagesAsObject = false;
    }
  });
});

describe('Avito channel: replies', () => {
  it('full loop: customer writes, the operator replies, Avito receives it', async () => {
    const { chatId, conv } = await withCustomer('Loop');
    const sent = await reply(conv.id, 'Да, велосипед в наличии');
    expect(sent.status).toBe(201);
    await settled(conv.id, sent.body.id, 'sent');
    const delivered = sentTo(chatId);
    expect(delivered.map((s) => s.text)).toEqual(['Да, велосипед в наличии']);
    expect(await externalIdOf(sent.body.id)).toBe(delivered[0]!.id);
  });

  it('opening the conversation marks the Avito chat read, without holding up the operator', async () => {
    const { acc, chatId, conv } = await withCustomer('Read marks');
    expect(avito.chat(acc.userId, chatId).messages.some((m) => !m.is_read)).toBe(true);
    const res = await t.owner.post(`/api/conversations/${conv.id}/read`);
    expect(res.status).toBe(200);
    expect(res.body.unreadCount).toBe(0);
    await eventually(() => avito.reads.some((r) => r.chatId === chatId), 10_000, 'the read mark');
    expect(avito.chat(acc.userId, chatId).messages.every((m) => m.is_read)).toBe(true);

    // A failing read mark does not fail the operator's request.
    await avito.customerWrites(acc.userId, chatId, 'ещё вопрос');
    await eventually(async () => (await conversationOf(conv.channelId, conv.contact.externalId)).unreadCount === 1);
    avito.fail('read', 503, 'Service Unavailable', { chatId });
    expect((await t.owner.post(`/api/conversations/${conv.id}/read`)).status).toBe(200);
  });

  it('an expired token (403) is refreshed once and the reply delivered', async () => {
    const { acc, channel, chatId, conv } = await withCustomer('Expiry');
    const grants = () => avito.grants.filter((g) => g.clientId === acc.clientId).length;
    const before = grants();
    avito.expireTokens(acc.userId);
    const sent = await reply(conv.id, 'после обновления токена');
    await settled(conv.id, sent.body.id, 'sent');
    expect(sentTo(chatId).map((s) => s.text)).toEqual(['после обновления токена']);
    expect(grants()).toBe(before + 1);
    expect((await t.owner.get(`/api/channels/${channel.id}`)).body.status).toBe('connected');
  });

  it('a second 403 after a fresh token marks the channel auth_failed and fails the reply', async () => {
    const { channel, chatId, conv } = await withCustomer('Forbidden');
    avito.fail('send', 403, 'Forbidden: no access to messenger', { times: 2, chatId });
    const sent = await reply(conv.id, 'не дойдёт');
    const failed = await settled(conv.id, sent.body.id, 'failed');
    expect(failed.failureReason).toContain('no access to messenger');
    expect(sendCalls(chatId)).toHaveLength(2);
    const chan = (await t.owner.get(`/api/channels/${channel.id}`)).body;
    expect(chan.status).toBe('auth_failed');
  });

  it('the token endpoint rejecting the credentials marks the channel auth_failed', async () => {
    const { acc, channel, conv } = await withCustomer('Revoked');
    avito.expireTokens(acc.userId);
    avito.fail('token', 401, 'client credentials were revoked', { times: 5, clientId: acc.clientId });
    const sent = await reply(conv.id, 'не дойдёт');
    const failed = await settled(conv.id, sent.body.id, 'failed');
    expect(failed.failureReason).toContain('client credentials were revoked');
    const chan = (await t.owner.get(`/api/channels/${channel.id}`)).body;
    expect(chan.status).toBe('auth_failed');
    expect(chan.statusReason).toContain('Avito rejected the credentials');
  });

  it('429 with Retry-After: delivered later, without a burst of retries', async () => {
    const { chatId, conv } = await withCustomer('Rate limit');
    avito.fail('send', 429, 'Too Many Requests', { retryAfter: 2, chatId });
    const sent = await reply(conv.id, 'после паузы');
    const limited = await eventually(async () => {
      const m = (await messagesOf(conv.id)).find((x) => x.id === sent.body.id);
      return m?.failureCode === 'rate_limited' && Date.parse(m.retryAt ?? '') - Date.now() < 3_000 && m;
    });
    expect(limited.status).toBe('queued');
    await settled(conv.id, sent.body.id, 'sent');
    expect(sendCalls(chatId).map((c) => c.status)).toEqual([429, 200]);
    expect(sentTo(chatId).map((s) => s.text)).toEqual(['после паузы']);
  });

  it('400 fails at once with Avito’s reason, one attempt', async () => {
    const { chatId, conv } = await withCustomer('Bad request');
    avito.fail('send', 400, 'chat is closed by the user', { times: 5, chatId });
    const sent = await reply(conv.id, 'x');
    const failed = await settled(conv.id, sent.body.id, 'failed');
    expect(failed.failureReason).toBe('Avito: chat is closed by the user');
    await new Promise((r) => setTimeout(r, 2500));
    expect(sendCalls(chatId)).toHaveLength(1);
  });

  it('splits a long reply at sentence ends into parts of at most 1000 characters, in order', async () => {
    const { chatId, conv } = await withCustomer('Long reply');
    const sentences = Array.from(
      { length: 40 },
      (_, i) => `Пункт ${i + 1}: доставка по Москве занимает один-два дня, оплата при получении.`,
    );
    const text = sentences.join(' ');
    expect(text.length).toBeGreaterThan(2500);
    const sent = await reply(conv.id, text);
    await settled(conv.id, sent.body.id, 'sent');
    const parts = sentTo(chatId);
    expect(parts.length).toBeGreaterThanOrEqual(3);
    for (const p of parts) {
      expect(p.text.length).toBeLessThanOrEqual(1000);
      expect(p.text.endsWith('.')).toBe(true);
    }
    expect(parts.map((p) => p.text).join(' ')).toBe(text);
    expect(await externalIdOf(sent.body.id)).toBe(parts.map((p) => p.id).join(','));
  });

  it('a split reply that fails mid-way resumes without resending the parts already sent', async () => {
    const { chatId, conv } = await withCustomer('Resume');
    const text = Array.from(
      { length: 30 },
      (_, i) => `Предложение ${i + 1} о гарантии и возврате товара в течение четырнадцати дней.`,
    ).join(' ');
    avito.fail('send', 503, 'Service Unavailable', { skip: 1, chatId });
    const sent = await reply(conv.id, text);
    await settled(conv.id, sent.body.id, 'sent');
    const parts = sentTo(chatId).map((p) => p.text);
    expect(new Set(parts).size).toBe(parts.length);
    expect(parts.join(' ')).toBe(text);
    expect(sendCalls(chatId).map((c) => c.status)).toEqual([200, 503, ...parts.slice(1).map(() => 200)]);
  });
});
