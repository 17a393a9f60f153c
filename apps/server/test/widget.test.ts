import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestApp, type TestApp } from './support/harness.js';
import { SseReader } from './support/sse.js';

let t: TestApp;
let channelId: string;
let clientSeq = 0;

beforeAll(async () => {
  t = await startTestApp();
  const ch = await t.owner.post('/api/channels', {
    type: 'widget',
    name: 'Site chat',
    config: { title: 'Cosy Sofa', greeting: 'Hi there', color: '#0f766e', locale: 'en', preChat: { name: true, email: false } },
  });
  expect(ch.status).toBe(201);
  channelId = ch.body.id;
});
afterAll(async () => {
  await t?.stop();
});

const api = (path: string, id = channelId) => `/api/widget/${id}${path}`;
const clientId = () => `client-${process.pid}-${++clientSeq}`;

async function newVisitor(id = channelId): Promise<{ visitorId: string; token: string }> {
  const res = await t.anonymous().post(api('/session', id), {});
  expect(res.status).toBe(200);
  return res.body;
}

function visitorSays(token: string, text: string, extra: Record<string, unknown> = {}, id = channelId) {
  return t.anonymous().post(api('/messages', id), { clientId: clientId(), text, ...extra }, { 'x-widget-token': token });
}

/** The visitor's event stream, opened the way the widget does: a one-minute ticket in the URL, never the token. */
async function openStream(token: string, id = channelId, headers: Record<string, string> = {}): Promise<SseReader> {
  const res = await t.anonymous().post(api('/events/ticket', id), undefined, { 'x-widget-token': token });
  expect(res.status).toBe(200);
  return SseReader.open(`${t.url}${api('/events', id)}?ticket=${encodeURIComponent(res.body.ticket)}`, headers);
}

const history = async (token: string, id = channelId) =>
  (await t.anonymous().get(api('/messages', id), { 'x-widget-token': token })).body.items as { id: string; author: string; text: string }[];

async function conversationOf(visitorId: string) {
  return eventually(async () => {
    const list = await t.owner.get('/api/conversations?status=all&limit=200');
    return list.body.items.find((c: { contact: { externalId: string } }) => c.contact.externalId === visitorId);
  });
}

