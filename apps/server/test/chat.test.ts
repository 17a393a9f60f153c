import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from './support/api-client.js';
import { eventually, signInNewAccount, startTestApp, type TestApp } from './support/harness.js';
import { SseReader } from './support/sse.js';

let t: TestApp;
let accountId: string;
const p = {} as Record<'anna' | 'boris' | 'vera' | 'sup' | 'analyst' | 'client', { c: ApiClient; id: string }>;
/** Outbox-driven notifications wait for a settled horizon: up to 60 s while another database client runs long. */
const SETTLED = 75_000;

beforeAll(async () => {
  t = await startTestApp();
  accountId = (await t.owner.get('/api/auth/session')).body.user.accountId;
  const roles = { anna: 'agent', boris: 'agent', vera: 'collaborator', sup: 'supervisor', analyst: 'analyst', client: 'client' } as const;
  for (const [name, role] of Object.entries(roles) as [keyof typeof roles, string][]) {
    const email = `${name}@example.com`;
    const password = `${name}-password-long-enough`;
    await t.running.services.identity.addUser(accountId, { email, name: name[0]!.toUpperCase() + name.slice(1), password, role });
    const c = t.anonymous();
    expect((await c.login(email, password)).status).toBe(200);
    p[name] = { c, id: (await c.get('/api/auth/session')).body.user.id as string };
  }
}, 120_000);

afterAll(async () => {
  await t?.stop();
});

