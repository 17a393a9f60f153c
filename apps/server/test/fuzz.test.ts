import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, OWNER, startTestApp, type TestApp } from './support/harness.js';

/**
 * Every route of the OpenAPI document gets a fixed, seeded set of hostile inputs — NUL bytes, unpaired
 * surrogates, 1 MB strings, wrong types, forged ids and cursors, broken JSON and multipart — as the
 * owner, as an anonymous caller, and on the public widget and provider webhook routes with a real
 * channel behind them. None may answer 5xx (nor hang).
 */

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minimum?: number;
  minLength?: number;
  default?: unknown;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  allOf?: JsonSchema[];
  nullable?: boolean;
}
interface Operation {
  parameters?: { in: 'path' | 'query'; name: string; schema: JsonSchema }[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
}
interface Request {
  method: string;
  path: string;
  body?: string | FormData | Blob;
  contentType?: string;
  what: string;
}

const NOTHING = '6f1c2b9e-4d3a-4f5b-8c7d-0e1f2a3b4c5d';
const NUL = 'a\u0000b';
const SURROGATE = 'x\ud800y';
const TAIL_SURROGATE = 'z\udfff';
const HUGE = 'a'.repeat(1_000_000);
const b64 = (s: string) => Buffer.from(s).toString('base64url');
const FORGED_IDS = [
  'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz',
  '-'.repeat(36),
  NOTHING,
  'a%00b',
  '%ED%A0%80',
  '%F0',
  'x'.repeat(120),
  '0',
  '..',
];
const FORGED_QUERY = [
  '%00',
  'a%00b',
  '%ED%A0%80',
  '%F0%9F',
  '99999999999999999999',
  '-1',
  '1e309',
  'null',
  '[]',
  b64(`2020-01-01T00:00:00.000Z|not-a-uuid`),
  b64(`+275760-09-13T00:00:00.000Z|${NOTHING}`),
  b64(`-271821-04-20T00:00:00.000Z|${NOTHING}`),
  b64('\u0000|\u0000'),
  'AAAA',
  'x'.repeat(5000),
];

let t: TestApp;
let doc: { paths: Record<string, Record<string, Operation>> };
const ids: Record<string, string> = {};
let telegramBot: string;
let widgetToken: string;

beforeAll(async () => {
  t = await startTestApp();
  telegramBot = t.telegram.addBot();
  const tg = await t.owner.post('/api/channels', { type: 'telegram', name: 'Bot', config: { botToken: telegramBot, mode: 'webhook' } });
  const widget = await t.owner.post('/api/channels', { type: 'widget', name: 'Chat', config: { title: 'Shop' } });
  const article = await t.owner.post('/api/knowledge/articles', { kind: 'faq', question: 'Delivery?', answer: 'Two days.' });
  const endpoint = await t.owner.post('/api/webhooks', { url: 'https://example.com/hook', events: ['message.created'] });
  const token = await t.owner.post('/api/tokens', { name: 'fuzz' });
  for (const res of [tg, widget, article, endpoint, token]) expect(res.status).toBe(201);
  Object.assign(ids, { telegram: tg.body.id, widget: widget.body.id, article: article.body.id, endpoint: endpoint.body.id });
  ids.token = token.body.id;
  widgetToken = (await t.anonymous().post(`/api/widget/${ids.widget}/session`, {})).body.token;
  expect(await t.telegram.deliver(telegramBot, t.telegram.textUpdate(telegramBot, { chatId: 4242, text: 'Hello' }))).toBe(200);
  const conversation = await eventually(async () => (await t.owner.get('/api/conversations?status=all')).body.items[0]);
  ids.conversation = conversation.id;
  ids.message = (await t.owner.get(`/api/conversations/${conversation.id}/messages`)).body.items[0].id;
  ids.user = (await t.owner.get('/api/auth/session')).body.user.id;
  doc = (await t.owner.get('/api/openapi.json')).body;
});
afterAll(async () => {
  await t?.stop();
});

/** The real id a path parameter names, so that hostile bodies reach the code behind the lookup. */
function realId(path: string, name: string): string {
  if (name === 'messageId') return ids.message!;
  if (name === 'index') return '0';
  if (name === 'secret') return 'not-the-secret';
  if (name === 'channelId') return path.includes('/telegram/') ? ids.telegram! : path.startsWith('/api/widget') ? ids.widget! : NOTHING;
  const byPrefix: [string, string | undefined][] = [
    ['/api/channels', path.includes('/messages') || path.includes('callback-secret') ? NOTHING : ids.telegram],
    ['/api/conversations', ids.conversation],
    ['/api/knowledge/articles', ids.article],
    ['/api/webhooks/deliveries', NOTHING],
    ['/api/webhooks', ids.endpoint],
    ['/api/tokens', NOTHING],
    ['/api/users', ids.user],
  ];
  return byPrefix.find(([prefix]) => path.startsWith(prefix))?.[1] ?? NOTHING;
}

/** A value the schema accepts (as far as a fuzz baseline needs), filling optional fields too. */
function example(s: JsonSchema | undefined, depth = 0): unknown {
  if (!s || depth > 6) return null;
  if (s.const !== undefined) return s.const;
  if (s.enum) return s.enum[0];
  if (s.default !== undefined && s.type !== 'object') return s.default;
  const union = s.oneOf ?? s.anyOf ?? s.allOf;
  if (union) return example(union[0], depth + 1);
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case 'object':
      return Object.fromEntries(Object.entries(s.properties ?? {}).map(([k, v]) => [k, example(v, depth + 1)]));
    case 'array':
      return [example(s.items, depth + 1)];
    case 'integer':
    case 'number':
      return s.minimum ?? 1;
    case 'boolean':
      return true;
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

/** JSON paths of a value's leaves (and of its objects' keys), top level first. */
function leaves(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return at.length ? [at] : [];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [...(at.length ? [at] : []), ...entries.flatMap(([k, v]) => leaves(v, [...at, k]))];
}

function replaced(value: unknown, path: (string | number)[], by: unknown): unknown {
  if (path.length === 0) return by;
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<string | number, unknown>;
  const [head, ...rest] = path;
  if (by === undefined && rest.length === 0) delete copy[head!];
  else copy[head!] = replaced(copy[head!], rest, by);
  return copy;
}

/** Provider-shaped baselines for the webhooks, whose schemas are deliberately loose. */
function seedBody(path: string): unknown {
  if (path.startsWith('/webhooks/telegram')) {
    return {
      ...t.telegram.textUpdate(telegramBot, { chatId: 5151, text: 'hi' }),
      message: { photo: [{ file_id: 'f', width: 1, height: 1 }] },
    };
  }
  if (path.startsWith('/webhooks/green_api')) {
    return {
      typeWebhook: 'incomingMessageReceived',
      idMessage: 'M1',
      timestamp: 1_700_000_000,
      senderData: { chatId: '79990001122@c.us', sender: '79990001122@c.us', senderName: 'Anna' },
      messageData: { typeMessage: 'textMessage', textMessageData: { textMessage: 'hi' } },
    };
  }
  return undefined;
}

/** The seeded hostile requests of one operation. */
function hostile(method: string, template: string, op: Operation): Request[] {
  const params = (op.parameters ?? []).filter((p) => p.in === 'path');
  const query = (op.parameters ?? []).filter((p) => p.in === 'query');
  const fill = (over: Record<string, string> = {}) =>
    template.replace(/\{(\w+)\}/g, (_m, name: string) => over[name] ?? encodeURIComponent(realId(template, name)));
  const out: Request[] = [];
  const real = fill();
  for (const p of params) for (const id of FORGED_IDS) out.push({ method, path: fill({ [p.name]: id }), what: `param ${p.name}=${id}` });
  for (const q of query) {
    for (const v of FORGED_QUERY) out.push({ method, path: `${real}?${q.name}=${v}`, what: `query ${q.name}=${v.slice(0, 40)}` });
    out.push({ method, path: `${real}?${q.name}=1&${q.name}=2`, what: `query ${q.name} twice` });
  }
  if (method === 'get' || method === 'delete') {
    if (!query.length) out.push({ method, path: `${real}?x=%00&cursor=AAAA`, what: 'unknown query' });
    return out;
  }
  const schema = op.requestBody?.content['application/json']?.schema;
  const base = seedBody(template) ?? example(schema);
  const json = (value: unknown, what: string) =>
    out.push({ method, path: real, body: JSON.stringify(value), contentType: 'application/json', what });
  json(base, 'baseline');
  for (const whole of [null, [], 'text', 12, {}, { [NUL]: 1 }, { __proto__: { admin: true } }])
    json(whole, `body ${JSON.stringify(whole)}`);
  out.push({ method, path: real, body: '{"a":', contentType: 'application/json', what: 'truncated JSON' });
  // 20,000 levels of arrays in 40 KB: a recursive walk of the body overflows the stack.
  const deep = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
  out.push({ method, path: real, body: `{"text":${deep},"email":${deep}}`, contentType: 'application/json', what: 'deeply nested JSON' });
  out.push({
    method,
    path: real,
    body: new Blob([new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d])]),
    contentType: 'application/json',
    what: 'invalid UTF-8',
  });
  const paths = leaves(base).slice(0, 16);
  for (const [i, leaf] of paths.entries()) {
    const at = leaf.join('.');
    for (const bad of [NUL, SURROGATE, TAIL_SURROGATE, 12, 1e300, -1, {}, [null], null, 'yesterday', undefined]) {
      json(replaced(base, leaf, bad), `${at}=${JSON.stringify(bad) ?? 'absent'}`);
    }
    if (i === 0) json(replaced(base, leaf, HUGE), `${at}=1 MB string`);
    else json(replaced(base, leaf, 'x'.repeat(20_000)), `${at}=20 KB string`);
  }
  if (!schema) {
    for (const [name, file, fields] of [
      ['NUL file name', 'a\u0000.csv', {}],
      ['surrogate field', 'faq.csv', { category: SURROGATE }],
      ['NUL in file', 'faq.csv', {}],
    ] as const) {
      const form = new FormData();
      for (const [k, v] of Object.entries(fields)) form.append(k, v);
      form.append('file', new Blob(['question,answer\nq\u0000,a\ud800\n']), file);
      out.push({ method, path: real, body: form, what: `multipart ${name}` });
    }
    const cut = '--b\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nquestion,answer\nq,a';
    out.push({ method, path: real, body: cut, contentType: 'multipart/form-data; boundary=b', what: 'multipart cut short' });
  }
  return out;
}

