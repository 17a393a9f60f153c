/**
 * Delivery benchmark: operator replies posted through the API at a fixed rate, delivered by the
 * `message.send` workers to (fake) Telegram with its real flood limits on; end-to-end latency from
 * the POST to the moment Telegram accepted the sendMessage, and every reply accounted for.
 *
 *   npm run bench:delivery          (BENCH_DATABASE_URL=postgres://… to use an existing server)
 *
 * Knobs (env): BENCH_RATE (50 replies/s), BENCH_DURATION_SEC (20), BENCH_BOTS (4), BENCH_CHATS (200),
 * BENCH_WAIT_SEC (60: how long to wait for stragglers), BENCH_SERVER_MODE, BENCH_SERVER_ENV (JSON), BENCH_NODE_ARGS.
 * Writes bench/results/delivery.json.
 */
import pg from 'pg';
import { FakeTelegram, type SentMessage } from '../apps/server/test/fakes/telegram.js';
import { startBenchPostgres } from './support/database.js';
import { startServer, sleep } from './support/server.js';
import { createWebhookBots, signInOwner, type BenchBot } from './support/channels.js';
import { openLoop, poster, summarise } from './support/load.js';
import { machineBusyPct, round, startSampler } from './support/proc.js';
import { atLeast, below, envInt, environment, info, printChecks, writeResult } from './support/report.js';

const RATE = envInt('BENCH_RATE', 50);
const DURATION_SEC = envInt('BENCH_DURATION_SEC', 20);
const BOTS = envInt('BENCH_BOTS', 4);
const CHATS = envInt('BENCH_CHATS', 200);
const WAIT_SEC = envInt('BENCH_WAIT_SEC', 60);
const WARM_CHATS = 40;
const SERVER_ENV = JSON.parse(process.env.BENCH_SERVER_ENV ?? '{}') as Record<string, string>;

const TARGET = { repliesPerSec: RATE, p99Ms: 300, lost: 0, duplicated: 0 };

interface Reply {
  i: number;
  text: string;
  chatId: string;
  bot: BenchBot;
  /** Date.now() when the POST was issued (the fake stamps sendMessage with the same clock). */
  issuedAt: number;
  status?: number;
  messageId?: string;
  apiMs?: number;
}