const stream = (c: ApiClient) => SseReader.open(`${t.url}/api/events`, { cookie: c.cookie! });
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('team chat', { timeout: 200_000 }, () => {
  let general: string;

  it('a public channel: anyone with chat.use sees, joins and writes; people without it are refused', async () => {
    const borisStream = await stream(p.boris.c);
    const created = await p.anna.c.post('/api/chat/channels', { kind: 'public', name: 'general', topic: 'Everything' });
    // Everyone with the chat hears of a new public channel.
    await eventually(
      () => borisStream.find((e) => e.event === 'chat.channel' && e.data.channelId === created.body.id),
      5_000,
      'the channel event',
    );
    borisStream.close();
    expect(created.status).toBe(201);
    general = created.body.id;
    expect(created.body).toMatchObject({ kind: 'public', joined: true, memberCount: 1 });
    expect((await p.boris.c.post('/api/chat/channels', { kind: 'public', name: 'General' })).status).toBe(409);
    expect((await p.client.c.get('/api/chat/channels')).status).toBe(403);
    expect((await p.client.c.post('/api/chat/channels', { kind: 'public', name: 'x' })).status).toBe(403);
    // The analyst cannot read conversations but can chat; their stream carries the chat.
    const analystStream = await stream(p.analyst.c);
    expect(analystStream.status).toBe(200);
    const list = await p.analyst.c.get('/api/chat/channels');
    expect(list.body.items.find((c: { id: string }) => c.id === general)).toMatchObject({ joined: false });
    const posted = await p.analyst.c.post(`/api/chat/channels/${general}/messages`, { text: 'Hello team' });
    expect(posted.status).toBe(201);
    expect(posted.body).toMatchObject({ text: 'Hello team', authorName: 'Analyst', replyCount: 0 });
    const live = await eventually(
      () => analystStream.find((e) => e.event === 'chat.message' && e.data.message.id === posted.body.id),
      5_000,
    );
    expect(live.data.change).toBe('created');
    analystStream.close();
    expect((await p.analyst.c.get('/api/chat/channels')).body.items.find((c: { id: string }) => c.id === general).joined).toBe(true);
  });

  it('direct messages and private channels reach only their members — in lists, reads and the live stream', async () => {
    const borisStream = await stream(p.boris.c);
    const veraStream = await stream(p.vera.c);
    const dm = await p.anna.c.post('/api/chat/direct', { userIds: [p.boris.id] });
    expect(dm.status).toBe(200);
    expect(dm.body.kind).toBe('direct');
    expect(dm.body.members.map((m: { name: string }) => m.name).sort()).toEqual(['Anna', 'Boris']);
    // The same pair always gets the same conversation.
    expect((await p.boris.c.post('/api/chat/direct', { userIds: [p.anna.id] })).body.id).toBe(dm.body.id);
    const secret = await p.anna.c.post(`/api/chat/channels/${dm.body.id}/messages`, { text: 'Psst, the discount is 15%' });
    await eventually(() => borisStream.find((e) => e.event === 'chat.message' && e.data.message.id === secret.body.id), 5_000);
    await p.anna.c.post(`/api/chat/channels/${dm.body.id}/typing`, {});
    await eventually(() => borisStream.find((e) => e.event === 'chat.typing' && e.data.channelId === dm.body.id), 5_000);
    await pause(500);
    expect(veraStream.events.filter((e) => e.data?.channelId === dm.body.id || e.data?.message?.channelId === dm.body.id)).toEqual([]);
    expect((await p.vera.c.get(`/api/chat/channels/${dm.body.id}/messages`)).status).toBe(404);
    expect((await p.vera.c.post(`/api/chat/channels/${dm.body.id}/messages`, { text: 'me too' })).status).toBe(404);
    expect((await p.vera.c.get('/api/chat/channels')).body.items.map((c: { id: string }) => c.id)).not.toContain(dm.body.id);
    expect((await p.vera.c.get('/api/chat/search?q=discount')).body.items).toEqual([]);
    expect((await p.boris.c.get('/api/chat/search?q=discount')).body.items.map((m: { id: string }) => m.id)).toEqual([secret.body.id]);
    // Even the supervisor (chat.manage) does not read other people's direct messages.
    expect((await p.sup.c.get(`/api/chat/channels/${dm.body.id}/messages`)).status).toBe(404);

    const priv = await p.anna.c.post('/api/chat/channels', { kind: 'private', name: 'leads', memberIds: [p.boris.id] });
    expect(priv.status).toBe(201);
    expect((await p.vera.c.post(`/api/chat/channels/${priv.body.id}/join`)).status).toBe(404);
    const added = await p.boris.c.post(`/api/chat/channels/${priv.body.id}/members`, { userIds: [p.vera.id] });
    expect(added.body.memberCount).toBe(3);
    expect((await p.vera.c.get(`/api/chat/channels/${priv.body.id}/messages`)).status).toBe(200);
    expect((await p.anna.c.post('/api/chat/channels', { kind: 'private', name: 'x', memberIds: [p.client.id] })).status).toBe(400);
    borisStream.close();
    veraStream.close();
  });

  it('threads, reactions, pins, edits and deletes (own; others’ with chat.manage)', async () => {
    const root = (await p.anna.c.post(`/api/chat/channels/${general}/messages`, { text: 'Who takes the Avito lead?' })).body;
    const reply = await p.boris.c.post(`/api/chat/channels/${general}/messages`, { text: 'Me', threadRootId: root.id });
    expect(reply.status).toBe(201);
    const thread = (await p.anna.c.get(`/api/chat/messages/${root.id}/thread`)).body;
    expect(thread.root.replyCount).toBe(1);
    expect(thread.replies.map((m: { text: string }) => m.text)).toEqual(['Me']);
    // Thread replies stay out of the channel's top level.
    expect((await p.anna.c.get(`/api/chat/channels/${general}/messages`)).body.items.map((m: { id: string }) => m.id)).not.toContain(
      reply.body.id,
    );
    expect((await p.boris.c.post(`/api/chat/channels/${general}/messages`, { text: 'x', threadRootId: reply.body.id })).status).toBe(400);

    await p.boris.c.post(`/api/chat/messages/${root.id}/reactions`, { emoji: '👍', on: true });
    const reacted = await p.vera.c.post(`/api/chat/messages/${root.id}/reactions`, { emoji: '👍', on: true });
    expect(reacted.body.reactions).toEqual([{ emoji: '👍', count: 2, userIds: [p.boris.id, p.vera.id] }]);
    expect((await p.vera.c.post(`/api/chat/messages/${root.id}/reactions`, { emoji: '👍', on: false })).body.reactions[0].count).toBe(1);

    expect((await p.boris.c.post(`/api/chat/messages/${root.id}/pin`, { pinned: true })).body.pinnedAt).not.toBeNull();
    expect((await p.anna.c.get(`/api/chat/channels/${general}/pins`)).body.items.map((m: { id: string }) => m.id)).toEqual([root.id]);

    expect((await p.boris.c.patch(`/api/chat/messages/${root.id}`, { text: 'hijack' })).status).toBe(403);
    const edited = await p.anna.c.patch(`/api/chat/messages/${root.id}`, { text: 'Who takes the Avito lead? (sofa)' });
    expect(edited.body.editedAt).not.toBeNull();
    expect((await p.boris.c.request('DELETE', `/api/chat/messages/${root.id}`)).body.error.code).toBe('forbidden');
    const removed = await p.sup.c.request('DELETE', `/api/chat/messages/${root.id}`);
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ deleted: true, text: '', reactions: [], pinnedAt: null });
    expect((await p.anna.c.get(`/api/chat/channels/${general}/pins`)).body.items).toEqual([]);
    expect((await p.anna.c.request('DELETE', `/api/chat/messages/${reply.body.id}`)).status).toBe(403);
    expect((await p.boris.c.request('DELETE', `/api/chat/messages/${reply.body.id}`)).status).toBe(200);
  });

  it('unread counters: others’ messages count until read; mentions counted apart; a newcomer starts with nothing unread', async () => {
    const ch = (await p.anna.c.post('/api/chat/channels', { kind: 'public', name: 'sales' })).body.id;
    await p.boris.c.post(`/api/chat/channels/${ch}/join`);
    await p.anna.c.post(`/api/chat/channels/${ch}/messages`, { text: 'one' });
    const two = (await p.anna.c.post(`/api/chat/channels/${ch}/messages`, { text: '@Boris two', mentions: [p.boris.id, p.client.id] }))
      .body;
    expect(two.mentions).toEqual([p.boris.id]); // a mention of someone without the chat is dropped
    const mine = async (c: ApiClient) => (await c.get('/api/chat/channels')).body.items.find((x: { id: string }) => x.id === ch);
    expect(await mine(p.boris.c)).toMatchObject({ unread: 2, mentions: 1 });
    expect(await mine(p.anna.c)).toMatchObject({ unread: 0 });
    const s = await stream(p.boris.c);
    expect((await p.boris.c.post(`/api/chat/channels/${ch}/read`, { seq: two.seq })).body.lastReadSeq).toBe(two.seq);
    await eventually(() => s.find((e) => e.event === 'chat.read' && e.data.channelId === ch), 5_000);
    s.close();
    expect(await mine(p.boris.c)).toMatchObject({ unread: 0, mentions: 0 });
    await p.vera.c.post(`/api/chat/channels/${ch}/join`);
    expect(await mine(p.vera.c)).toMatchObject({ unread: 0, joined: true });
  });

  it('mentions and direct messages become notifications (bell), not for the author', async () => {
    const ch = (await p.anna.c.post('/api/chat/channels', { kind: 'public', name: 'support' })).body.id;
    const m = (await p.anna.c.post(`/api/chat/channels/${ch}/messages`, { text: '@Vera can you look?', mentions: [p.vera.id, p.anna.id] }))
      .body;
    const n = await eventually(
      async () =>
        (await p.vera.c.get('/api/notifications')).body.items.find((x: { data: { messageId?: string } }) => x.data.messageId === m.id),
      SETTLED,
      'the mention',
    );
    expect(n).toMatchObject({ kind: 'chat_mention', link: `/chat/${ch}`, body: '@Vera can you look?' });
    expect(n.title).toMatch(/#support/);
    const dm = (await p.boris.c.post('/api/chat/direct', { userIds: [p.sup.id] })).body.id;
    const d = (await p.boris.c.post(`/api/chat/channels/${dm}/messages`, { text: 'Got a minute?' })).body;
    const dn = await eventually(
      async () =>
        (await p.sup.c.get('/api/notifications')).body.items.find((x: { data: { messageId?: string } }) => x.data.messageId === d.id),
      SETTLED,
      'the DM',
    );
    expect(dn.kind).toBe('chat_direct');
    expect(
      (await p.anna.c.get('/api/notifications')).body.items.filter((x: { data: { messageId?: string } }) => x.data.messageId === m.id),
    ).toEqual([]);
    expect(
      (await p.boris.c.get('/api/notifications')).body.items.filter((x: { data: { messageId?: string } }) => x.data.messageId === d.id),
    ).toEqual([]);
  });

  it('files: uploaded, attached, downloaded by those who see the message only', async () => {
    const form = new FormData();
    form.append('file', new Blob([Buffer.from('%PDF-1.4 price list')], { type: 'application/pdf' }), 'prices.pdf');
    const up = await fetch(`${t.url}/api/chat/files`, {
      method: 'POST',
      body: form,
      headers: { cookie: p.anna.c.cookie!, 'x-csrf-token': p.anna.c.csrfToken! },
    });
    expect(up.status).toBe(201);
    const file = (await up.json()) as { id: string; fileName: string; size: number };
    expect(file).toMatchObject({ fileName: 'prices.pdf', size: 19 });
    const dm = (await p.anna.c.post('/api/chat/direct', { userIds: [p.boris.id] })).body.id;
    // Someone else cannot attach my upload.
    expect((await p.boris.c.post(`/api/chat/channels/${dm}/messages`, { fileIds: [file.id] })).status).toBe(400);
    const msg = await p.anna.c.post(`/api/chat/channels/${dm}/messages`, { fileIds: [file.id] });
    expect(msg.status).toBe(201);
    expect(msg.body.attachments).toEqual([{ fileId: file.id, fileName: 'prices.pdf', size: 19, contentType: 'application/pdf' }]);
    const got = await fetch(`${t.url}/api/chat/files/${file.id}`, { headers: { cookie: p.boris.c.cookie! } });
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('application/octet-stream'); // never active content on our origin
    expect(await got.text()).toBe('%PDF-1.4 price list');
    expect((await fetch(`${t.url}/api/chat/files/${file.id}`, { headers: { cookie: p.vera.c.cookie! } })).status).toBe(404);
    expect((await p.anna.c.post(`/api/chat/channels/${dm}/messages`, {})).status).toBe(400);
  });

  it('a conversation or contact shared into the chat becomes a card linking to it; only by people who may see it', async () => {
    const ch = await t.owner.post('/api/channels', { type: 'api', name: 'Site', config: {} });
    const token = (await t.owner.post('/api/tokens', { name: 'b' })).body.token as string;
    const res = await t.owner.withToken(token).post(`/api/channels/${ch.body.id}/messages`, {
      messageId: 'm1',
      contact: { externalId: 'c1', name: 'Olga' },
      text: 'Where is my order?',
    });
    const conversationId = res.body.conversationId as string;
    const shared = await p.anna.c.post(`/api/chat/channels/${general}/messages`, {
      text: 'Look at this one',
      share: { type: 'conversation', id: conversationId },
    });
    expect(shared.status).toBe(201);
    expect(shared.body.card).toMatchObject({ type: 'conversation', id: conversationId });
    expect(shared.body.card.title).toContain('Olga');
    expect(shared.body.card.subtitle).toContain('Site');
    expect(
      (await p.analyst.c.post(`/api/chat/channels/${general}/messages`, { share: { type: 'conversation', id: conversationId } })).status,
    ).toBe(403);
    const contactId = (await t.owner.get(`/api/conversations/${conversationId}`)).body.contact?.id as string | undefined;
    if (contactId) {
      const card = await p.anna.c.post(`/api/chat/channels/${general}/messages`, { share: { type: 'contact', id: contactId } });
      expect(card.body.card).toMatchObject({ type: 'contact', title: 'Olga' });
    }
    expect(
      (await p.anna.c.post(`/api/chat/channels/${general}/messages`, { share: { type: 'conversation', id: crypto.randomUUID() } })).status,
    ).toBe(404);
  });

  it('channel settings: the creator or chat.manage; another account sees nothing of this chat', async () => {
    expect((await p.boris.c.patch(`/api/chat/channels/${general}`, { topic: 'mine now' })).status).toBe(403);
    expect((await p.sup.c.patch(`/api/chat/channels/${general}`, { topic: 'Company news' })).body.topic).toBe('Company news');
    const archived = await p.anna.c.patch(`/api/chat/channels/${general}`, { archived: true });
    expect(archived.body.archived).toBe(true);
    expect((await p.anna.c.post(`/api/chat/channels/${general}/messages`, { text: 'late' })).status).toBe(409);
    await p.anna.c.patch(`/api/chat/channels/${general}`, { archived: false });

    const other = await signInNewAccount(t, { email: 'chat-other@example.com', password: 'chat-other-password' });
    expect((await other.get('/api/chat/channels')).body.items).toEqual([]);
    expect((await other.get(`/api/chat/channels/${general}/messages`)).status).toBe(404);
    expect((await other.get('/api/chat/search?q=Hello')).body.items).toEqual([]);
    expect((await other.post('/api/chat/direct', { userIds: [p.anna.id] })).status).toBe(400);
    const otherStream = await stream(other);
    await p.anna.c.post(`/api/chat/channels/${general}/messages`, { text: 'not for them' });
    await pause(800);
    expect(otherStream.events.filter((e) => e.event.startsWith('chat.'))).toEqual([]);
    otherStream.close();
  });
});
