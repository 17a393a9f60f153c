import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from './support/api-client.js';
import { eventually, signInNewAccount, startTestApp, type TestApp } from './support/harness.js';

/**
 * Contacts across channels through the HTTP API: one contact per new channel handle, the profile with
 * every conversation, edits (E.164 phones, typed fields), duplicate suggestions, merge (one transaction,
 * audited), block (stored, bot silent), CSV import (all or nothing) and export, per role and per account.
 */

let t: TestApp;
let other: ApiClient; // owner of another account
const as: Record<'agent' | 'collaborator' | 'supervisor', ApiClient> = {} as never;
let botA: string;
let botB: string;
let channelA: string;
let channelB: string;

interface Contact {
  id: string;
  name: string | null;
  phones: string[];
  emails: string[];
  handles: { channelId: string; externalId: string }[];
  conversations: { id: string; number: number | null }[];
  blocked: boolean;
}

async function say(bot: string, chatId: number, text: string, firstName = 'Anna') {
  await t.telegram.deliver(bot, t.telegram.textUpdate(bot, { chatId, text, firstName }));
}

/** The contact of a Telegram chat on a channel, once its first message is stored. */
async function contactOf(channelId: string, chatId: number): Promise<Contact> {
  const list = await eventually(async () => {
    const res = await t.owner.get(`/api/contacts?q=${chatId}&limit=50`);
    return res.body.items.find((c: Contact) => c.handles.some((h) => h.channelId === channelId && h.externalId === String(chatId)));
  });
  return (await t.owner.get(`/api/contacts/${list.id}`)).body as Contact;
}

beforeAll(async () => {
  t = await startTestApp();
  const me = (await t.owner.get('/api/auth/session')).body.user;
  for (const role of ['agent', 'collaborator', 'supervisor'] as const) {
    const email = `${role}-c@example.com`;
    await t.running.services.identity.addUser(me.accountId, { email, name: role, password: `${role}-password-long`, role });
    const c = t.anonymous();
    expect((await c.login(email, `${role}-password-long`)).status).toBe(200);
    as[role] = c;
  }
  other = await signInNewAccount(t, { email: 'contacts-other@example.com', password: 'other-password-123' });
  botA = t.telegram.addBot();
  botB = t.telegram.addBot();
  channelA = (await t.owner.post('/api/channels', { type: 'telegram', name: 'Shop A', config: { botToken: botA, mode: 'webhook' } })).body
    .id;
  channelB = (await t.owner.post('/api/channels', { type: 'telegram', name: 'Shop B', config: { botToken: botB, mode: 'webhook' } })).body
    .id;
}, 120_000);

afterAll(async () => t?.stop());