interface Caller {
  name: string;
  headers(): Record<string, string>;
}

async function send(caller: Caller, r: Request): Promise<{ status: number; text: string }> {
  const headers: Record<string, string> = { ...caller.headers() };
  if (r.contentType) headers['content-type'] = r.contentType;
  if (r.path.startsWith('/api/widget/')) headers['x-widget-token'] = widgetToken;
  if (r.path.startsWith('/webhooks/telegram/'))
    headers['x-telegram-bot-api-secret-token'] = t.telegram.bot(telegramBot).webhook?.secret ?? '';
  try {
    const res = await fetch(t.url + r.path, {
      method: r.method.toUpperCase(),
      headers,
      ...(r.body !== undefined ? { body: r.body } : {}),
      signal: AbortSignal.timeout(20_000),
    });
    // Event streams never end: their status is the answer.
    if (res.headers.get('content-type')?.includes('text/event-stream')) {
      await res.body?.cancel();
      return { status: res.status, text: '' };
    }
    return { status: res.status, text: (await res.text()).slice(0, 300) };
  } catch (err) {
    return { status: 599, text: String(err) };
  }
}

/** Runs `fn` over `items`, `width` at a time. */
async function inParallel<T>(items: T[], width: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: width }, worker));
}

const owner: Caller = {
  name: 'owner',
  headers: () => ({ cookie: t.owner.cookie!, 'x-csrf-token': t.owner.csrfToken! }),
};
const anonymous: Caller = { name: 'anonymous', headers: () => ({}) };

