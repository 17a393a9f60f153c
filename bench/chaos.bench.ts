/**
 * Chaos benchmark: the product as deployed (an API process and a worker process, PostgreSQL and Redis)
 * under traffic while things break, counting for each fault what was acknowledged vs stored and sent vs
 * delivered. Nothing may be lost; what did not get through must be visible (an uncertain or failed reply).
 *
 *   1. kill -9 the worker during a burst of replies (then start it again)
 *   2. kill -9 the API during a burst of webhooks (Telegram retries what was not acknowledged)
 *   3. PostgreSQL down for CHAOS_OUTAGE_SEC under webhook traffic: webhooks answer 503, /ready is 503,
 *      everything resumes without a restart
 *   4. Redis down for CHAOS_OUTAGE_SEC (Redis mode)
 *   5. the provider answering 5xx and 429 for CHAOS_PROVIDER_OUTAGE_SEC while replies are sent
 *
 * PostgreSQL and Redis are taken down by a TCP proxy in front of them (connections reset, new ones
 * refused), which is what the processes see when the server stops.
 *
 *   npm run bench:chaos            (BENCH_DATABASE_URL=postgres://… to use an existing server)
 *
 * Knobs (env): CHAOS_OUTAGE_SEC (20), CHAOS_PROVIDER_OUTAGE_SEC (120), CHAOS_BURST (300 replies/webhooks),
 * CHAOS_WAIT_SEC (300: how long to wait for recovery — a send job of a killed worker is retried once it expires, after 2 minutes), CHAOS_REDIS_URL (redis://127.0.0.1:6379/9).
 * Writes bench/results/chaos.json.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { FakeTelegram } from '../apps/server/test/fakes/telegram.js';
import { createWebhookBots, signInOwner, textUpdate } from './support/channels.js';
import { freePort, startBenchPostgres } from './support/database.js';
import { openLoop, poster, type Poster } from './support/load.js';
import { round } from './support/proc.js';
import { envInt, environment, info, printChecks, writeResult, type Check } from './support/report.js';
import { sleep, startServer, type ServerProcess } from './support/server.js';
import { TcpProxy } from './support/tcp-proxy.js';

const OUTAGE_SEC = envInt('CHAOS_OUTAGE_SEC', 20);
const PROVIDER_OUTAGE_SEC = envInt('CHAOS_PROVIDER_OUTAGE_SEC', 120);
const BURST = envInt('CHAOS_BURST', 300);
const WAIT_SEC = envInt('CHAOS_WAIT_SEC', 300);
const REDIS_URL = process.env.CHAOS_REDIS_URL ?? 'redis://127.0.0.1:6379/9';
const CHATS = 60;

interface Scenario {
  name: string;
  acknowledged: number;
  stored: number;
  sent: number;
  delivered: number;
  lost: number;
  duplicated: number;
  /** Replies that did not get through but say so (uncertain, failed), and what the processes answered meanwhile. */
  visible: Record<string, number>;
  seconds: number;
}

