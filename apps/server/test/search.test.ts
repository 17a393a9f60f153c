import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HIGHLIGHT_END, HIGHLIGHT_START } from '@switchboard/shared';
import type { ApiClient } from './support/api-client.js';
import { eventually, signInNewAccount, startTestApp, type TestApp } from './support/harness.js';

/**
 * The search box's API: full-text messages (Russian and English stemming, ё = е, phrases, prefixes,
 * exclusions), contacts by name / phone in any format / e-mail / handle, conversation numbers, filters,
 * highlighted fragments; by role and per account.
 */

let t: TestApp;
let other: ApiClient;
let analyst: ApiClient;
let collaborator: ApiClient;
let bot: string;
let otherChannel: string;
const conv: Record<string, string> = {};

const search = (q: string, extra = '', client: ApiClient = t.owner) => client.get(`/api/search?q=${encodeURIComponent(q)}${extra}`);
const texts = (res: { body: { messages: { headline: string }[] } }) =>
  res.body.messages.map((m) => m.headline.replaceAll(HIGHLIGHT_START, '').replaceAll(HIGHLIGHT_END, ''));

beforeAll(async () => {
  t = await startTestApp();
  const me = (await t.owner.get('/api/auth/session')).body.user;
  for (const role of ['analyst', 'collaborator'] as const) {
    await t.running.services.identity.addUser(me.accountId, {
      email: `${role}-s@example.com`,
      name: role,
      password: `${role}-password-long`,
      role,
    });
  }
  analyst = t.anonymous();
  await analyst.login('analyst-s@example.com', 'analyst-password-long');
  collaborator = t.anonymous();
  await collaborator.login('collaborator-s@example.com', 'collaborator-password-long');
  other = await signInNewAccount(t, { email: 'search-other@example.com', password: 'other-password-123' });

  bot = t.telegram.addBot();
  await t.owner.post('/api/channels', { type: 'telegram', name: 'Магазин', config: { botToken: bot, mode: 'webhook' } });
  const bot2 = t.telegram.addBot();
  otherChannel = (await t.owner.post('/api/channels', { type: 'telegram', name: 'Склад', config: { botToken: bot2, mode: 'webhook' } }))
    .body.id;
  const lines: [string, number, string, string][] = [
    [bot, 91001, 'Анна', 'Когда будет доставка моих ёлочных игрушек'],
    [bot, 91002, 'Boris', 'The parcel was delivered yesterday, thanks'],
    [bot, 91003, 'Вера', 'Верните деньги за сломанный чайник'],
    [bot2, 91004, 'Глеб', 'Доставки не было три дня, где курьер'],
  ];
  for (const [token, chatId, firstName, text] of lines) {
    await t.telegram.deliver(token, t.telegram.textUpdate(token, { chatId, text, firstName }));
  }
  const items = await eventually(async () => {
    const list = (await t.owner.get('/api/conversations?status=all')).body.items;
    return list.length === 4 ? list : null;
  });
  for (const c of items) conv[c.contact.externalId] = c.id;
  const otherBot = t.telegram.addBot();
  await other.post('/api/channels', { type: 'telegram', name: 'Other', config: { botToken: otherBot, mode: 'webhook' } });
  await t.telegram.deliver(
    otherBot,
    t.telegram.textUpdate(otherBot, { chatId: 91999, text: 'доставка чужого аккаунта', firstName: 'Чужой' }),
  );
  await eventually(async () => (await other.get('/api/conversations?status=all')).body.items.length === 1);
}, 120_000);

afterAll(async () => t?.stop());