describe('fuzz over every route schema', () => {
  it('no hostile input gets a 5xx, as the owner, anonymously, or on the public routes', async () => {
    const failures: string[] = [];
    let sent = 0;
    const routes = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ path, method, op })));
    expect(routes.length).toBeGreaterThan(60);
    for (const { path, method, op } of routes) {
      const requests = hostile(method, path, op);
      const isPublic = path.startsWith('/api/widget') || path.startsWith('/webhooks/') || path === '/api/auth/login';
      for (const caller of isPublic ? [anonymous] : [owner, anonymous]) {
        // Anonymous callers stop at authentication: a sample of each kind is enough there.
        const batch = caller === anonymous && !isPublic ? requests.filter((_r, i) => i % 7 === 0) : requests;
        await inParallel(batch, 4, async (r) => {
          const res = await send(caller, r);
          sent++;
          if (res.status >= 500)
            failures.push(`${caller.name} ${method.toUpperCase()} ${r.path.slice(0, 120)} [${r.what}] → ${res.status} ${res.text}`);
        });
      }
      // Logging out (or out everywhere) is a valid outcome of a baseline request: sign in again.
      if ((await t.owner.get('/api/auth/session')).status === 401) await t.owner.login(OWNER.email, OWNER.password);
    }
    console.log(`fuzz: ${routes.length} routes, ${sent} requests, ${failures.length} 5xx`);
    expect(failures).toEqual([]);
  }, 300_000);
});