async function main() {
  const started = Date.now();
  const run = randomBytes(3).toString('hex');
  const cluster = await startBenchPostgres();
  const telegram = await new FakeTelegram().start();
  const appDb = await cluster.createDatabase('sb_bench_chaos');
  const dbUrl = new URL(appDb);
  const pgProxy = await new TcpProxy(dbUrl.hostname, Number(dbUrl.port || 5432)).start();
  const redisUrl = new URL(REDIS_URL);
  const redisProxy = await new TcpProxy(redisUrl.hostname, Number(redisUrl.port || 6379)).start();
  const db = new pg.Client({ connectionString: appDb });
  const processes: ServerProcess[] = [];
  // In this order: the processes before what they use, the databases last.
  const cleanups: (() => Promise<void>)[] = [
    async () => {
      for (const p of processes) await p.stop();
    },
    () => db.end(),
    () => pgProxy.stop(),
    () => redisProxy.stop(),
    () => telegram.stop(),
    () => cluster.stop(),
  ];
  try {
    await db.connect();
    const apiPort = await freePort();
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    const base = {
      databaseUrl: pgProxy.rewrite(appDb),
      telegramApiRoot: telegram.url,
      sharedBundle: true,
    };
    const env = { REDIS_URL: redisProxy.rewrite(REDIS_URL), PUBLIC_URL: apiUrl, SHUTDOWN_TIMEOUT_MS: '3000' };
    const startApi = async () => {
      const p = await startServer({ ...base, port: apiPort, env: { ...env, PROCESS_ROLES: 'api' } });
      processes.push(p);
      return p;
    };
    const startWorker = async () => {
      const p = await startServer({ ...base, env: { ...env, PROCESS_ROLES: 'worker,scheduler' } });
      processes.push(p);
      return p;
    };
    console.log(`PostgreSQL ${cluster.version} (${cluster.kind}); starting an API and a worker process…`);
    let api = await startApi();
    let worker = await startWorker();
    const owner = await signInOwner(api.url);
    const bots = await createWebhookBots(owner, telegram, 2);
    const http = poster(api.url, 64);
    const headers = { cookie: owner.cookie!, 'x-csrf-token': owner.csrfToken! };

    // Customers the replies go to: one conversation each.
    // One update per message: a retry of it is the same update (same ids, same chat), as Telegram sends it.
    let seq = 1;
    const update = (text: string, chat = Math.floor(Math.random() * CHATS)) => {
      const bot = bots[chat % bots.length]!;
      const n = seq++;
      const body = textUpdate(n, 300_000_000 + chat, n, text);
      return () => http.post(bot.webhookPath, body, { 'x-telegram-bot-api-secret-token': bot.secret });
    };
    for (let chat = 0; chat < CHATS; chat++) await update(`chaos-${run}-hello-${chat}`, chat)();
    const conversations = await waitFor(async () => {
      const { rows } = await db.query<{ id: string }>('select id from conversations order by created_at');
      return rows.length >= CHATS ? rows.map((r) => r.id) : undefined;
    }, 30_000);

    const scenarios: Scenario[] = [];
    const t0 = () => Date.now();

    // 1. kill -9 the worker during a burst of replies.
    {
      const at = t0();
      const marker = `chaos-${run}-w`;
      const burst = replies(http, headers, conversations, marker, BURST, 100);
      await sleep(1_000);
      await worker.kill('SIGKILL');
      await sleep(3_000);
      worker = await startWorker();
      const accepted = await burst;
      scenarios.push({ name: 'worker killed during a send burst', ...(await outcome(db, telegram, marker, accepted)), seconds: secs(at) });
    }

    // 2. kill -9 the API during a burst of webhooks; Telegram retries what was not acknowledged.
    {
      const at = t0();
      const marker = `chaos-${run}-a`;
      const sending = providerRetries((i) => update(`${marker}-${i}`), BURST, 100);
      await sleep(1_500);
      await api.kill('SIGKILL');
      await sleep(2_000);
      api = await startApi();
      const result = await sending;
      scenarios.push({ name: 'API killed during a webhook burst', ...(await inbound(db, marker, result)), seconds: secs(at) });
    }

    // 3 and 4. PostgreSQL, then Redis, down under webhook traffic; replies posted before the outage still go out.
    for (const [name, proxy] of [
      ['PostgreSQL down', pgProxy],
      ['Redis down (Redis mode)', redisProxy],
    ] as const) {
      const at = t0();
      const marker = `chaos-${run}-${name.startsWith('P') ? 'p' : 'r'}`;
      const accepted = await replies(http, headers, conversations, `${marker}-out`, 40, 20);
      const rate = 25;
      const total = rate * (OUTAGE_SEC + 20);
      const sending = providerRetries((i) => update(`${marker}-${i}`), total, rate);
      await sleep(8_000);
      proxy.down();
      const during = await probeReady([api, worker], OUTAGE_SEC);
      proxy.up();
      const result = await sending;
      const after = update(`${marker}-after`);
      const resumed = await waitFor(async () => ((await after()) === 200 ? true : undefined), 60_000).catch(() => false);
      const inb = await inbound(db, marker, result);
      const out = await outcome(db, telegram, `${marker}-out`, accepted);
      scenarios.push({
        name: `${name} for ${OUTAGE_SEC} s under traffic`,
        acknowledged: inb.acknowledged + out.acknowledged,
        stored: inb.stored + out.stored,
        sent: out.sent,
        delivered: out.delivered,
        lost: inb.lost + out.lost,
        duplicated: inb.duplicated + out.duplicated,
        visible: { ...inb.visible, ...out.visible, ...during, resumedWithoutRestart: resumed ? 1 : 0 },
        seconds: secs(at),
      });
    }

    // 5. The provider answers 429 and then 5xx for a while.
    {
      const at = t0();
      const marker = `chaos-${run}-t`;
      telegram.fail('sendMessage', 429, 'Too Many Requests: retry after 5', { times: 40, retryAfter: 5 });
      telegram.fail('sendMessage', 502, 'Bad Gateway', { times: 1_000_000 });
      const accepted = await replies(http, headers, conversations, marker, Math.min(BURST, PROVIDER_OUTAGE_SEC), 1);
      await sleep(Math.max(0, PROVIDER_OUTAGE_SEC * 1000 - (Date.now() - at)));
      telegram.recover();
      scenarios.push({
        name: `provider 429/5xx for ${PROVIDER_OUTAGE_SEC} s`,
        ...(await outcome(db, telegram, marker, accepted)),
        seconds: secs(at),
      });
    }

    const lost = scenarios.reduce((a, s) => a + s.lost, 0);
    const duplicated = scenarios.reduce((a, s) => a + s.duplicated, 0);
    const checks: Check[] = scenarios.flatMap((s) => [
      { metric: `${s.name}: lost`, measured: s.lost, target: '0', pass: s.lost === 0 },
      { metric: `${s.name}: duplicated`, measured: s.duplicated, target: '0', pass: s.duplicated === 0 },
      info(`${s.name}: acknowledged / stored / sent / delivered`, `${s.acknowledged} / ${s.stored} / ${s.sent} / ${s.delivered}`),
      info(`${s.name}: visible`, JSON.stringify(s.visible)),
    ]);
    // Without PostgreSQL an instance is not ready (503); without Redis it serves on, saying `degraded`.
    for (const [s, key] of [
      [scenarios[2]!, 'ready503'],
      [scenarios[3]!, 'readyDegraded'],
    ] as const) {
      const seen = s.visible[key] ?? 0;
      checks.push({
        metric: `${s.name}: /ready said ${key === 'ready503' ? '503' : 'degraded'}`,
        measured: seen,
        target: '> 0',
        pass: seen > 0,
      });
      checks.push({
        metric: `${s.name}: resumed without a restart`,
        measured: s.visible.resumedWithoutRestart ? 'yes' : 'no',
        target: 'yes',
        pass: s.visible.resumedWithoutRestart === 1,
      });
    }
    const file = await writeResult('chaos', {
      lost,
      duplicated,
      scenarios,
      pass: checks.every((c) => c.pass !== false),
      setup: {
        outageSec: OUTAGE_SEC,
        providerOutageSec: PROVIDER_OUTAGE_SEC,
        burst: BURST,
        processes: 'api + worker,scheduler',
        redis: REDIS_URL,
      },
      environment: environment({ pg: cluster.version }),
      at: new Date().toISOString(),
      benchSeconds: secs(started),
    });
    printChecks('Chaos: faults under traffic (nothing lost, every failure visible)', checks);
    console.log(`wrote ${file}`);
  } finally {
    for (const c of cleanups) await c().catch((err: unknown) => console.error('cleanup failed:', err));
  }
}

