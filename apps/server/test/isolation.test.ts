import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient } from './support/api-client.js';
import { eventually, OWNER, signInNewAccount, startTestApp, type TestApp } from './support/harness.js';
import { listRoutes, type RouteEntry } from './support/routes.js';
import { SseReader } from './support/sse.js';

/**
 * Tenant isolation, proven route by route: every API route Fastify serves that takes an id is called by
 * another account's owner (session and API token) with account A's real ids, and must answer 404 without
 * touching A's data; every list, export and search of account B must not show A's data; and a person of a
 * lower role inside A is refused (403/404) where the role does not reach. Routes are read from Fastify's
 * own route tree, so a new route is covered (or fails here for want of a fixture) without being listed.
 */

const NOTHING = '6f1c2b9e-4d3a-4f5b-8c7d-0e1f2a3b4c5d';
const MARKER = 'Zanzibarqx'; // only in account A's data

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  format?: string;
  minimum?: number;
  minLength?: number;
  minItems?: number;
  default?: unknown;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  allOf?: JsonSchema[];
}
interface Operation {
  parameters?: { in: 'path' | 'query'; name: string; schema: JsonSchema }[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
}

/** A value the schema accepts, so a request passes validation and reaches the lookup behind it. */
function example(s: JsonSchema | undefined, depth = 0): unknown {
  if (!s || depth > 6) return null;
  if (s.const !== undefined) return s.const;
  if (s.enum) return s.enum[0];
  if (s.default !== undefined && s.type !== 'object') return s.default;
  const union = s.oneOf ?? s.anyOf ?? s.allOf;
  if (union) return example(union.find((u) => u.type !== 'null') ?? union[0], depth + 1);
  const type = Array.isArray(s.type) ? s.type.find((x) => x !== 'null') : s.type;
  switch (type) {
    case 'object':
      return Object.fromEntries(Object.entries(s.properties ?? {}).map(([k, v]) => [k, example(v, depth + 1)]));
    case 'array':
      return Array.from({ length: Math.max(1, s.minItems ?? 1) }, () => example(s.items, depth + 1));
    case 'integer':
    case 'number':
      return s.minimum ?? 1;
    case 'boolean':
      return false;
    case 'string':
      if (s.format === 'uuid') return NOTHING;
      if (s.format === 'email') return 'someone@example.com';
      if (s.format === 'uri') return 'https://example.com/x';
      if (s.format === 'date-time') return '2024-01-01T00:00:00.000Z';
      return 'x'.repeat(Math.max(1, s.minLength ?? 1));
    case undefined:
    default:
      return null;
  }
}

let t: TestApp;
let b: ApiClient; // owner of account B
let bToken: ApiClient; // full API token of account B
let agent: ApiClient; // an agent inside account A
let doc: { paths: Record<string, Record<string, Operation>> };
const a: Record<string, string> = {}; // account A's ids
const secrets: string[] = []; // strings of A that must never appear in B's answers

/** Routes answered without a signed-in actor (widget, provider webhooks): they are reached by design. */
const isPublic = (r: RouteEntry) => !r.url.startsWith('/api/') || r.url.startsWith('/api/widget/') || r.url.startsWith('/api/docs');
/** Installation-wide (not per account): only the platform admin, so another account's owner gets 403. */
const installationWide = (r: RouteEntry) => r.url.startsWith('/api/platform/') || r.url.startsWith('/api/backups');

/** Account A's real id for a path parameter, by the route it is in; undefined = no fixture (the test fails). */
function idFor(url: string, param: string): string | undefined {
  if (param === 'messageId') return a.message;
  if (param === 'index') return '0';
  // Objects inside a conversation: the conversation (A's) is what must not be found.
  if (param === 'sid' || param === 'oid') return NOTHING;
  const byPrefix: [string, string | undefined][] = [
    ['/api/ai/categories/', a.category],
    ['/api/ai/evaluation/cases/', a.evaluationCase],
    ['/api/tokens/', a.token],
    ['/api/users/', a.agentUser],
    ['/api/invitations/', a.invitation],
    ['/api/profile/sessions/', a.session],
    ['/api/platform/accounts/', a.account],
    ['/api/roles/', a.role],
    ['/api/channels/', a.channel],
    ['/api/contacts/fields/', a.contactField],
    ['/api/contacts/', a.contact],
    ['/api/conversations/', a.conversation],
    ['/api/knowledge/articles/', a.article],
    ['/api/bridge/links/', a.bridgeLink],
    ['/api/backups/', NOTHING],
    ['/api/webhooks/deliveries/', a.delivery],
    ['/api/webhooks/', a.endpoint],
    ['/api/teams/', a.team],
    ['/api/tags/', a.tag],
    ['/api/canned-responses/', a.canned],
    ['/api/chat/channels/', a.chatChannel],
    ['/api/chat/messages/', a.chatMessage],
    ['/api/chat/files/', a.chatFile],
    ['/api/contacts/', a.contact],
  ];
  return byPrefix.find(([prefix]) => url.startsWith(prefix))?.[1];
}

function fill(r: RouteEntry, nothing = false): string {
  return r.url.replace(/:(\w+)/g, (_m, name: string) => {
    if (nothing) return name === 'index' ? '0' : NOTHING;
    const id = idFor(r.url, name);
    if (!id) throw new Error(`no fixture of account A for :${name} in ${r.method} ${r.url}: add one to the isolation test`);
    return id;
  });
}

/** The OpenAPI operation of a route (Fastify `:id` ↔ OpenAPI `{id}`). */
const operation = (r: RouteEntry): Operation | undefined => doc.paths[r.url.replace(/:(\w+)/g, '{$1}')]?.[r.method.toLowerCase()];

/** Bodies that reach the lookup where the generated one would stop at validation first. */
const BODIES: Record<string, unknown> = {
  'PATCH /api/conversations/:id': { status: 'resolved' },
};

function bodyFor(r: RouteEntry): unknown {
  if (r.method === 'GET' || r.method === 'DELETE') return undefined;
  if (`${r.method} ${r.url}` in BODIES) return BODIES[`${r.method} ${r.url}`];
  const content = operation(r)?.requestBody?.content;
  const json = content?.['application/json']?.schema;
  return json ? example(json) : undefined;
}

const leaks = (text: string) => secrets.filter((s) => text.includes(s));

/**
 * A refusal that does not depend on the id (403 for want of a permission or a session, 400 for the
 * body) tells nothing about account A: the same request with ids that exist nowhere gets the same answer.
 * A success never passes.
 */
async function sameAsForNothing(client: ApiClient, r: RouteEntry, res: { status: number; body: { error?: { code?: string } } }) {
  if (res.status < 400) return false;
  const other = await client.request<{ error?: { code?: string } }>(r.method, fill(r, true), bodyFor(r));
  return other.status === res.status && other.body?.error?.code === res.body?.error?.code;
}

/** The id a fixture request created (fails the setup with the answer when it did not). */
function created(res: { status: number; body: { id?: string } }, what: string): string {
  if (res.status >= 300 || !res.body.id) throw new Error(`could not create ${what}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

beforeAll(async () => {
  t = await startTestApp();
  b = await signInNewAccount(t, { email: 'isolated-b@example.com', password: 'b-password-123', accountName: 'Other Co' });
  bToken = b.withToken((await b.post('/api/tokens', { name: 'b script', scopes: { access: 'full' } })).body.token);
  const session = (await t.owner.get('/api/auth/session')).body;
  a.account = session.user.accountId;
  a.owner = session.user.id;

  a.endpoint = created(await t.owner.post('/api/webhooks', { url: 'https://example.com/hook-a', events: ['message.created'] }), 'endpoint');
  const botToken = t.telegram.addBot();
  const channel = await t.owner.post('/api/channels', { type: 'telegram', name: `A bot ${MARKER}`, config: { botToken, mode: 'webhook' } });
  a.channel = channel.body.id;
  await t.telegram.deliver(botToken, t.telegram.textUpdate(botToken, { chatId: 7101, text: `private to A ${MARKER}` }));
  const conversation = await eventually(async () => (await t.owner.get('/api/conversations?status=all')).body.items[0]);
  a.conversation = conversation.id;
  a.contact = conversation.contact.id;
  a.message = (await t.owner.get(`/api/conversations/${a.conversation}/messages`)).body.items[0].id;
  a.delivery = await eventually(
    async () => (await t.owner.get(`/api/webhooks/${a.endpoint}/deliveries`)).body.items?.[0]?.id as string,
    15_000,
    'a webhook delivery',
  );
  a.article = created(
    await t.owner.post('/api/knowledge/articles', { kind: 'faq', question: `${MARKER} delivery?`, answer: 'Two days.' }),
    'article',
  );
  a.contactField = created(
    await t.owner.post('/api/contacts/fields', { key: 'marker', label: `Field ${MARKER}`, type: 'text' }),
    'contact field',
  );
  a.category = created(await t.owner.post('/api/ai/categories', { name: `cat-${MARKER}` }), 'category');
  a.evaluationCase = created(
    await t.owner.post('/api/ai/evaluation/cases', { question: `${MARKER} how long is delivery?`, expectedArticleId: a.article }),
    'evaluation case',
  );
  a.token = created(await t.owner.post('/api/tokens', { name: `A script ${MARKER}` }), 'token');
  a.agentUser = created(
    await t.owner.post('/api/users', { email: 'a-agent@example.com', name: 'A agent', password: 'agent-password-123', role: 'agent' }),
    'agent',
  );
  a.invitation = created(await t.owner.post('/api/invitations', { email: 'a-invitee@example.com', role: 'agent' }), 'invitation');
  const role = await t.owner.post('/api/roles', { name: `Role ${MARKER}`, permissions: ['conversation.read'] });
  a.role = created({ status: role.status, body: { id: role.body.key } }, 'role');
  a.session = (await t.owner.get('/api/profile/sessions')).body.items[0].id;
  a.contact = conversation.contact.id;
  a.tag = created(await t.owner.post('/api/tags', { name: `tag-${MARKER}` }), 'tag');
  a.team = created(await t.owner.post('/api/teams', { name: `Team ${MARKER}` }), 'team');
  a.canned = created(
    await t.owner.post('/api/canned-responses', { shortcut: 'hello', text: `Hi ${MARKER}`, shared: true }),
    'canned response',
  );
  a.chatChannel = created(await t.owner.post('/api/chat/channels', { kind: 'public', name: `chat-${MARKER}` }), 'chat channel');
  const form = new FormData();
  form.append('file', new Blob([Buffer.from(`%PDF-1.4 ${MARKER}`)], { type: 'application/pdf' }), 'notes.pdf');
  const upload = await fetch(`${t.url}/api/chat/files`, {
    method: 'POST',
    body: form,
    headers: { cookie: t.owner.cookie!, 'x-csrf-token': t.owner.csrfToken! },
  });
  a.chatFile = created({ status: upload.status, body: await upload.json() }, 'chat file');
  a.chatMessage = created(
    await t.owner.post(`/api/chat/channels/${a.chatChannel}/messages`, { text: `Chat ${MARKER}`, fileIds: [a.chatFile] }),
    'chat message',
  );
  a.bridgeLink = NOTHING; // no Telegram operator link in A: the route's own 404 is checked, not its fixture
  agent = t.anonymous();
  expect((await agent.login('a-agent@example.com', 'agent-password-123')).status).toBe(200);
  secrets.push(MARKER, OWNER.email, 'a-agent@example.com');
  for (const key of ['channel', 'conversation', 'message', 'article', 'endpoint', 'token', 'agentUser', 'contact'] as const)
    secrets.push(a[key]!);
  doc = (await t.owner.get('/api/openapi.json')).body;
});
afterAll(async () => t?.stop());

describe('tenant isolation across accounts', () => {
  it('every route that takes an id answers 404 to another account, session and token alike, and changes nothing', async () => {
    const routes = listRoutes(t.running.http as never).filter((r) => r.url.includes(':') && !isPublic(r));
    expect(routes.length).toBeGreaterThan(40);
    const wrong: string[] = [];
    for (const r of routes) {
      const path = fill(r);
      for (const [who, client] of [
        ['session', b],
        ['token', bToken],
      ] as const) {
        const res = await client.request(r.method, path, bodyFor(r));
        const expected = installationWide(r) ? 403 : 404;
        if (res.status !== expected && !(await sameAsForNothing(client, r, res))) {
          wrong.push(`${who} ${r.method} ${r.url} → ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
        }
        const text = typeof res.body === 'string' ? res.body : JSON.stringify(res.body ?? '');
        if (leaks(text).length) wrong.push(`${who} ${r.method} ${r.url} shows A's ${leaks(text).join(', ')}`);
      }
    }
    expect(wrong).toEqual([]);

    // A's data is as it was.
    expect((await t.owner.get(`/api/channels/${a.channel}`)).body.name).toBe(`A bot ${MARKER}`);
    expect((await t.owner.get(`/api/conversations/${a.conversation}`)).body.status).toBe('queued');
    expect((await t.owner.get(`/api/conversations/${a.conversation}/messages`)).body.items).toHaveLength(1);
    expect((await t.owner.get(`/api/knowledge/articles/${a.article}`)).status).toBe(200);
    expect((await t.owner.get(`/api/webhooks/${a.endpoint}`)).status).toBe(200);
    expect((await t.owner.get(`/api/users/${a.agentUser}`)).body.role).toBe('agent');
    expect((await t.owner.get('/api/tokens')).body.items.map((x: { id: string }) => x.id)).toContain(a.token);
  });

  it("the fixtures are real: account A's own owner reaches every id route it reads", async () => {
    const reads = listRoutes(t.running.http as never).filter(
      (r) => r.method === 'GET' && r.url.includes(':') && !isPublic(r) && !installationWide(r),
    );
    const notFound: string[] = [];
    // Attachments of a text message and the suggestion of a conversation without one are 404 to A too.
    const withoutFixture = [/\/attachments\//, /\/suggestion$/, /\/avatar$/, /\/ocr-pages$/];
    for (const r of reads) {
      if (withoutFixture.some((re) => re.test(r.url))) continue;
      const res = await t.owner.get(fill(r));
      if (res.status === 404) notFound.push(`${r.method} ${r.url}`);
    }
    expect(notFound).toEqual([]);
  });

  it("no list, filter, export or search of account B shows account A's data", async () => {
    const lists = listRoutes(t.running.http as never).filter(
      (r) =>
        r.method === 'GET' &&
        !r.url.includes(':') &&
        !isPublic(r) &&
        !installationWide(r) &&
        r.url !== '/api/events' &&
        !r.url.includes('openapi'),
    );
    expect(lists.length).toBeGreaterThan(15);
    const wrong: string[] = [];
    for (const r of lists) {
      const query = (operation(r)?.parameters ?? [])
        .filter((p) => p.in === 'query')
        .flatMap((p) => {
          if (/channel/i.test(p.name)) return [`${p.name}=${a.channel}`];
          if (/conversation/i.test(p.name)) return [`${p.name}=${a.conversation}`];
          if (/assignee|user|actor|person/i.test(p.name)) return [`${p.name}=${a.agentUser}`];
          if (/^(q|query|search|text)$/.test(p.name)) return [`${p.name}=${MARKER}`];
          if (p.name === 'status') return ['status=all'];
          return [];
        });
      for (const [who, client] of [
        ['session', b],
        ['token', bToken],
      ] as const) {
        const res = await client.get(`${r.url}${query.length ? `?${query.join('&')}` : ''}`);
        const text = typeof res.body === 'string' ? res.body : JSON.stringify(res.body ?? '');
        if (res.status >= 500) wrong.push(`${who} ${r.url} → ${res.status}`);
        if (leaks(text).length) wrong.push(`${who} GET ${r.url}?${query.join('&')} shows A's ${leaks(text).join(', ')}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("account B's event stream never carries account A's events, replayed or live", async () => {
    const mine = await SseReader.open(`${t.url}/api/events`, { cookie: t.owner.cookie! });
    const theirs = await SseReader.open(`${t.url}/api/events`, { authorization: `Bearer ${bToken.bearer}`, 'last-event-id': '0' });
    expect(theirs.status).toBe(200);
    await t.owner.post(`/api/conversations/${a.conversation}/messages`, { text: `note ${MARKER}`, private: true });
    await eventually(() => mine.find((e) => JSON.stringify(e.data).includes(`note ${MARKER}`)), 10_000, "A's own event");
    // B's own event after A's: once it arrives, anything of A's would have arrived before it.
    const bChannel = await b.post('/api/channels', { type: 'widget', name: 'B chat', config: { title: 'B' } });
    expect(bChannel.status).toBe(201);
    await eventually(() => theirs.events.length > 0 || undefined, 10_000, "B's own event");
    expect(theirs.events.filter((e) => leaks(JSON.stringify(e.data)).length)).toEqual([]);
    mine.close();
    theirs.close();
  });
});

describe('lower roles inside one account', () => {
  /** Mutations an agent may make on A's objects (conversation work); every other mutation is refused. */
  const agentMay = [
    /^PATCH \/api\/conversations\/:id$/,
    /^POST \/api\/conversations\/:id\/(read|messages|typing|files)$/,
    /^PUT \/api\/conversations\/:id\/(tags|team)$/,
    /^PUT \/api\/contacts\/:id\/tags$/,
    /^POST \/api\/conversations\/:id\/suggestions\/:sid\/(send|reject)$/,
    /^(PATCH|DELETE) \/api\/bridge\/links\/:id$/,
    /^PATCH \/api\/contacts\/:id$/,
    // The team chat: any member of a public channel joins, writes, reacts and pins; editing or deleting
    // someone else's message stays refused.
    /^POST \/api\/chat\/channels\/:id\/(join|leave|read|typing|messages)$/,
    /^POST \/api\/chat\/messages\/:id\/(reactions|pin)$/,
  ];
  /** Reads an agent has no permission for. */
  const agentMayNotRead = [/^GET \/api\/webhooks/, /^GET \/api\/backups/, /^GET \/api\/platform/];

  it("an agent cannot change what only managers change, nor anyone else's tokens and sessions (403/404)", async () => {
    const routes = listRoutes(t.running.http as never).filter((r) => r.url.includes(':') && !isPublic(r));
    const wrong: string[] = [];
    for (const r of routes) {
      const key = `${r.method} ${r.url}`;
      const mutation = r.method !== 'GET';
      if (mutation && agentMay.some((re) => re.test(key))) continue;
      if (!mutation && !agentMayNotRead.some((re) => re.test(key))) continue;
      const res = await agent.request(r.method, fill(r), bodyFor(r));
      if (res.status !== 403 && res.status !== 404) wrong.push(`${key} → ${res.status} ${String(JSON.stringify(res.body)).slice(0, 160)}`);
    }
    expect(wrong).toEqual([]);
    // Still A's owner's: the token, the session, the agent's own role.
    expect((await t.owner.get('/api/tokens')).body.items.map((x: { id: string }) => x.id)).toContain(a.token);
    expect((await t.owner.get(`/api/users/${a.agentUser}`)).body.role).toBe('agent');
    expect((await t.owner.get(`/api/channels/${a.channel}`)).body.name).toBe(`A bot ${MARKER}`);
  });
});
