import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationReader } from './support/conversations.js';
import { eventually, startTestApp, type TestApp } from './support/harness.js';

let t: TestApp;
let botToken: string;
let telegramId: string;
let widgetId: string;
let chatSeq = 810_000;
const { conversationOf, messages } = conversationReader(() => t.owner);

beforeAll(async () => {
  t = await startTestApp();
  botToken = t.telegram.addBot();
  const tg = await t.owner.post('/api/channels', { type: 'telegram', name: 'Shop bot', config: { botToken, mode: 'webhook' } });
  expect(tg.status).toBe(201);
  telegramId = tg.body.id;
  const widget = await t.owner.post('/api/channels', { type: 'widget', name: 'Site chat', config: { title: 'Shop' } });
  expect(widget.status).toBe(201);
  widgetId = widget.body.id;
});
afterAll(async () => {
  await t?.stop();
});

const NOT_A_UUID = 'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz';
const DASHES = '-'.repeat(36);
const b64 = (s: string) => Buffer.from(s).toString('base64url');

/** Telegram delivers one update; the returned chat's messages are what an operator would see. */
async function customerSays(update: (chatId: number) => object) {
  const chatId = ++chatSeq;
  const status = await t.telegram.deliver(botToken, update(chatId));
  return { status, chatId };
}

describe('text PostgreSQL cannot store', () => {
  it('is refused in API requests with invalid_text, and nothing is written', async () => {
    const before = (await t.owner.get('/api/tokens')).body.items.length as number;
    for (const name of ['a\u0000b', 'lone \ud800 surrogate', 'trailing \udfff']) {
      const res = await t.owner.post('/api/tokens', { name });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_text');
    }
    // A NUL in an object key is refused as well.
    expect((await t.owner.patch(`/api/channels/${telegramId}`, { name: 'ok', config: { 'x\u0000': 1 } })).body.error.code).toBe(
      'invalid_text',
    );
    expect((await t.owner.patch(`/api/channels/${telegramId}`, { name: 'Shop\u0000bot' })).body.error.code).toBe('invalid_text');
    // In the query string as well (its parser builds prototype-less objects).
    for (const q of ['%00', 'a%00b']) expect((await t.owner.get(`/api/knowledge/articles?q=${q}`)).body.error.code).toBe('invalid_text');
    expect((await t.owner.get('/api/tokens')).body.items).toHaveLength(before);
    const audit = (await t.owner.get('/api/audit?limit=200')).body.items as { action: string }[];
    expect(audit.filter((e) => e.action === 'token.created')).toHaveLength(0);
    expect((await t.owner.get(`/api/channels/${telegramId}`)).body.name).toBe('Shop bot');
  });

  it('is refused from a widget visitor (a public route) with 400, not 500', async () => {
    const session = await t.anonymous().post(`/api/widget/${widgetId}/session`, {});
    expect(session.status).toBe(200);
    const res = await t
      .anonymous()
      .post(`/api/widget/${widgetId}/messages`, { clientId: 'c-1', text: 'hi\u0000' }, { 'x-widget-token': session.body.token });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_text');
  });

  it("is cleaned from a provider's webhook, so the customer's message is stored", async () => {
    const { status, chatId } = await customerSays((chatId) =>
      t.telegram.textUpdate(botToken, { chatId, text: 'Hello\u0000 there \ud83d!', firstName: 'An\u0000na' }),
    );
    expect(status).toBe(200);
    const conversation = await eventually(() => conversationOf(telegramId, chatId));
    expect((await messages(conversation.id)).map((m) => m.text)).toEqual(['Hello there \ufffd!']);
    expect(conversation.contact.name).toBe('Anna');
  });
});

describe('deeply nested JSON', () => {
  it('is refused with 400 on API, public and webhook routes, not 500 from a stack overflow', async () => {
    const deep = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
    const raw = (path: string, headers: Record<string, string> = {}) =>
      fetch(t.url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: `{"email":${deep}}` });
    for (const res of [
      await raw('/api/auth/login'),
      await raw(`/api/widget/${widgetId}/session`),
      await raw(`/webhooks/telegram/${telegramId}`, { 'x-telegram-bot-api-secret-token': t.telegram.bot(botToken).webhook?.secret ?? '' }),
    ]) {
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('validation_failed');
    }
  });
});