const secs = (since: number) => round((Date.now() - since) / 1000, 0);

async function waitFor<T>(check: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(500);
  }
}

/** Operator replies at `rate`/s, each carrying `<marker>-<i>`; resolves with the keys the API accepted (201). */
async function replies(
  http: Poster,
  headers: Record<string, string>,
  conversations: string[],
  marker: string,
  count: number,
  rate: number,
) {
  const accepted: string[] = [];
  const statuses: Record<string, number> = {};
  await openLoop(rate, count / rate, async (i) => {
    const key = `${marker}-${i}.`;
    const res = await http
      .request(`/api/conversations/${conversations[i % conversations.length]}/messages`, JSON.stringify({ text: `Reply ${key}` }), headers)
      .catch(() => ({ status: 0 }));
    if (res.status === 201) accepted.push(key);
    else statuses[`replyHttp${res.status}`] = (statuses[`replyHttp${res.status}`] ?? 0) + 1;
    return res.status;
  });
  return { accepted, statuses };
}

/**
 * Webhooks sent the way a provider does: each one again every second until acknowledged (or
 * CHAOS_WAIT_SEC); counts the answers by status.
 */
async function providerRetries(updateOf: (i: number) => () => Promise<number>, count: number, rate: number) {
  const acknowledged = new Set<number>();
  const statuses: Record<string, number> = {};
  await openLoop(rate, count / rate, async (i) => {
    const send = updateOf(i);
    const deadline = Date.now() + WAIT_SEC * 1000;
    for (;;) {
      const status = await send().catch(() => 0);
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (status === 200) {
        acknowledged.add(i);
        return status;
      }
      if (Date.now() > deadline) return status;
      await sleep(1_000);
    }
  });
  return { count, acknowledged, statuses };
}

