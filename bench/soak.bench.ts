/**
 * Soak benchmark: a long run at a steady load — customer messages in through every provider's webhook
 * and operator replies out through every provider, with the AI first line on (it answers FAQ questions
 * and hands the rest over) — watching for what only shows with time: lost or duplicated messages, latency
 * creeping up, memory or handles growing.
 *
 *   npm run bench:soak             (BENCH_DATABASE_URL=postgres://… to use an existing server)
 *
 * Knobs (env): SOAK_MINUTES (30), SOAK_IN_RATE (100 messages/s), SOAK_OUT_RATE (20 replies/s),
 * SOAK_WARMUP_MINUTES (2: the baseline for memory and handles), SOAK_WAIT_SEC (120), BENCH_SERVER_ENV (JSON).
 * Writes bench/results/soak.json: `minutes`, `lost`, `duplicated`, `rssGrowthPct`, `p99Ratio` and the curves.
 */
import { readdirSync } from 'node:fs';
import pg from 'pg';
import { signInOwner } from './support/channels.js';
import { startBenchPostgres } from './support/database.js';
import { openLoop, poster, summarise } from './support/load.js';
import { round, rssMb } from './support/proc.js';
import { atLeast, below, envInt, environment, info, printChecks, writeResult, type Check } from './support/report.js';
import { createEveryProvider, fakesEnv, startFakes, type BenchProvider } from './support/providers.js';
import { sleep, startServer } from './support/server.js';

const MINUTES = envInt('SOAK_MINUTES', 30);
const IN_RATE = envInt('SOAK_IN_RATE', 100);
const OUT_RATE = envInt('SOAK_OUT_RATE', 20);
const WARMUP_MINUTES = Math.min(envInt('SOAK_WARMUP_MINUTES', 2), Math.max(1, MINUTES - 1));
const WAIT_SEC = envInt('SOAK_WAIT_SEC', 120);
const SERVER_ENV = JSON.parse(process.env.BENCH_SERVER_ENV ?? '{}') as Record<string, string>;
const CHATS = 300;

/** Shares of the load per provider: replies inside each provider's documented limits for one channel. */
const SHARE_IN = { telegram: 0.4, whatsapp_cloud: 0.25, api: 0.15, avito: 0.1, green_api: 0.1 };
const SHARE_OUT = { telegram: 0.4, whatsapp_cloud: 0.3, api: 0.2, avito: 0.05, green_api: 0.05 };
const TARGET = { lost: 0, duplicated: 0, rssGrowthPct: 10, p99Ratio: 1.5 };

const FAQ = [
  ['Сколько стоит доставка?', 'Доставка по городу — 300 ₽, бесплатно от 5000 ₽.'],
  ['Какие у вас часы работы?', 'Мы работаем ежедневно с 9:00 до 21:00.'],
  ['Как вернуть товар?', 'Оформите возврат в личном кабинете в течение 14 дней.'],
  ['Where is your office?', 'Our office is at 5 Lenina Street, Moscow.'],
];
/** What customers write: FAQ questions (the bot answers) and order questions (it hands over). */
const QUESTIONS = [
  'Сколько стоит доставка до дома?',
  'во сколько вы открываетесь',
  'Хочу вернуть товар',
  'Where is your office?',
  'Где мой заказ',
];