async function main() {
  const started = Date.now();
  const runId = Math.random().toString(36).slice(2, 8);
  const cluster = await startBenchPostgres();
  const telegram = await new FakeTelegram({ enforceLimits: true }).start();
  const cleanups: (() => Promise<void>)[] = [() => cluster.stop(), () => telegram.stop()];
  try {
    const appDb = await cluster.createDatabase('sb_bench_delivery');
    console.log(`PostgreSQL ${cluster.version} (${cluster.kind}); starting the server…`);
    const server = await startServer({ databaseUrl: appDb, telegramApiRoot: telegram.url, env: SERVER_ENV });
    cleanups.unshift(() => server.stop());
    const owner = await signInOwner(server.url);
    const bots = await createWebhookBots(owner, telegram, BOTS);
    const http = poster(server.url, 64);
    const apiHeaders = { cookie: owner.cookie!, 'x-csrf-token': owner.csrfToken! };

    // Every chat writes in first (webhook), so each has a conversation to answer in.
    const chatOf = (k: number) => ({ chatId: String(200_000_000 + k), bot: bots[k % bots.length]! });
    // The fake numbers these messages: Telegram's message ids are unique per chat across both directions.
    for (let k = 0; k < CHATS + WARM_CHATS; k++) {
      const { chatId, bot } = chatOf(k);
      const update = telegram.textUpdate(bot.token, { chatId: Number(chatId), text: 'Hi, any news on my order?' });
      const status = await http.post(bot.webhookPath, JSON.stringify(update), {
        'x-telegram-bot-api-secret-token': bot.secret,
      });
      if (status !== 200) throw new Error(`inbound update answered ${status}`);
    }
    const conversations = await conversationIds(appDb);
    const conversationOf = (k: number) => {
      const { chatId, bot } = chatOf(k);
      const id = conversations.get(`${bot.channelId}:${chatId}`);
      if (!id) throw new Error(`no conversation for chat ${chatId}`);
      return { id, chatId, bot };
    };

    const post = async (r: Reply, conversationId: string) => {
      r.issuedAt = Date.now();
      const res = await http.request(`/api/conversations/${conversationId}/messages`, JSON.stringify({ text: r.text }), apiHeaders);
      r.apiMs = Date.now() - r.issuedAt;
      r.status = res.status;
      if (res.status === 201) r.messageId = (JSON.parse(res.body) as { id: string }).id;
      return res.status;
    };

    // Warm-up on chats of their own: JIT, connection pools, the workers' first fetches.
    const warm: Reply[] = Array.from({ length: WARM_CHATS }, (_, i) => ({
      i,
      text: `warm-${runId}-${i}`,
      ...chatOf(CHATS + i),
      issuedAt: 0,
    }));
    await openLoop(20, WARM_CHATS / 20, (i) => post(warm[i]!, conversationOf(CHATS + i).id));
    await waitForDelivery(telegram, new Set(warm.map((r) => r.text)), 30_000);
    await sleep(2_000);
    const busyBefore = await machineBusyPct(2_000);
    if (busyBefore > 15) console.warn(`WARNING: the machine is ${busyBefore}% busy with something else; results will be skewed`);

    // The measured run: reply i goes to chat i mod CHATS (bots interleaved), so each chat gets one
    // reply every CHATS / RATE seconds and each bot RATE / BOTS per second.
    const total = RATE * DURATION_SEC;
    const replies: Reply[] = Array.from({ length: total }, (_, i) => ({
      i,
      text: `reply-${runId}-${i}: your order #${10_000 + i} has shipped`,
      ...chatOf(i % CHATS),
      issuedAt: 0,
    }));
    const sentBefore = telegram.sent.length;
    const callsBefore = telegram.calls.length;
    console.log(
      `posting ${total} replies at ${RATE}/s to ${CHATS} chats on ${BOTS} bots (one per chat every ${round(CHATS / RATE, 1)} s)…`,
    );
    const sampler = startSampler(server.pid, cluster.postmasterPid);
    const load = await openLoop(RATE, DURATION_SEC, (i) => post(replies[i]!, conversationOf(i % CHATS).id));
    const postsDoneAt = Date.now();
    const accepted = replies.filter((r) => r.status === 201);
    const delivered = await waitForDelivery(telegram, new Set(accepted.map((r) => r.text)), WAIT_SEC * 1000);
    const waitedMs = Date.now() - postsDoneAt;
    await sleep(3_000); // late duplicates
    const res = sampler.stop();
    http.close();

    // Account for every reply: first delivery time, copies, right chat.
    const byText = new Map<string, SentMessage[]>();
    for (const s of telegram.sent.slice(sentBefore)) {
      const list = byText.get(s.text);
      if (list) list.push(s);
      else byText.set(s.text, [s]);
    }
    const latencies: number[] = [];
    let lost = 0;
    let duplicated = 0;
    let misrouted = 0;
    let lastDeliveryAt = 0;
    for (const r of accepted) {
      const copies = byText.get(r.text) ?? [];
      if (copies.length === 0) {
        lost++;
        continue;
      }
      duplicated += copies.length - 1;
      const first = copies[0]!;
      if (first.chatId !== r.chatId || first.token !== r.bot.token) misrouted++;
      latencies.push(first.at - r.issuedAt);
      lastDeliveryAt = Math.max(lastDeliveryAt, first.at);
    }
    // Per second since the first POST: replies posted and first deliveries (shows backlogs and drains).
    const firstIssued = Math.min(...replies.map((r) => r.issuedAt));
    const seconds = Math.ceil((Math.max(lastDeliveryAt, postsDoneAt) - firstIssued) / 1000) + 1;
    const timeline = { postedPerSec: new Array<number>(seconds).fill(0), deliveredPerSec: new Array<number>(seconds).fill(0) };
    for (const r of replies) timeline.postedPerSec[Math.floor((r.issuedAt - firstIssued) / 1000)]!++;
    for (const r of accepted) {
      const first = byText.get(r.text)?.[0];
      if (first) timeline.deliveredPerSec[Math.floor((first.at - firstIssued) / 1000)]!++;
    }
    const rejected = total - accepted.length;
    const e2e = summarise(latencies);
    const repliesPerSec = round(latencies.length / ((lastDeliveryAt - firstIssued) / 1000), 1);
    const sendCalls = telegram.calls.slice(callsBefore).filter((c) => c.method === 'sendMessage');
    const tooMany = sendCalls.filter((c) => c.status === 429).length;
    const breakdown = await jobBreakdown(appDb, accepted);

    const checks = [
      atLeast('replies delivered/s', repliesPerSec, TARGET.repliesPerSec * 0.95),
      below(`p99 ms end-to-end at ${RATE}/s`, e2e.p99, TARGET.p99Ms),
      info('p50 ms end-to-end', e2e.p50),
      info('max ms end-to-end', e2e.max),
      { metric: 'lost (accepted, never sent)', measured: lost, target: '0', pass: lost === 0 },
      { metric: 'duplicated (sent more than once)', measured: duplicated, target: '0', pass: duplicated === 0 },
      { metric: 'rejected POSTs (not 201)', measured: rejected, target: '0', pass: rejected === 0 },
      { metric: 'delivered to the wrong chat/bot', measured: misrouted, target: '0', pass: misrouted === 0 },
      info('POST p99 ms (API answer)', load.latencyMs.p99),
      info('queue pickup p50/p99 ms (job created → started)', `${breakdown.pickupMs.p50} / ${breakdown.pickupMs.p99}`),
      info('handler p50/p99 ms (job started → completed)', `${breakdown.handlerMs.p50} / ${breakdown.handlerMs.p99}`),
      info('Telegram 429s / sendMessage calls', `${tooMany} / ${sendCalls.length}`),
      info('replies needing >1 job (rescheduled)', breakdown.rescheduled),
      info('server RSS max, MB', res.rssMaxMb),
      info('server / PostgreSQL CPU % of a core', `${res.cpu.serverPct} / ${res.cpu.postgresPct}`),
      info('machine busy % before the run (other work)', busyBefore),
    ];
    const result = {
      repliesPerSec,
      p50Ms: e2e.p50,
      p99Ms: e2e.p99,
      lost,
      duplicated,
      rejected,
      misrouted,
      offeredPerSec: RATE,
      bots: BOTS,
      chats: CHATS,
      total,
      delivered: latencies.length,
      pass: checks.every((c) => c.pass !== false),
      targets: TARGET,
      endToEndMs: e2e,
      postLatencyMs: load.latencyMs,
      postIssueLagMs: load.issueLagMs,
      waitedForStragglersMs: waitedMs,
      deliveredBeforeDeadline: delivered,
      telegram: { sendMessageCalls: sendCalls.length, rateLimited429: tooMany },
      jobs: breakdown,
      timeline,
      server: { rssMaxMb: res.rssMaxMb, rssAvgMb: res.rssAvgMb, cpu: res.cpu },
      setup: {
        serverMode: server.mode,
        serverEnv: SERVER_ENV,
        postgres: `${cluster.version} (${cluster.kind})`,
        durationSec: DURATION_SEC,
        warmupReplies: WARM_CHATS,
        machineBusyBeforePct: busyBefore,
        note: 'Latency = fake Telegram accepted sendMessage (Date.now()) − POST issued (Date.now()), same process clock. FakeTelegram enforceLimits on.',
      },
      environment: environment({ pg: cluster.version }),
      at: new Date().toISOString(),
      benchSeconds: Math.round((Date.now() - started) / 1000),
    };
    const file = await writeResult('delivery', result);
    printChecks(
      `Delivery: operator replies → Telegram (${RATE}/s offered, ${BOTS} bots × ${CHATS / BOTS} chats, ${total} replies)`,
      checks,
    );
    console.log(`wrote ${file}`);
  } finally {
    for (const c of cleanups) await c().catch((err: unknown) => console.error('cleanup failed:', err));
  }
}