/**
 * /ready of every process, each second of an outage: 503 (not ready: PostgreSQL is away), 200 "degraded"
 * (a non-critical dependency such as Redis is away; the instance keeps serving), or something else.
 */
async function probeReady(processes: ServerProcess[], seconds: number) {
  const seen = { ready503: 0, readyDegraded: 0, readyOther: 0 };
  for (let s = 0; s < seconds; s++) {
    await Promise.all(
      processes.map(async (p) => {
        const [status, body] = await fetch(`${p.url}/ready`, { signal: AbortSignal.timeout(900) }).then(
          async (r) => [r.status, (await r.json().catch(() => ({}))) as { status?: string }] as const,
          () => [0, {}] as const,
        );
        if (status === 503) seen.ready503++;
        else if (status === 200 && body.status === 'degraded') seen.readyDegraded++;
        else seen.readyOther++;
      }),
    );
    await sleep(1_000 - (Date.now() % 1_000));
  }
  return seen;
}

/** Inbound messages with `marker`: acknowledged webhooks against stored rows (each once). */
async function inbound(db: pg.Client, marker: string, r: Awaited<ReturnType<typeof providerRetries>>) {
  await sleep(2_000);
  const { rows } = await db.query<{ text: string; n: number }>(
    `select text, count(*)::int as n from messages where direction = 'in' and text like $1 group by text`,
    [`${marker}-%`],
  );
  const stored = new Set(rows.map((x) => x.text));
  const lost = [...r.acknowledged].filter((i) => !stored.has(`${marker}-${i}`)).length;
  return {
    acknowledged: r.acknowledged.size,
    stored: stored.size,
    sent: 0,
    delivered: 0,
    lost,
    duplicated: rows.reduce((a, x) => a + x.n - 1, 0),
    visible: {
      neverAcknowledged: r.count - r.acknowledged.size,
      ...Object.fromEntries(Object.entries(r.statuses).map(([k, v]) => [`http${k}`, v])),
    },
  };
}

/**
 * Accepted replies with `marker`: delivered to (fake) Telegram, or visibly not (uncertain, failed),
 * waiting up to CHAOS_WAIT_SEC for the queue to settle. Lost = neither delivered nor visibly failed.
 */
async function outcome(db: pg.Client, telegram: FakeTelegram, marker: string, { accepted, statuses }: Awaited<ReturnType<typeof replies>>) {
  const pattern = new RegExp(`${marker}-\\d+\\.`);
  const received = () => {
    const byKey = new Map<string, number>();
    for (const s of telegram.sent) {
      const key = pattern.exec(s.text)?.[0];
      if (key) byKey.set(key, (byKey.get(key) ?? 0) + 1);
    }
    return byKey;
  };
  const states = async () => {
    const { rows } = await db.query<{ text: string; status: string }>(
      `select text, status from messages where direction = 'out' and text like $1`,
      [`%${marker}-%`],
    );
    return new Map(rows.map((x) => [pattern.exec(x.text)?.[0] ?? '', x.status]));
  };
  const deadline = Date.now() + WAIT_SEC * 1000;
  for (;;) {
    const got = received();
    const st = await states();
    const open = accepted.filter((k) => !got.has(k) && !['failed', 'uncertain'].includes(st.get(k) ?? ''));
    if (open.length === 0 || Date.now() > deadline) break;
    await sleep(1_000);
  }
  await sleep(2_000); // late duplicates
  const got = received();
  const st = await states();
  // Replies the API refused (e.g. 503 while the database is away) were never accepted: the operator saw the error.
  const visible: Record<string, number> = { ...statuses };
  let lost = 0;
  for (const k of accepted) {
    if (got.has(k)) continue;
    const status = st.get(k) ?? 'missing';
    if (status === 'failed' || status === 'uncertain') visible[status] = (visible[status] ?? 0) + 1;
    else lost++;
  }
  const sent = [...got.values()].reduce((a, b) => a + b, 0);
  return { acknowledged: accepted.length, stored: st.size, sent, delivered: got.size, lost, duplicated: sent - got.size, visible };
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
