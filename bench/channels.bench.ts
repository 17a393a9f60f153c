/**
 * Channel benchmark: for each provider (Telegram, Avito, WhatsApp Cloud, Green-API, API channel), on one
 * server process and one PostgreSQL, (1) webhook ingest — a closed loop for the maximum accepted rate,
 * then an open loop at a fixed rate for latency, every acknowledged message stored once — and (2)
 * operator replies delivered at a rate inside the provider's documented limits (the fakes enforce
 * theirs, so going over would show as 429s and retries), with end-to-end latency, lost and duplicates.
 * Throughput is also given as a ratio to Telegram's in the same run: on a shared machine that ratio is
 * the fair comparison between providers.
 *
 *   npm run bench:channels          (BENCH_DATABASE_URL=postgres://… to use an existing server)
 *
 * Knobs (env): BENCH_CONCURRENCY (32), BENCH_DURATION_SEC (8), BENCH_WARMUP_SEC (2), BENCH_OPEN_RATE (300),
 * BENCH_OPEN_SEC (4), BENCH_CHATS (500 customers per channel), BENCH_DELIVERY_SEC (10),
 * BENCH_DELIVERY_CHATS (200), BENCH_WAIT_SEC (30), BENCH_PROVIDERS (comma list, default all),
 * BENCH_SERVER_MODE, BENCH_SERVER_ENV (JSON), BENCH_NODE_ARGS. Writes bench/results/channels.json.
 */
import pg from 'pg';
import { startBenchPostgres } from './support/database.js';
import { startServer, sleep } from './support/server.js';
import { signInOwner } from './support/channels.js';
import { closedLoop, openLoop, poster, summarise, type Poster } from './support/load.js';
import { machineBusyPct, round, startSampler } from './support/proc.js';
import { atLeast, below, envInt, environment, printChecks, writeResult, type Check } from './support/report.js';
import { createEveryProvider, fakesEnv, startFakes, type BenchProvider } from './support/providers.js';

const CONCURRENCY = envInt('BENCH_CONCURRENCY', 32);
const DURATION_SEC = envInt('BENCH_DURATION_SEC', 8);
const WARMUP_SEC = envInt('BENCH_WARMUP_SEC', 2);
const OPEN_RATE = envInt('BENCH_OPEN_RATE', 300);
const OPEN_SEC = envInt('BENCH_OPEN_SEC', 4);
const CHATS = envInt('BENCH_CHATS', 500);
const DELIVERY_SEC = envInt('BENCH_DELIVERY_SEC', 10);
const DELIVERY_CHATS = envInt('BENCH_DELIVERY_CHATS', 200);
const WAIT_SEC = envInt('BENCH_WAIT_SEC', 30);
const ONLY = (process.env.BENCH_PROVIDERS ?? '').split(',').filter(Boolean);
const SERVER_ENV = JSON.parse(process.env.BENCH_SERVER_ENV ?? '{}') as Record<string, string>;

const TARGET = { updatesPerSec: 1000, p99AtOpenRateMs: 50, deliveryP99Ms: 1000, lost: 0, duplicated: 0 };

/** Replies per second offered to one channel of each provider: inside its documented limits. */
const RATES = { telegram: 25, avito: 3, whatsapp_cloud: 30, green_api: 1.5, api: 20 };

interface IngestResult {
  acknowledged: number;
  stored: number;
  closed: Awaited<ReturnType<typeof closedLoop>>;
  open: Awaited<ReturnType<typeof openLoop>>;
  cpu: ReturnType<ReturnType<typeof startSampler>['stop']>['cpu'];
}