/** Resolves with how many of `texts` (fake) Telegram received, once it has all of them or at the deadline. */
async function waitForDelivery(telegram: FakeTelegram, texts: Set<string>, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  const seen = new Set<string>();
  let scanned = 0;
  for (;;) {
    for (; scanned < telegram.sent.length; scanned++) {
      const t = telegram.sent[scanned]!.text;
      if (texts.has(t)) seen.add(t);
    }
    if (seen.size >= texts.size || Date.now() > deadline) return seen.size;
    await sleep(100);
  }
}

async function conversationIds(url: string): Promise<Map<string, string>> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const { rows } = await c.query<{ id: string; channel_id: string; external_chat_id: string }>(
      'select id, channel_id, external_chat_id from conversations',
    );
    return new Map(rows.map((r) => [`${r.channel_id}:${r.external_chat_id}`, r.id]));
  } finally {
    await c.end();
  }
}

/** Where the time goes, from pg-boss's own bookkeeping (database clock): pickup delay and handler time. */
async function jobBreakdown(url: string, replies: Reply[]) {
  const ids = new Set(replies.map((r) => r.messageId).filter(Boolean));
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const { rows } = await c.query<{
      message_id: string;
      state: string;
      created_on: Date;
      started_on: Date | null;
      completed_on: Date | null;
      start_after: Date;
    }>(
      `select data->>'messageId' as message_id, state, created_on, started_on, completed_on, start_after
         from pgboss.job where name = 'message.send'
       union all
       select data->>'messageId', state, created_on, started_on, completed_on, start_after
         from pgboss.archive where name = 'message.send'`,
    );
    const mine = rows.filter((r) => ids.has(r.message_id));
    const perMessage = new Map<string, number>();
    for (const r of mine) perMessage.set(r.message_id, (perMessage.get(r.message_id) ?? 0) + 1);
    const started = mine.filter((r) => r.started_on);
    const { rows: statuses } = await c.query<{ status: string; n: number }>(
      `select status, count(*)::int as n from messages where direction = 'out' group by status`,
    );
    return {
      jobs: mine.length,
      byState: countBy(mine.map((r) => r.state)),
      rescheduled: [...perMessage.values()].filter((n) => n > 1).length,
      /** Due (created, or start_after for a delayed retry) → a worker took it. */
      pickupMs: summarise(started.map((r) => r.started_on!.getTime() - Math.max(r.created_on.getTime(), r.start_after.getTime()))),
      handlerMs: summarise(started.filter((r) => r.completed_on).map((r) => r.completed_on!.getTime() - r.started_on!.getTime())),
      outboundMessageStatuses: Object.fromEntries(statuses.map((s) => [s.status, s.n])),
    };
  } finally {
    await c.end();
  }
}

function countBy(values: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