describe('contacts from inbound messages', () => {
  it('a new handle makes a contact; later messages reuse it; conversations get per-account numbers', async () => {
    await say(botA, 81001, 'Здравствуйте, где мой заказ?', 'Ольга');
    const c = await contactOf(channelA, 81001);
    expect(c).toMatchObject({ name: 'Ольга', blocked: false, phones: [], emails: [] });
    expect(c.handles).toHaveLength(1);
    expect(c.conversations).toHaveLength(1);
    expect(c.conversations[0]!.number).toBeGreaterThan(0);
    await say(botA, 81001, 'Ещё вопрос', 'Ольга');
    await eventually(async () => (await t.owner.get(`/api/conversations/${c.conversations[0]!.id}/messages`)).body.items.length === 2);
    const again = (await t.owner.get(`/api/contacts/${c.id}`)).body as Contact;
    expect(again.conversations).toHaveLength(1);
    expect((await t.owner.get(`/api/contacts?q=81001`)).body.items).toHaveLength(1);
    const conv = (await t.owner.get(`/api/conversations/${c.conversations[0]!.id}`)).body;
    expect(conv.number).toBe(c.conversations[0]!.number);
    // The conversation view's side panel reads the same profile.
    expect((await t.owner.get(`/api/conversations/${conv.id}/contact`)).body.id).toBe(c.id);
  });

  it('lists with search, filters, sort and cursor pages', async () => {
    for (const [i, name] of ['Борис', 'Вера', 'Глеб'].entries()) await say(botB, 82001 + i, `привет ${i}`, name);
    await eventually(async () => (await t.owner.get(`/api/contacts?channelId=${channelB}`)).body.items.length >= 3);
    const byName = await t.owner.get(`/api/contacts?sort=name&limit=2&channelId=${channelB}`);
    expect(byName.status).toBe(200);
    expect(byName.body.items.map((c: Contact) => c.name)).toEqual(['Борис', 'Вера']);
    const next = await t.owner.get(`/api/contacts?sort=name&limit=2&channelId=${channelB}&cursor=${byName.body.nextCursor}`);
    expect(next.body.items.map((c: Contact) => c.name)).toEqual(['Глеб']);
    expect(next.body.nextCursor).toBeNull();
    expect((await t.owner.get('/api/contacts?q=вер')).body.items.map((c: Contact) => c.name)).toEqual(['Вера']);
    const bad = await t.owner.get(`/api/contacts?sort=created&cursor=${byName.body.nextCursor}`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_cursor');
  });
});

describe('editing a contact', () => {
  it('stores phones as E.164, e-mails lower-cased, typed fields; finds the phone in any format', async () => {
    const c = await contactOf(channelA, 81001);
    const fields = [
      { key: 'city', label: 'Город', type: 'text' },
      { key: 'orders', label: 'Заказов', type: 'number' },
      { key: 'birthday', label: 'День рождения', type: 'date' },
      { key: 'segment', label: 'Сегмент', type: 'list', options: ['Розница', 'Опт'] },
      { key: 'vip', label: 'VIP', type: 'checkbox' },
      { key: 'site', label: 'Сайт', type: 'link' },
    ];
    for (const f of fields) expect((await t.owner.post('/api/contacts/fields', f)).status).toBe(201);
    expect((await t.owner.post('/api/contacts/fields', fields[0])).body.error.code).toBe('conflict');
    expect((await t.owner.post('/api/contacts/fields', { key: 'x', label: 'X', type: 'list' })).status).toBe(400);

    const res = await as.agent.patch(`/api/contacts/${c.id}`, {
      name: 'Ольга Смирнова',
      phones: ['8 (916) 123-45-67'],
      emails: ['Olga@Example.COM'],
      notes: 'Любит звонки после 18:00',
      attributes: { city: 'Казань', orders: 3, birthday: '1990-05-17', segment: 'опт', vip: true, site: 'https://olga.example' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      name: 'Ольга Смирнова',
      phones: ['+79161234567'],
      emails: ['olga@example.com'],
      notes: 'Любит звонки после 18:00',
      attributes: { city: 'Казань', orders: 3, birthday: '1990-05-17', segment: 'Опт', vip: true, site: 'https://olga.example/' },
    });
    for (const q of ['+7 916 123 45 67', '89161234567', '916-123', 'olga@example', 'смирнова']) {
      const found = (await t.owner.get(`/api/contacts?q=${encodeURIComponent(q)}`)).body.items.map((x: Contact) => x.id);
      expect(found, q).toContain(c.id);
    }

    const bad = await as.agent.patch(`/api/contacts/${c.id}`, { phones: ['call me'], attributes: { orders: 'many', nope: 1 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_failed');
    expect(bad.body.error.details.problems.map((p: { field: string }) => p.field).sort()).toEqual([
      'attributes.nope',
      'attributes.orders',
      'phones',
    ]);
    expect((await t.owner.get(`/api/contacts/${c.id}`)).body.phones).toEqual(['+79161234567']);
  });

  it('roles: a collaborator reads but cannot edit; an agent cannot manage fields, merge, block or import', async () => {
    const c = await contactOf(channelA, 81001);
    expect((await as.collaborator.get(`/api/contacts/${c.id}`)).status).toBe(200);
    const refused = await as.collaborator.patch(`/api/contacts/${c.id}`, { name: 'x' });
    expect(refused.status).toBe(403);
    expect(refused.body.error.details.permission).toBe('contact.edit');
    for (const [method, path, body] of [
      ['POST', '/api/contacts/fields', { key: 'k', label: 'K', type: 'text' }],
      ['POST', `/api/contacts/${c.id}/block`, { blocked: true }],
      ['POST', `/api/contacts/${c.id}/merge`, { sourceId: c.id }],
      ['POST', '/api/contacts/import', { csv: 'name\nX' }],
      ['GET', '/api/contacts/export', undefined],
    ] as const) {
      const res = await as.agent.request(method, path, body);
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.body.error.details.permission).toBe('contact.manage');
    }
  });
});

describe('duplicates and merge', () => {
  it('suggests the same phone on another channel and a very similar name; merging moves handles and conversations', async () => {
    await say(botB, 83001, 'Добрый день, это Ольга', 'Ольга Смирнова');
    const twin = await contactOf(channelB, 83001);
    const olga = await contactOf(channelA, 81001);
    // Similar name on a different channel is suggested before any phone is known.
    let dups = (await t.owner.get(`/api/contacts/duplicates?contactId=${olga.id}`)).body.items;
    expect(dups.find((d: { b: Contact }) => d.b.id === twin.id)?.reasons).toEqual(['name']);
    expect(
      (await t.owner.patch(`/api/contacts/${twin.id}`, { phones: ['+7 916 123-45-67'], notes: 'Пишет из второго магазина' })).status,
    ).toBe(200);
    dups = (await t.owner.get('/api/contacts/duplicates')).body.items;
    const pair = dups.find((d: { a: Contact; b: Contact }) => [d.a.id, d.b.id].sort().join() === [olga.id, twin.id].sort().join());
    expect(pair.reasons).toEqual(['phone', 'name']);

    expect((await t.owner.post(`/api/contacts/${olga.id}/merge`, { sourceId: olga.id })).status).toBe(400);
    const merged = await as.supervisor.post(`/api/contacts/${olga.id}/merge`, { sourceId: twin.id });
    expect(merged.status).toBe(200);
    expect(merged.body.handles.map((h: { channelId: string }) => h.channelId).sort()).toEqual([channelA, channelB].sort());
    expect(merged.body.conversations).toHaveLength(2);
    expect(merged.body.phones).toEqual(['+79161234567']);
    expect(merged.body.notes).toBe('Любит звонки после 18:00\n\nПишет из второго магазина');
    expect((await t.owner.get(`/api/contacts/${twin.id}`)).status).toBe(404);
    const audit = (await t.owner.get('/api/audit?action=contact.merged')).body.items;
    expect(audit[0]).toMatchObject({ action: 'contact.merged', targetId: olga.id });

    // The merged handle keeps its conversation: the next message lands in it, under the merged contact.
    await say(botB, 83001, 'Ещё одно сообщение', 'Ольга Смирнова');
    const convB = merged.body.conversations.find((c: { channelId: string }) => c.channelId === channelB);
    await eventually(async () => (await t.owner.get(`/api/conversations/${convB.id}/messages`)).body.items.length === 2);
    expect((await t.owner.get(`/api/conversations/${convB.id}`)).body.contact.id).toBe(olga.id);
    expect((await t.owner.get(`/api/contacts/duplicates?contactId=${olga.id}`)).body.items).toEqual([]);
  });

  it("another account's contact can be neither read, merged nor merged into", async () => {
    await say(botA, 84001, 'hi', 'Mallory');
    const mine = await contactOf(channelA, 84001);
    const theirs = await other.get('/api/contacts');
    expect(theirs.body.items).toEqual([]);
    expect((await other.get(`/api/contacts/${mine.id}`)).status).toBe(404);
    expect((await other.post(`/api/contacts/${mine.id}/merge`, { sourceId: mine.id })).status).toBe(400);
    // The owner of A cannot pull a contact of B into A (nor B pull A's): 404, nothing moves.
    const bot = t.telegram.addBot();
    await other.post('/api/channels', { type: 'telegram', name: 'Other', config: { botToken: bot, mode: 'webhook' } });
    await t.telegram.deliver(bot, t.telegram.textUpdate(bot, { chatId: 84002, text: 'hello', firstName: 'Eve' }));
    const eve = await eventually(async () => (await other.get('/api/contacts')).body.items[0]);
    const res = await t.owner.post(`/api/contacts/${mine.id}/merge`, { sourceId: eve.id });
    expect(res.status).toBe(404);
    expect((await other.post(`/api/contacts/${eve.id}/merge`, { sourceId: mine.id })).status).toBe(404);
    expect((await other.get(`/api/contacts/${eve.id}`)).body.handles).toHaveLength(1);
    expect((await t.owner.get(`/api/contacts/${mine.id}`)).status).toBe(200);
    expect((await other.get('/api/search?q=Mallory')).body.contacts).toEqual([]);
  });
});

describe('blocking', () => {
  it("a blocked contact's messages are stored, the bot stays silent and nothing reopens; unblocking restores answers", async () => {
    const faq = { kind: 'faq', question: 'How long does delivery take?', answer: 'Delivery takes 2 to 3 days anywhere in the city.' };
    expect((await t.owner.post('/api/knowledge/articles', faq)).status).toBe(201);
    const bot = t.telegram.addBot();
    const ch = await t.owner.post('/api/channels', {
      type: 'telegram',
      name: 'Bot shop',
      config: { botToken: bot, mode: 'webhook', assistant: { enabled: true } },
    });
    expect(ch.status).toBe(201);
    const answers = (chat: number) => t.telegram.sent.filter((s) => s.token === bot && s.chatId === String(chat)).length;

    await say(bot, 85001, 'how long does delivery take?', 'Spammer');
    await eventually(() => answers(85001) === 1, 20_000, 'the first bot answer');
    const spammer = await contactOf(ch.body.id, 85001);
    const blocked = await t.owner.post(`/api/contacts/${spammer.id}/block`, { blocked: true });
    expect(blocked.status).toBe(200);
    expect(blocked.body.blocked).toBe(true);
    await t.owner.patch(`/api/conversations/${spammer.conversations[0]!.id}`, { status: 'resolved' });

    await say(bot, 85001, 'how long does delivery take?', 'Spammer');
    await say(bot, 85002, 'how long does delivery take?', 'Customer');
    await eventually(() => answers(85002) === 1, 20_000, 'the answer to the other customer');
    await new Promise((r) => setTimeout(r, 500));
    expect(answers(85001)).toBe(1);
    const conv = (await t.owner.get(`/api/conversations/${spammer.conversations[0]!.id}`)).body;
    expect(conv.status).toBe('resolved');
    expect(
      (await t.owner.get(`/api/conversations/${conv.id}/messages`)).body.items.filter((m: { direction: string }) => m.direction === 'in'),
    ).toHaveLength(2);
    expect((await t.owner.get('/api/contacts?blocked=true')).body.items.map((c: Contact) => c.id)).toEqual([spammer.id]);
    expect((await t.owner.get('/api/audit?action=contact.blocked')).body.items[0].targetId).toBe(spammer.id);

    expect((await t.owner.post(`/api/contacts/${spammer.id}/block`, { blocked: false })).body.blocked).toBe(false);
    await say(bot, 85001, 'how long does delivery take?', 'Spammer');
    await eventually(() => answers(85001) === 2, 20_000, 'the bot answers again after unblocking');
  });
});

describe('CSV import and export', () => {
  it('imports all rows or none, with per-row errors and stable codes', async () => {
    const bad = await t.owner.post('/api/contacts/import', {
      csv: 'name,phones,emails,orders,wat\nИван,8 900 111-22-33,ivan@example.com,5,\nПётр,not a phone,bad@,много,\n',
    });
    expect(bad.status).toBe(422);
    expect(bad.body.error.code).toBe('invalid_import');
    expect(bad.body.error.details.errors).toEqual([
      expect.objectContaining({ line: 1, column: 'wat', code: 'unknown_column' }),
      expect.objectContaining({ line: 3, column: 'phones', code: 'invalid_phone' }),
      expect.objectContaining({ line: 3, column: 'emails', code: 'invalid_email' }),
      expect.objectContaining({ line: 3, column: 'orders', code: 'invalid_value' }),
    ]);
    expect((await t.owner.get('/api/contacts?q=Иван')).body.items).toEqual([]);

    const malformed = await t.owner.post('/api/contacts/import', { csv: 'name,phones\n"unterminated,1\n' });
    expect(malformed.status).toBe(422);
    expect(malformed.body.error.details.errors[0].code).toBe('malformed_csv');
    expect((await t.owner.post('/api/contacts/import', { csv: 'name\n' })).body.error.details.errors[0].code).toBe('empty');

    const good = await t.owner.post('/api/contacts/import', {
      csv: 'name;phones;emails;city;vip;segment\nИван Импортов;8 900 111-22-33;Ivan@Example.com;Самара;да;Розница\n"Мария; Импорт";+44 20 7946 0958;;;нет;\n',
    });
    expect(good.status).toBe(200);
    expect(good.body).toEqual({ imported: 2 });
    const ivan = (await t.owner.get('/api/contacts?q=ivan@example.com')).body.items[0];
    expect(ivan).toMatchObject({ name: 'Иван Импортов', phones: ['+79001112233'], emails: ['ivan@example.com'] });
    expect((await t.owner.get(`/api/contacts/${ivan.id}`)).body.attributes).toEqual({ city: 'Самара', vip: true, segment: 'Розница' });

    const exported = await t.owner.get('/api/contacts/export');
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-type')).toMatch(/text\/csv/);
    const text = exported.body as string;
    expect(text.split('\n')[0]).toContain('id,name,phones,emails,notes,tags,city,orders,birthday,segment,vip,site,channels');
    expect(text).toContain('Иван Импортов,+79001112233,ivan@example.com');
    expect(text).toContain('Мария; Импорт,+442079460958');
    expect((await t.owner.get('/api/audit?action=contacts.exported')).body.items).toHaveLength(1);
    // What was exported imports back.
    expect((await t.owner.post('/api/contacts/import', { csv: text })).status).toBe(200);
  });
});