describe('widget channel', () => {
  it('connects with an embed snippet and keeps its signing key out of the API', async () => {
    const ch = await t.owner.get(`/api/channels/${channelId}`);
    expect(ch.body.status).toBe('connected');
    expect(ch.body.config.embedUrl).toBe(`${t.url}/widget.js`);
    expect(ch.body.config.embedSnippet).toBe(`<script src="${t.url}/widget.js" data-channel="${channelId}" async></script>`);
    expect(JSON.stringify(ch.body)).not.toMatch(/visitorKey/);
  });

  it('serves its public settings, and only for widget channels', async () => {
    const res = await t.anonymous().get(api('/config'));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      channelId,
      title: 'Cosy Sofa',
      greeting: 'Hi there',
      color: '#0f766e',
      locale: 'en',
      preChat: { name: true, email: false },
    });
    const botToken = t.telegram.addBot();
    const tg = await t.owner.post('/api/channels', { type: 'telegram', name: 'Bot', config: { botToken } });
    expect((await t.anonymous().get(api('/config', tg.body.id))).status).toBe(404);
    expect((await t.anonymous().get(api('/config', '00000000-0000-4000-8000-000000000000'))).status).toBe(404);
  });

  it('starts and resumes visitor sessions; a forged or foreign token is refused with 401', async () => {
    const v = await newVisitor();
    expect(v.token).toMatch(/^v1\./);
    const resumed = await t.anonymous().post(api('/session'), { token: v.token });
    expect(resumed.body).toEqual({ visitorId: v.visitorId, token: v.token, resumed: true });

    const [version, , signature] = v.token.split('.');
    const other = await newVisitor();
    const forged = [`${version}.${other.visitorId}.${signature}`, `${v.token.slice(0, -3)}abc`, 'v1.garbage', ''];
    for (const token of forged) {
      expect((await t.anonymous().post(api('/session'), { token })).status).toBe(401);
      const read = await t.anonymous().get(api('/messages'), { 'x-widget-token': token });
      expect(read.status).toBe(401);
      expect(read.body.error.code).toBe('invalid_visitor_token');
      expect((await visitorSays(token, 'hello')).status).toBe(401);
      const ticket = await t.anonymous().post(api('/events/ticket'), undefined, { 'x-widget-token': token });
      expect(ticket.status).toBe(401);
      expect(ticket.body.error.code).toBe('invalid_visitor_token');
    }
    expect((await t.anonymous().get(api('/messages'))).status).toBe(401);

    // A token of another widget channel opens nothing here.
    const second = await t.owner.post('/api/channels', { type: 'widget', name: 'Second site', config: {} });
    const foreign = await newVisitor(second.body.id);
    expect((await t.anonymous().get(api('/messages'), { 'x-widget-token': foreign.token })).status).toBe(401);
  });

  it('opens the event stream with a one-minute ticket: the visitor token never goes into a URL', async () => {
    const v = await newVisitor();
    const before = Date.now();
    const res = await t.anonymous().post(api('/events/ticket'), undefined, { 'x-widget-token': v.token });
    expect(res.status).toBe(200);
    expect(res.body.ticket).toMatch(/^s1\./);
    expect(res.body.ticket).not.toContain(v.token.split('.')[2]);
    const expiresAt = Date.parse(res.body.expiresAt);
    expect(expiresAt).toBeGreaterThan(before + 30_000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 60_000);

    const byTicket = await SseReader.open(`${t.url}${api('/events')}?ticket=${encodeURIComponent(res.body.ticket)}`, {});
    expect(byTicket.status).toBe(200);
    byTicket.close();
    // Clients that can send headers may still use the token, in its header.
    const byHeader = await SseReader.open(`${t.url}${api('/events')}`, { 'x-widget-token': v.token });
    expect(byHeader.status).toBe(200);
    byHeader.close();

    const refused = [
      `token=${encodeURIComponent(v.token)}`,
      `ticket=${encodeURIComponent(v.token)}`,
      `ticket=${encodeURIComponent(`${res.body.ticket.slice(0, -3)}abc`)}`,
      '',
    ];
    for (const query of refused) {
      const stream = await fetch(`${t.url}${api('/events')}?${query}`);
      expect(stream.status).toBe(401);
      expect(((await stream.json()) as { error: { code: string } }).error.code).toBe('invalid_stream_ticket');
    }
    // A ticket is not a token, and opens no other channel's stream.
    expect((await t.anonymous().get(api('/messages'), { 'x-widget-token': res.body.ticket })).status).toBe(401);
    const second = await t.owner.post('/api/channels', { type: 'widget', name: 'Ticket site', config: {} });
    expect((await fetch(`${t.url}${api('/events', second.body.id)}?ticket=${encodeURIComponent(res.body.ticket)}`)).status).toBe(401);
  });

  it('carries a visitor message to the inbox and the operator reply back, live; private notes never reach the visitor', async () => {
    const v = await newVisitor();
    const stream = await openStream(v.token);
    expect(stream.status).toBe(200);
    const posted = await visitorSays(v.token, 'Is the green sofa in stock?', {
      visitor: { name: 'Anna', email: 'anna@example.com' },
      page: { url: 'https://shop.example/sofas/green', title: 'Green sofa' },
    });
    expect(posted.status).toBe(201);
    expect(posted.body.message).toMatchObject({ author: 'visitor', authorName: null, text: 'Is the green sofa in stock?' });
    expect(posted.body.duplicate).toBe(false);

    const conv = await conversationOf(v.visitorId);
    expect(conv.channelType).toBe('widget');
    expect(conv.contact).toMatchObject({ name: 'Anna', username: 'anna@example.com', externalId: v.visitorId });
    expect(conv.context).toEqual({ kind: 'page', url: 'https://shop.example/sofas/green', title: 'Green sofa' });

    const note = await t.owner.post(`/api/conversations/${conv.id}/messages`, { text: 'VIP customer, offer a discount', private: true });
    expect(note.status).toBe(201);
    const reply = await t.owner.post(`/api/conversations/${conv.id}/messages`, { text: 'Yes, two left!' });
    expect(reply.status).toBe(201);

    const live = await eventually(() => stream.find((e) => e.data.id === reply.body.id), 15_000, 'the reply on the visitor stream');
    expect(live.event).toBe('message');
    expect(live.data).toMatchObject({ author: 'operator', authorName: 'Owner', text: 'Yes, two left!' });
    await eventually(
      async () => {
        const msgs = (await t.owner.get(`/api/conversations/${conv.id}/messages`)).body.items;
        return msgs.find((m: { id: string; status: string }) => m.id === reply.body.id && m.status === 'sent');
      },
      15_000,
      'the reply marked sent',
    );

    const items = await history(v.token);
    expect(items.map((m) => [m.author, m.text])).toEqual([
      ['visitor', 'Is the green sofa in stock?'],
      ['operator', 'Yes, two left!'],
    ]);
    expect(JSON.stringify(items)).not.toContain('VIP customer');
    expect(stream.events.some((e) => JSON.stringify(e.data).includes('VIP customer'))).toBe(false);
    stream.close();
  });

  it("never shows one visitor another visitor's conversation", async () => {
    const a = await newVisitor();
    const b = await newVisitor();
    const streamB = await openStream(b.token);
    expect((await visitorSays(a.token, 'my address is Lenina 1')).status).toBe(201);
    const conv = await conversationOf(a.visitorId);
    const reply = await t.owner.post(`/api/conversations/${conv.id}/messages`, { text: 'Delivery to Lenina 1 on Friday' });
    await eventually(async () => (await history(a.token)).some((m) => m.id === reply.body.id), 15_000, 'the reply to A');
    expect(await history(b.token)).toEqual([]);
    expect(streamB.events).toEqual([]);
    streamB.close();
  });

  it('stores a retried message once (same client id)', async () => {
    const v = await newVisitor();
    const body = { clientId: clientId(), text: 'only once please' };
    const first = await t.anonymous().post(api('/messages'), body, { 'x-widget-token': v.token });
    const again = await t.anonymous().post(api('/messages'), body, { 'x-widget-token': v.token });
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ message: first.body.message, duplicate: true });
    expect(first.body.message.clientId).toBe(body.clientId);
    const conv = await conversationOf(v.visitorId);
    const msgs = (await t.owner.get(`/api/conversations/${conv.id}/messages`)).body.items;
    expect(msgs.filter((m: { text: string }) => m.text === 'only once please')).toHaveLength(1);
    // Another visitor using the same client id is a different message.
    const w = await newVisitor();
    expect((await t.anonymous().post(api('/messages'), body, { 'x-widget-token': w.token })).status).toBe(201);
  });

  it('replays what a reconnecting stream missed (Last-Event-ID), and only its own', async () => {
    const v = await newVisitor();
    const first = await openStream(v.token);
    await visitorSays(v.token, 'first question');
    const seen = await eventually(() => first.find((e) => e.data.text === 'first question'), 10_000, 'own message echoed');
    first.close();
    const conv = await conversationOf(v.visitorId);
    const reply = await t.owner.post(`/api/conversations/${conv.id}/messages`, { text: 'answered while you were away' });
    await eventually(async () => (await history(v.token)).some((m) => m.id === reply.body.id), 15_000, 'the reply delivered');

    const again = await openStream(v.token, channelId, { 'last-event-id': seen.id! });
    const replayed = await eventually(() => again.find((e) => e.data.id === reply.body.id), 10_000, 'the replayed reply');
    expect(Number(replayed.id)).toBeGreaterThan(Number(seen.id));
    expect(again.events.every((e) => e.data.text !== 'first question')).toBe(true);
    again.close();
  });

  it('validates what a visitor sends', async () => {
    const v = await newVisitor();
    expect((await visitorSays(v.token, 'x'.repeat(4001))).status).toBe(400);
    expect((await visitorSays(v.token, '   ')).status).toBe(400);
    const badId = await t.anonymous().post(api('/messages'), { clientId: 'a b', text: 'hi' }, { 'x-widget-token': v.token });
    expect(badId.status).toBe(400);
    expect((await visitorSays(v.token, 'hi', { visitor: { email: 'not-an-email' } })).status).toBe(400);
    // A page URL that is not http(s) is not kept as the conversation's context.
    expect((await visitorSays(v.token, 'hi', { page: { url: 'javascript:alert(1)' } })).status).toBe(201);
    const conv = await conversationOf(v.visitorId);
    expect(conv.context).toBeNull();
  });

  it('limits how fast one visitor can post', async () => {
    const v = await newVisitor();
    for (let i = 0; i < 20; i++) expect((await visitorSays(v.token, `message ${i}`)).status).toBe(201);
    const over = await visitorSays(v.token, 'one too many');
    expect(over.status).toBe(429);
    expect(over.body.error.code).toBe('rate_limited');
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await history(v.token)).some((m) => m.text === 'one too many')).toBe(false);
  });
});