describe('malformed Telegram updates', () => {
  it('are acknowledged with 200, ignored and nothing is stored', async () => {
    const shapes: ((m: Record<string, unknown>) => Record<string, unknown>)[] = [
      ({ chat: _chat, ...m }) => m,
      (m) => ({ ...m, date: 'yesterday' }),
      (m) => ({ ...m, text: {} }),
      (m) => ({ ...m, text: undefined, photo: [null] }),
      (m) => ({ ...m, chat: { id: 'abc' } }),
      (m) => ({ ...m, message_id: 1e300 }),
    ];
    for (const shape of shapes) {
      const { status, chatId } = await customerSays((chatId) => {
        const u = t.telegram.textUpdate(botToken, { chatId, text: 'malformed' }) as { update_id: number; message: Record<string, unknown> };
        return { update_id: u.update_id, message: shape(u.message) };
      });
      expect(status).toBe(200);
      expect(await conversationOf(telegramId, chatId)).toBeUndefined();
    }
  });

  it('keep at most 16 KB of text (Telegram itself sends 4,096)', async () => {
    const { status, chatId } = await customerSays((chatId) => t.telegram.textUpdate(botToken, { chatId, text: 'я'.repeat(100_000) }));
    expect(status).toBe(200);
    const conversation = await eventually(() => conversationOf(telegramId, chatId));
    expect((await messages(conversation.id))[0]!.text).toBe('я'.repeat(16_384));
  });
});

describe('forged ids and cursors', () => {
  it('a malformed public channel id names no channel: 404 on the widget, 401 on webhooks', async () => {
    for (const id of [NOT_A_UUID, DASHES, '00000000-0000-0000-0000-00000000000g']) {
      for (const path of ['config', 'messages']) expect((await t.anonymous().get(`/api/widget/${id}/${path}`)).status).toBe(404);
      expect((await t.anonymous().post(`/api/widget/${id}/session`, {})).status).toBe(404);
      for (const provider of ['telegram', 'green_api', 'whatsapp_cloud']) {
        expect((await t.anonymous().post(`/webhooks/${provider}/${id}`, { update_id: 1, typeWebhook: 'x' })).status).toBe(401);
      }
      expect((await t.anonymous().post(`/webhooks/avito/${id}/secret`, {})).status).toBe(401);
    }
  });

  it('a forged list cursor is 400 invalid_cursor on every list', async () => {
    const hook = await t.owner.post('/api/webhooks', { url: 'https://example.com/hook', events: ['message.created'] });
    expect(hook.status).toBe(201);
    const conversation = (await t.owner.get('/api/conversations?status=all')).body.items[0] as { id: string };
    const lists = [
      '/api/conversations?status=all&',
      '/api/dead-letters?',
      '/api/knowledge/articles?',
      `/api/webhooks/${hook.body.id}/deliveries?`,
    ];
    const forged = [
      b64('2020-01-01T00:00:00.000Z|not-a-uuid'),
      b64(`yesterday|${crypto.randomUUID()}`),
      b64(`-271821-04-20T00:00:00.000Z|${crypto.randomUUID()}`),
      'AAAA',
      '99999999999999999999',
    ];
    for (const list of lists) {
      for (const cursor of forged) {
        const res = await t.owner.get(`${list}cursor=${encodeURIComponent(cursor)}`);
        expect([list, cursor, res.status, res.body.error?.code]).toEqual([list, cursor, 400, 'invalid_cursor']);
      }
    }
    for (const cursor of ['99999999999999999999', '-1', '1e5', '0x10', 'abc']) {
      for (const list of ['/api/audit?', `/api/conversations/${conversation.id}/messages?`]) {
        const res = await t.owner.get(`${list}cursor=${cursor}`);
        expect([list, cursor, res.status, res.body.error?.code]).toEqual([list, cursor, 400, 'invalid_cursor']);
      }
    }
    // A real cursor still pages.
    expect((await t.owner.get('/api/audit?limit=1')).body.nextCursor).toMatch(/^\d+$/);
  });
});

describe('concurrent requests for the same unique key', () => {
  it('a double-clicked classifier training answers 2xx or 409 conflict, never 500', async () => {
    const csv = 'text,label\nWhere is my order?,delivery\nRefund please,refund\nWhen will it arrive?,delivery\nMoney back,refund\n';
    expect(
      (await t.owner.upload('/api/ai/classifier/examples', { name: 'examples.csv', content: csv, type: 'text/csv' })).status,
    ).toBeLessThan(300);
    const answers = await Promise.all(Array.from({ length: 6 }, () => t.owner.post('/api/ai/classifier/train')));
    for (const res of answers) expect(res.status === 409 ? res.body.error.code : res.status).toSatisfy((v) => v === 'conflict' || v < 300);
  });
});