async function main() {
  const started = Date.now();
  const run = Math.random().toString(36).slice(2, 7);
  const cluster = await startBenchPostgres();
  const fakes = await startFakes();
  const cleanups: (() => Promise<void>)[] = [() => cluster.stop(), ...Object.values(fakes).map((f) => () => f.stop())];
  try {
    const appDb = await cluster.createDatabase('sb_bench_soak');
    console.log(`PostgreSQL ${cluster.version} (${cluster.kind}); starting the server…`);
    const server = await startServer({
      databaseUrl: appDb,
      telegramApiRoot: fakes.telegram.url,
      env: { ...fakesEnv(fakes), ...SERVER_ENV },
    });
    cleanups.unshift(() => server.stop());
    const owner = await signInOwner(server.url);
    const providers = await createEveryProvider(owner, fakes, CHATS, scaled(SHARE_OUT, OUT_RATE));
    // The AI first line: an FAQ, and the assistant on in every channel.
    for (const [question, answer] of FAQ) await owner.post('/api/knowledge/articles', { kind: 'faq', question, answer });
    for (const p of providers) await owner.patch(`/api/channels/${p.channelId}`, { config: { assistant: { enabled: true } } });

    const db = new pg.Client({ connectionString: appDb });
    await db.connect();
    cleanups.unshift(() => db.end());
    const http = poster(server.url, 256);
    const headers = { cookie: owner.cookie!, 'x-csrf-token': owner.csrfToken! };
    const pick = (shares: Record<string, number>) => {
      let r = Math.random();
      for (const p of providers) if ((r -= shares[p.name] ?? 0) <= 0) return p;
      return providers[0]!;
    };

    // Conversations to reply in: every customer writes once first.
    let seq = 1;
    const acknowledged = new Set<string>();
    const inbound = async (p: BenchProvider, chat: number) => {
      const n = seq++;
      const text = `${QUESTIONS[n % QUESTIONS.length]} [${run}-${n}]`;
      const status = await p.inbound(http, chat, n, text).catch(() => 0);
      if (status >= 200 && status < 300) acknowledged.add(text);
      return status;
    };
    for (const p of providers) for (let chat = 0; chat < 40; chat++) await inbound(p, chat);
    await sleep(5_000);
    const conversations = new Map<string, string[]>();
    for (const p of providers) {
      const { rows } = await db.query<{ id: string }>('select id from conversations where channel_id = $1 limit 200', [p.channelId]);
      conversations.set(
        p.name,
        rows.map((r) => r.id),
      );
    }

    // The run, minute by minute: ingest latency of that minute, RSS and open handles at its end.
    const replies: { key: string; provider: BenchProvider; minute: number; issuedAt: number; status: number }[] = [];
    const curve: { minute: number; ingestP99Ms: number; ingestFailed: number; rssMb: number; handles: number }[] = [];
    for (let minute = 1; minute <= MINUTES; minute++) {
      const [ingest] = await Promise.all([
        openLoop(IN_RATE, 60, () => {
          const p = pick(SHARE_IN);
          return inbound(p, Math.floor(Math.random() * CHATS));
        }),
        openLoop(OUT_RATE, 60, async () => {
          const p = pick(SHARE_OUT);
          const ids = conversations.get(p.name)!;
          const reply = { key: `s${run}r${replies.length}.`, provider: p, minute, issuedAt: Date.now(), status: 0 };
          replies.push(reply);
          const res = await http
            .request(
              `/api/conversations/${ids[Math.floor(Math.random() * ids.length)]}/messages`,
              JSON.stringify({ text: `Ответ ${reply.key}` }),
              headers,
            )
            .catch(() => ({ status: 0 }));
          reply.status = res.status;
          return res.status;
        }),
      ]);
      const point = {
        minute,
        ingestP99Ms: ingest.latencyFromScheduleMs.p99,
        ingestFailed: Object.values(ingest.failed).reduce((a, b) => a + b, 0),
        rssMb: rssMb(server.pid) ?? NaN,
        handles: openHandles(server.pid),
      };
      curve.push(point);
      console.log(
        `minute ${minute}/${MINUTES}: ingest p99 ${point.ingestP99Ms} ms (failed ${point.ingestFailed}), RSS ${point.rssMb} MB, handles ${point.handles}`,
      );
    }

    // Settle: every accepted reply delivered (or visibly failed), every acknowledged message stored once.
    const accepted = replies.filter((r) => r.status === 201);
    const arrivals = () => {
      const at = new Map<string, number[]>();
      for (const p of providers)
        for (const d of p.delivered()) {
          const key = /s[a-z0-9]+r\d+\./.exec(d.text)?.[0];
          if (key?.startsWith(`s${run}r`)) at.set(key, [...(at.get(key) ?? []), d.at]);
        }
      return at;
    };
    const deadline = Date.now() + WAIT_SEC * 1000;
    while (Date.now() < deadline && accepted.some((r) => !arrivals().has(r.key))) await sleep(1_000);
    await sleep(3_000);
    const delivered = arrivals();
    const { rows: failedRows } = await db.query<{ text: string }>(
      `select text from messages where direction = 'out' and status in ('failed', 'uncertain') and text like $1`,
      [`%s${run}r%`],
    );
    const visiblyFailed = new Set(failedRows.map((r) => /s[a-z0-9]+r\d+\./.exec(r.text)?.[0]));
    const { rows: stored } = await db.query<{ text: string; n: number }>(
      `select text, count(*)::int as n from messages where direction = 'in' and text like $1 group by text`,
      [`%[${run}-%`],
    );
    const storedTexts = new Set(stored.map((r) => r.text));
    const lostIn = [...acknowledged].filter((t) => !storedTexts.has(t)).length;
    const duplicatedIn = stored.reduce((a, r) => a + r.n - 1, 0);
    const lostOut = accepted.filter((r) => !delivered.has(r.key) && !visiblyFailed.has(r.key)).length;
    const duplicatedOut = [...delivered.values()].reduce((a, at) => a + at.length - 1, 0);

    // Delivery latency by the minute the reply was posted.
    const deliveryP99 = (minute: number) =>
      summarise(accepted.filter((r) => r.minute === minute && delivered.has(r.key)).map((r) => delivered.get(r.key)![0]! - r.issuedAt)).p99;
    for (const point of curve) Object.assign(point, { deliveryP99Ms: deliveryP99(point.minute) });

    const window = Math.max(1, Math.min(5, Math.floor(MINUTES / 3)));
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
    const first = curve.slice(0, window);
    const last = curve.slice(-window);
    const ratio = (key: 'ingestP99Ms' | 'deliveryP99Ms') =>
      round(
        mean(last.map((c) => (c as Record<string, number>)[key]!)) /
          Math.max(1, mean(first.map((c) => (c as Record<string, number>)[key]!))),
        2,
      );
    const ingestRatio = ratio('ingestP99Ms');
    const deliveryRatio = ratio('deliveryP99Ms');
    const p99Ratio = Math.max(ingestRatio, deliveryRatio);
    const baseline = curve[WARMUP_MINUTES - 1]!;
    const end = curve.at(-1)!;
    const rssGrowthPct = round(((end.rssMb - baseline.rssMb) / baseline.rssMb) * 100, 1);
    const handlesGrowth = end.handles - baseline.handles;
    const lost = lostIn + lostOut;
    const duplicated = duplicatedIn + duplicatedOut;

    const checks: Check[] = [
      { metric: 'lost (messages in + replies out)', measured: `${lostIn} + ${lostOut}`, target: '0', pass: lost === 0 },
      { metric: 'duplicated (in + out)', measured: `${duplicatedIn} + ${duplicatedOut}`, target: '0', pass: duplicated === 0 },
      below(`p99 last ${window} min ÷ first ${window} min (ingest / delivery, worst)`, p99Ratio, TARGET.p99Ratio),
      info('p99 ratio ingest / delivery', `${ingestRatio} / ${deliveryRatio}`),
      below(`RSS growth after minute ${WARMUP_MINUTES}, %`, rssGrowthPct, TARGET.rssGrowthPct),
      {
        metric: `open handles growth after minute ${WARMUP_MINUTES}`,
        measured: handlesGrowth,
        target: '≤ 0 (± 10)',
        pass: handlesGrowth <= 10,
      },
      atLeast('messages acknowledged', acknowledged.size, Math.round(IN_RATE * 60 * MINUTES * 0.99)),
      info('replies accepted / delivered / visibly failed', `${accepted.length} / ${delivered.size} / ${visiblyFailed.size}`),
    ];
    const file = await writeResult('soak', {
      minutes: MINUTES,
      lost,
      duplicated,
      rssGrowthPct,
      p99Ratio,
      handlesGrowth,
      pass: checks.every((c) => c.pass !== false),
      targets: TARGET,
      rates: { inPerSec: IN_RATE, outPerSec: OUT_RATE, shareIn: SHARE_IN, shareOut: SHARE_OUT, aiFirstLine: true },
      inbound: { acknowledged: acknowledged.size, stored: storedTexts.size, lost: lostIn, duplicated: duplicatedIn },
      outbound: {
        accepted: accepted.length,
        delivered: delivered.size,
        visiblyFailed: visiblyFailed.size,
        lost: lostOut,
        duplicated: duplicatedOut,
      },
      curve,
      environment: environment({ pg: cluster.version }),
      at: new Date().toISOString(),
      benchSeconds: Math.round((Date.now() - started) / 1000),
    });
    printChecks(`Soak: ${MINUTES} min at ${IN_RATE} messages/s in and ${OUT_RATE} replies/s out, AI first line on`, checks);
    console.log(`wrote ${file}`);
    http.close();
  } finally {
    for (const c of cleanups) await c().catch((err: unknown) => console.error('cleanup failed:', err));
  }
}

/** Per-provider rates from shares of a total. */
function scaled<K extends string>(shares: Record<K, number>, total: number): Record<K, number> {
  return Object.fromEntries(Object.entries<number>(shares).map(([name, share]) => [name, share * total])) as Record<K, number>;
}

/** Open file descriptors of the server (sockets, files, pipes). */
function openHandles(pid: number): number {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return NaN;
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