describe('widget with the AI first line', () => {
  it("answers a visitor's question from the knowledge base, into the visitor's history", async () => {
    const faq = { kind: 'faq', question: 'How long does delivery take?', answer: 'Delivery takes 2 to 3 days anywhere in the city.' };
    expect((await t.owner.post('/api/knowledge/articles', faq)).status).toBe(201);
    const ch = await t.owner.post('/api/channels', { type: 'widget', name: 'Bot site', config: { assistant: { enabled: true } } });
    expect(ch.status).toBe(201);
    const v = await newVisitor(ch.body.id);
    const stream = await openStream(v.token, ch.body.id);
    expect((await visitorSays(v.token, 'how long does delivery take?', {}, ch.body.id)).status).toBe(201);
    const live = await eventually(() => stream.find((e) => e.data.author === 'bot'), 20_000, 'the bot answer on the stream');
    // The widget shows where the answer came from (the AI setting `sourceLineChannels` includes it by default).
    const answer = `${faq.answer}\n\nSource: ${faq.question}`;
    expect(live.data).toMatchObject({ author: 'bot', authorName: null, text: answer });
    expect((await history(v.token, ch.body.id)).map((m) => [m.author, m.text])).toEqual([
      ['visitor', 'how long does delivery take?'],
      ['bot', answer],
    ]);
    expect((await conversationOf(v.visitorId)).status).toBe('bot');
    stream.close();
  });
});