describe('message search', () => {
  it('stems Russian and English words and folds ё', async () => {
    const ru = await search('доставка');
    expect(ru.status).toBe(200);
    expect(texts(ru).sort()).toEqual(['Доставки не было три дня, где курьер', 'Когда будет доставка моих ёлочных игрушек']);
    expect(ru.body.messages[0].headline).toContain(`${HIGHLIGHT_START}`);
    expect(texts(await search('deliver'))).toEqual([expect.stringContaining('parcel was delivered yesterday')]);
    expect(texts(await search('елочные'))).toEqual(['Когда будет доставка моих ёлочных игрушек']);
    expect(texts(await search('ЁЛОЧНЫЙ'))).toEqual(['Когда будет доставка моих ёлочных игрушек']);
  });

  it('phrases, prefixes and exclusions', async () => {
    expect(texts(await search('"сломанный чайник"'))).toEqual(['Верните деньги за сломанный чайник']);
    expect(texts(await search('"чайник сломанный"'))).toEqual([]);
    // The last word matches as a prefix while typing.
    expect(texts(await search('курь'))).toEqual(['Доставки не было три дня, где курьер']);
    expect(texts(await search('игруш*'))).toEqual(['Когда будет доставка моих ёлочных игрушек']);
    expect(texts(await search('доставка -курьер'))).toEqual(['Когда будет доставка моих ёлочных игрушек']);
    // tsquery syntax typed by a person is text, not an error.
    expect((await search("доставка & | ! ( ' :*")).status).toBe(200);
  });

  it('filters by channel, status, assignee and date; a hit names its conversation', async () => {
    const byChannel = await search('доставка', `&channelId=${otherChannel}`);
    expect(texts(byChannel)).toEqual(['Доставки не было три дня, где курьер']);
    expect(byChannel.body.messages[0]).toMatchObject({
      conversationId: conv['91004'],
      contactName: 'Глеб',
      channelName: 'Склад',
      direction: 'in',
    });
    await t.owner.patch(`/api/conversations/${conv['91001']}`, { status: 'resolved' });
    expect(texts(await search('доставка', '&status=resolved'))).toEqual(['Когда будет доставка моих ёлочных игрушек']);
    expect(texts(await search('доставка', '&assignee=me'))).toEqual([]);
    expect(texts(await search('доставка', '&assignee=unassigned'))).toHaveLength(2);
    const today = new Date().toISOString().slice(0, 10);
    expect(texts(await search('доставка', `&from=${today}&to=${today}`))).toHaveLength(2);
    expect(texts(await search('доставка', '&to=2000-01-01'))).toEqual([]);
    expect((await search('доставка', '&from=yesterday')).status).toBe(400);
  });
});

describe('contacts and numbers', () => {
  it('finds contacts by name, phone in any format, and handle; conversations by number', async () => {
    const anna = (await t.owner.get(`/api/conversations/${conv['91001']}`)).body;
    await t.owner.patch(`/api/contacts/${anna.contact.id}`, { phones: ['+7 (916) 555-44-33'] });
    for (const q of ['Анна', 'анн', '8 916 555 44 33', '9165554433', '91001']) {
      expect(
        (await search(q)).body.contacts.map((c: { id: string }) => c.id),
        q,
      ).toContain(anna.contact.id);
    }
    const byNumber = await search(`#${anna.number}`);
    expect(byNumber.body.conversations).toEqual([expect.objectContaining({ id: anna.id, number: anna.number, contactName: 'Анна' })]);
    expect((await search(String(anna.number))).body.conversations[0].id).toBe(anna.id);
  });
});

describe('who sees what', () => {
  it("another account finds none of this account's messages, contacts or numbers", async () => {
    const res = await search('доставка', '', other);
    expect(texts(res)).toEqual(['доставка чужого аккаунта']);
    expect((await search('Анна', '', other)).body.contacts).toEqual([]);
    expect((await search('#1', '', other)).body.conversations.map((c: { contactName: string }) => c.contactName)).toEqual(['Чужой']);
  });

  it('a role without conversation access is refused; a collaborator searches', async () => {
    const refused = await search('доставка', '', analyst);
    expect(refused.status).toBe(403);
    expect(refused.body.error.details.permission).toBe('conversation.read');
    expect(texts(await search('доставка', '', collaborator))).toHaveLength(2);
  });
});
