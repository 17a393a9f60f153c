import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, OWNER, startTestApp, type TestApp } from './support/harness.js';
import { SseReader } from './support/sse.js';
import { TcpProxy } from './support/tcp-proxy.js';

// The machine's Redis; each run takes its own key prefix and cleans it up.
const REDIS = { host: '127.0.0.1', port: 6379 };
const prefix = `sbtest:${randomBytes(4).toString('hex')}:`;

let proxy: TcpProxy;
let t: TestApp;
let second: TestApp; // another API process on the same database and Redis
let probe: Redis;
let db: pg.Pool;

beforeAll(async () => {
  proxy = await new TcpProxy(REDIS.host, REDIS.port).start();
  const env = { REDIS_URL: `redis://127.0.0.1:${proxy.port}/0`, REDIS_KEY_PREFIX: prefix, API_RATE_LIMIT_PER_MIN: '40' };
  t = await startTestApp({ env });
  second = await startTestApp({ env, databaseUrl: t.databaseUrl, telegram: t.telegram, roles: 'api' });
  probe = new Redis(REDIS.port, REDIS.host);
  db = new pg.Pool({ connectionString: t.databaseUrl, max: 2 });
});
afterAll(async () => {
  await db?.end();
  await second?.stop({ keepDatabase: true });
  await t?.stop();
  if (probe) {
    const keys = await probe.keys(`${prefix}*`);
    if (keys.length) await probe.del(...keys);
    probe.disconnect();
  }
  await proxy?.stop();
});

const streamOf = (app: TestApp, lastEventId?: string) =>
  SseReader.open(`${app.url}/api/events`, { cookie: app.owner.cookie!, ...(lastEventId ? { 'last-event-id': lastEventId } : {}) });

async function webhookBot() {
  const botToken = t.telegram.addBot();
  const res = await t.owner.post('/api/channels', { type: 'telegram', name: 'Redis bot', config: { botToken, mode: 'webhook' } });
  expect(res.status).toBe(201);
  return botToken;
}

const metric = async (app: TestApp, line: string) =>
  (await (await fetch(`${app.url}/metrics`)).text()).split('\n').find((l) => l.startsWith(line));