describe('widget CORS', () => {
  let guarded: string;
  beforeAll(async () => {
    const ch = await t.owner.post('/api/channels', {
      type: 'widget',
      name: 'Guarded',
      config: { allowedOrigins: ['https://shop.example'] },
    });
    guarded = ch.body.id;
  });

  it('answers an allowed origin, and refuses another with a readable 403', async () => {
    const ok = await t.anonymous().get(api('/config', guarded), { origin: 'https://shop.example' });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    expect(ok.headers.get('vary')).toMatch(/Origin/);

    const refused = await t.anonymous().get(api('/config', guarded), { origin: 'https://evil.example' });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('origin_not_allowed');
    expect(refused.body.error.message).toContain('https://evil.example');
    expect(refused.headers.get('access-control-allow-origin')).toBe('https://evil.example');

    const v = await newVisitor(guarded);
    const post = await t
      .anonymous()
      .post(
        api('/messages', guarded),
        { clientId: clientId(), text: 'from a foreign site' },
        { 'x-widget-token': v.token, origin: 'https://evil.example' },
      );
    expect(post.status).toBe(403);
    expect(await history(v.token, guarded)).toEqual([]);
    // The product's own pages (the demo) may always use it.
    expect((await t.anonymous().get(api('/config', guarded), { origin: t.url })).status).toBe(200);
  });

  it('handles preflight requests', async () => {
    const pre = (origin: string) =>
      fetch(`${t.url}${api('/messages', guarded)}`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, x-widget-token' },
      });
    const ok = await pre('https://shop.example');
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    expect(ok.headers.get('access-control-allow-methods')).toContain('POST');
    expect(ok.headers.get('access-control-allow-headers')).toContain('x-widget-token');
    const refused = await pre('https://evil.example');
    expect(refused.status).toBe(403);
    // Any origin may embed a channel without a list.
    const open = await fetch(`${t.url}${api('/session')}`, { method: 'OPTIONS', headers: { origin: 'https://anywhere.example' } });
    expect(open.status).toBe(204);
  });
});

describe('widget script and demo page', () => {
  it('serves /widget.js to any site', async () => {
    const res = await fetch(`${t.url}/widget.js`, { headers: { origin: 'https://shop.example' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/javascript/);
    expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    const code = await res.text();
    expect(code.length).toBeGreaterThan(1000);
    expect(code).toContain('data-switchboard-widget');
    const cached = await fetch(`${t.url}/widget.js`, { headers: { 'if-none-match': res.headers.get('etag')! } });
    expect(cached.status).toBe(304);
  });

  it('documents the public widget API in OpenAPI, without a security scheme', async () => {
    const doc = (await t.anonymous().get('/api/openapi.json')).body;
    for (const path of ['config', 'session', 'messages', 'events']) expect(doc.paths).toHaveProperty([`/api/widget/{channelId}/${path}`]);
    expect(doc.paths['/api/widget/{channelId}/messages'].post.security).toEqual([]);
  });

  it('serves a demo shop with the widget embedded', async () => {
    const res = await fetch(`${t.url}/widget/demo/${channelId}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(await res.text()).toContain(`<script src="/widget.js" data-channel="${channelId}" async></script>`);
    expect((await fetch(`${t.url}/widget/demo/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
  });
});