async function main() {
  const started = Date.now();
  const runId = Math.random().toString(36).slice(2, 7);
  const cluster = await startBenchPostgres();
  const fakes = await startFakes();
  const cleanups: (() => Promise<void>)[] = [() => cluster.stop(), ...Object.values(fakes).map((f) => () => f.stop())];
  try {
    const appDb = await cluster.createDatabase('sb_bench_channels');
    console.log(`PostgreSQL ${cluster.version} (${cluster.kind}); starting the server…`);
    const server = await startServer({
      databaseUrl: appDb,
      telegramApiRoot: fakes.telegram.url,
      env: { ...fakesEnv(fakes), ...SERVER_ENV },
    });
    cleanups.unshift(() => server.stop());
    const owner = await signInOwner(server.url);
    const all = await createEveryProvider(owner, fakes, CHATS, RATES);
    const providers = all.filter((p) => ONLY.length === 0 || ONLY.includes(p.name));
    const http = poster(server.url, Math.max(CONCURRENCY, 256));
    const db = new pg.Client({ connectionString: appDb });
    await db.connect();
    cleanups.unshift(() => db.end());

    await sleep(2_000);
    const busyBefore = await machineBusyPct(2_000);
    console.log(`server pid ${server.pid} (${server.mode}); machine ${busyBefore}% busy before the load`);
    if (busyBefore > 15) console.warn(`WARNING: the machine is ${busyBefore}% busy with something else; results will be skewed`);

    // 1. Ingest, one provider after the other (each alone on the machine).
    let seq = 1;
    const acknowledged = new Map<string, number>(providers.map((p) => [p.name, 0]));
    const send = (p: BenchProvider) => {
      const n = seq++;
      return p.inbound(http, Math.floor(Math.random() * CHATS), n, `Hello, where is my order #${n}?`).then((status) => {
        if (status >= 200 && status < 300) acknowledged.set(p.name, acknowledged.get(p.name)! + 1);
        return status;
      });
    };
    // A warm-up through every provider's route first, so the first one measured is not the one paying for JIT.
    let turn = 0;
    await closedLoop(CONCURRENCY, WARMUP_SEC * 2, () => send(providers[turn++ % providers.length]!));
    const ingest = new Map<string, IngestResult>();
    for (const p of providers) {
      const sendOne = () => send(p);
      await closedLoop(CONCURRENCY, WARMUP_SEC, sendOne);
      await sleep(1_000);
      const sampler = startSampler(server.pid, cluster.postmasterPid);
      const closed = await closedLoop(CONCURRENCY, DURATION_SEC, sendOne);
      const { cpu } = sampler.stop();
      await sleep(1_000);
      const open = await openLoop(OPEN_RATE, OPEN_SEC, () => sendOne());
      const stored = await storedInbound(db, p.channelId);
      ingest.set(p.name, { acknowledged: acknowledged.get(p.name)!, stored, closed, open, cpu });
      console.log(
        `${p.name}: ${Math.round(closed.perSec)} stored/s (${CONCURRENCY} conn; failed ${JSON.stringify(closed.failed)}), ` +
          `open ${OPEN_RATE}/s p50 ${open.latencyFromScheduleMs.p50} ms p99 ${open.latencyFromScheduleMs.p99} ms; ` +
          `acknowledged ${acknowledged.get(p.name)}, stored ${stored}; server ${cpu.serverPct}% / PostgreSQL ${cpu.postgresPct}% of a core`,
      );
      await sleep(2_000); // let the jobs the burst left behind drain before the next provider
    }

    // 2. Delivery of operator replies, one provider after the other, at a rate inside its limits.
    const apiHeaders = { cookie: owner.cookie!, 'x-csrf-token': owner.csrfToken! };
    const delivery = new Map<string, Awaited<ReturnType<typeof deliver>>>();
    for (const [k, p] of providers.entries()) {
      const conversations = await conversationsOf(db, p.channelId, DELIVERY_CHATS);
      const d = await deliver(http, apiHeaders, p, conversations, `r${runId}x${k}x`);
      delivery.set(p.name, d);
      console.log(
        `${p.name}: ${d.total} replies at ${p.deliveryRate}/s over ${conversations.length} conversations → ` +
          `delivered ${d.delivered} (${d.deliveredPerSec}/s), p50 ${d.latencyMs.p50} ms, p99 ${d.latencyMs.p99} ms, ` +
          `lost ${d.lost}, duplicated ${d.duplicated}, rate-limited ${d.rateLimited}/${d.sendCalls}`,
      );
    }
    http.close();

    // The table.
    const telegramPerSec = ingest.get('telegram')?.closed.perSec;
    const rows = providers.map((p) => {
      const i = ingest.get(p.name)!;
      const d = delivery.get(p.name)!;
      return {
        provider: p.name,
        ingestPerSec: Math.round(i.closed.perSec),
        ratioToTelegram: telegramPerSec ? round(i.closed.perSec / telegramPerSec, 2) : NaN,
        openP50Ms: i.open.latencyFromScheduleMs.p50,
        openP99Ms: i.open.latencyFromScheduleMs.p99,
        acknowledged: i.acknowledged,
        stored: i.stored,
        ackEqualsStored: i.acknowledged === i.stored,
        deliveryOfferedPerSec: p.deliveryRate,
        deliveredPerSec: d.deliveredPerSec,
        deliveryP50Ms: d.latencyMs.p50,
        deliveryP99Ms: d.latencyMs.p99,
        lost: d.lost,
        duplicated: d.duplicated,
        rateLimited: d.rateLimited,
      };
    });
    const checks: Check[] = [];
    for (const r of rows) {
      checks.push(
        atLeast(`${r.provider}: stored/s (closed loop)`, r.ingestPerSec, TARGET.updatesPerSec),
        below(`${r.provider}: p99 ms at ${OPEN_RATE}/s`, r.openP99Ms, TARGET.p99AtOpenRateMs),
        {
          metric: `${r.provider}: acknowledged = stored`,
          measured: `${r.acknowledged} = ${r.stored}`,
          target: 'equal',
          pass: r.ackEqualsStored,
        },
        below(`${r.provider}: delivery p99 ms at ${r.deliveryOfferedPerSec}/s`, r.deliveryP99Ms, TARGET.deliveryP99Ms),
        {
          metric: `${r.provider}: lost / duplicated replies`,
          measured: `${r.lost} / ${r.duplicated}`,
          target: '0 / 0',
          pass: r.lost + r.duplicated === 0,
        },
      );
    }
    const result = {
      pass: checks.every((c) => c.pass !== false),
      table: rows,
      targets: TARGET,
      ingest: Object.fromEntries(
        [...ingest].map(([name, i]) => [
          name,
          {
            acknowledged: i.acknowledged,
            stored: i.stored,
            closedLoop: { ...i.closed, perSec: round(i.closed.perSec, 1), cpu: i.cpu },
            openLoop: { ...i.open, perSec: round(i.open.perSec, 1) },
          },
        ]),
      ),
      delivery: Object.fromEntries([...delivery].map(([name, d]) => [name, { ...d, limits: all.find((p) => p.name === name)!.limits }])),
      setup: {
        serverMode: server.mode,
        serverEnv: SERVER_ENV,
        postgres: `${cluster.version} (${cluster.kind})`,
        concurrency: CONCURRENCY,
        durationSec: DURATION_SEC,
        warmupSec: WARMUP_SEC,
        openLoopRate: OPEN_RATE,
        openLoopSec: OPEN_SEC,
        chatsPerChannel: CHATS,
        deliverySec: DELIVERY_SEC,
        deliveryChats: DELIVERY_CHATS,
        machineBusyBeforePct: busyBefore,
        note: 'One channel per provider; providers measured one after the other on one server process. Delivery latency = the fake received the send (Date.now()) − POST issued (Date.now()), same process clock.',
      },
      environment: environment({ pg: cluster.version }),
      at: new Date().toISOString(),
      benchSeconds: Math.round((Date.now() - started) / 1000),
    };
    const file = await writeResult('channels', result);
    console.log(`\nChannels: ingest (${CONCURRENCY} conn closed loop, ${OPEN_RATE}/s open loop) and delivery within provider limits`);
    console.table(
      rows.map((r) => ({
        provider: r.provider,
        'ingest/s': r.ingestPerSec,
        'vs telegram': r.ratioToTelegram,
        [`p50/p99 ms @${OPEN_RATE}/s`]: `${r.openP50Ms} / ${r.openP99Ms}`,
        'ack = stored': r.ackEqualsStored ? `yes (${r.stored})` : `NO (${r.acknowledged} ≠ ${r.stored})`,
        'delivery/s (offered)': `${r.deliveredPerSec} (${r.deliveryOfferedPerSec})`,
        'delivery p50/p99 ms': `${r.deliveryP50Ms} / ${r.deliveryP99Ms}`,
        lost: r.lost,
        duplicated: r.duplicated,
        '429s': r.rateLimited,
      })),
    );
    printChecks('Checks', checks);
    console.log(`wrote ${file} (${result.benchSeconds} s)`);
  } finally {
    for (const c of cleanups) await c().catch((err: unknown) => console.error('cleanup failed:', err));
  }
}