describe('Redis mode', () => {
  it('carries live events between processes over Redis pub/sub', async () => {
    const heard: string[] = [];
    const sub = new Redis(REDIS.port, REDIS.host);
    await sub.subscribe(`${prefix}sb_events`);
    sub.on('message', (_channel: string, payload: string) => heard.push(payload));
    const there = await streamOf(second);
    const botToken = await webhookBot();
    await t.telegram.deliver(botToken, t.telegram.textUpdate(botToken, { chatId: 9101, text: 'over redis' }));
    await eventually(() => there.find((x) => x.event === 'message.created' && x.data.message.text === 'over redis'), 10_000, 'event');
    expect(heard.some((p) => p.includes('over redis'))).toBe(true);
    there.close();
    sub.disconnect();
  });

  it('keeps rate-limit counters in Redis, shared by every process', async () => {
    // Sign-in attempts: counted in Redis, not in PostgreSQL's rate_limit_hits.
    const before = Number((await db.query('select count(*) from rate_limit_hits')).rows[0].count);
    const res = await t.anonymous().login(OWNER.email, 'wrong-password-1');
    expect(res.status).toBe(401);
    expect(await probe.keys(`${prefix}limit:*`)).not.toEqual([]);
    expect(Number((await db.query('select count(*) from rate_limit_hits')).rows[0].count)).toBe(before);

    // The API limit (40 a minute per session) holds across both processes: 20 here + 20 there, then 429.
    const client = t.anonymous();
    await client.login(OWNER.email, OWNER.password);
    const elsewhere = second.anonymous();
    elsewhere.cookie = client.cookie;
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) {
      statuses.push((await client.get('/api/channels')).status);
      statuses.push((await elsewhere.get('/api/channels')).status);
    }
    expect(statuses.filter((s) => s === 200).length).toBe(40);
    expect(statuses.slice(-2)).toEqual([429, 429]);
    expect(await probe.keys(`${prefix}api-limit:*`)).not.toEqual([]);
  });

  it('shares report figures between processes through a Redis cache', async () => {
    const hits = async (app: TestApp) =>
      Number((await metric(app, 'cache_lookups_total{cache="ai-metrics",result="hit"}'))?.split(' ')[1] ?? 0);
    const first = await t.owner.get('/api/ai/metrics?days=9');
    expect(first.status).toBe(200);
    expect(await probe.keys(`${prefix}cache:ai-metrics:*`)).toHaveLength(1);
    const before = await hits(second);
    const elsewhere = second.anonymous();
    elsewhere.cookie = t.owner.cookie;
    const again = await elsewhere.get('/api/ai/metrics?days=9');
    expect(again.body).toEqual(first.body);
    expect(await hits(second)).toBe(before + 1);
  });

  it('Redis down: /ready says degraded, metrics show it, inbound is stored, limits fall back to PostgreSQL, streams end; all recovers', async () => {
    const botToken = await webhookBot();
    const stream = await streamOf(t);
    await t.telegram.deliver(botToken, t.telegram.textUpdate(botToken, { chatId: 9201, text: 'before the outage' }));
    const seen = await eventually(() => stream.find((x) => x.data.message?.text === 'before the outage'), 10_000, 'event');
    expect(await metric(t, 'redis_connected{connection="subscriber"}')).toMatch(/ 1$/);

    proxy.down();
    // Open streams end (live pushes cannot flow), so browsers reconnect and replay.
    await eventually(() => stream.ended, 10_000, 'the stream to end');
    const ready = await eventually(
      async () => {
        const r = await fetch(`${t.url}/ready`);
        const body = (await r.json()) as { status: string; checks: Record<string, string> };
        return body.status === 'degraded' ? { code: r.status, body } : null;
      },
      10_000,
      'degraded readiness',
    );
    expect(ready.code).toBe(200);
    expect(ready.body.checks.database).toBe('ok');
    expect(ready.body.checks.redis).not.toBe('ok');
    expect(await metric(t, 'redis_connected{connection="commands"}')).toMatch(/ 0$/);

    // A customer message is stored and acknowledged all the same.
    expect(await t.telegram.deliver(botToken, t.telegram.textUpdate(botToken, { chatId: 9201, text: 'during the outage' }))).toBe(200);
    const stored = await db.query("select count(*) from messages where text = 'during the outage'");
    expect(Number(stored.rows[0].count)).toBe(1);
    // Sign-in limits still hold: counted in PostgreSQL meanwhile.
    const before = Number((await db.query('select count(*) from rate_limit_hits')).rows[0].count);
    expect((await t.anonymous().login(OWNER.email, 'wrong-password-2')).status).toBe(401);
    expect(Number((await db.query('select count(*) from rate_limit_hits')).rows[0].count)).toBeGreaterThan(before);
    // The API answers (its limit is not enforced while its counters are unreachable).
    expect((await t.owner.get('/api/channels')).status).toBe(200);
    expect(Number((await metric(t, 'redis_command_errors_total{connection="commands"}'))?.split(' ')[1])).toBeGreaterThan(0);

    proxy.up();
    await eventually(
      async () => ((await (await fetch(`${t.url}/ready`)).json()) as { status: string }).status === 'ready',
      15_000,
      'ready again',
    );
    expect(await metric(t, 'redis_reconnects_total{connection="subscriber"}')).toMatch(/ [1-9]\d*$/);
    // The browser's reconnect replays what it missed, and live events flow again.
    const again = await streamOf(t, seen.id);
    await eventually(() => again.find((x) => x.data.message?.text === 'during the outage'), 10_000, 'the missed event replayed');
    await t.telegram.deliver(botToken, t.telegram.textUpdate(botToken, { chatId: 9201, text: 'after the outage' }));
    await eventually(() => again.find((x) => x.data.message?.text === 'after the outage'), 10_000, 'live again');
    again.close();
  });
});