/**
 * Posts `rate × DELIVERY_SEC` operator replies round-robin over `conversations` (so each conversation
 * gets one every `conversations / rate` seconds), then waits for the provider to have received each
 * one; a reply is found by the marker in its text, so copies and losses are counted exactly.
 */
async function deliver(http: Poster, headers: Record<string, string>, p: BenchProvider, conversations: string[], marker: string) {
  if (conversations.length === 0) throw new Error(`${p.name}: no conversations to reply in`);
  const total = Math.max(1, Math.round(p.deliveryRate * DELIVERY_SEC));
  const replies = Array.from({ length: total }, (_, i) => ({
    key: `${marker}${i}`,
    conversationId: conversations[i % conversations.length]!,
    issuedAt: 0,
    status: 0,
  }));
  const callsBefore = p.sendCalls();
  const seenBefore = p.delivered().length;
  const load = await openLoop(p.deliveryRate, total / p.deliveryRate, async (i) => {
    const r = replies[i]!;
    r.issuedAt = Date.now();
    const res = await http.request(
      `/api/conversations/${r.conversationId}/messages`,
      JSON.stringify({ text: `Your order ${r.key} has shipped` }),
      headers,
    );
    r.status = res.status;
    return res.status;
  });
  const accepted = replies.filter((r) => r.status === 201);
  const pattern = new RegExp(`${marker}\\d+`);
  const arrivals = () => {
    const byKey = new Map<string, number[]>();
    for (const s of p.delivered().slice(seenBefore)) {
      const key = pattern.exec(s.text)?.[0];
      if (key) byKey.set(key, [...(byKey.get(key) ?? []), s.at]);
    }
    return byKey;
  };
  const deadline = Date.now() + WAIT_SEC * 1000;
  while (Date.now() < deadline && accepted.some((r) => !arrivals().has(r.key))) await sleep(100);
  await sleep(2_000); // late duplicates
  const byKey = arrivals();
  const latencies: number[] = [];
  let lost = 0;
  let duplicated = 0;
  let last = 0;
  for (const r of accepted) {
    const at = byKey.get(r.key);
    if (!at) {
      lost++;
      continue;
    }
    duplicated += at.length - 1;
    latencies.push(at[0]! - r.issuedAt);
    last = Math.max(last, at[0]!);
  }
  const first = Math.min(...replies.map((r) => r.issuedAt));
  const calls = p.sendCalls();
  return {
    total,
    rejected: total - accepted.length,
    delivered: latencies.length,
    deliveredPerSec: last > first ? round(latencies.length / ((last - first) / 1000), 1) : 0,
    latencyMs: summarise(latencies),
    postLatencyMs: load.latencyMs,
    lost,
    duplicated,
    sendCalls: calls.total - callsBefore.total,
    rateLimited: calls.rateLimited - callsBefore.rateLimited,
    conversations: conversations.length,
  };
}

async function storedInbound(db: pg.Client, channelId: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`select count(*)::int as n from messages where channel_id = $1 and direction = 'in'`, [
    channelId,
  ]);
  return rows[0]!.n;
}

async function conversationsOf(db: pg.Client, channelId: string, limit: number): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>('select id from conversations where channel_id = $1 order by id limit $2', [
    channelId,
    limit,
  ]);
  return rows.map((r) => r.id);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
