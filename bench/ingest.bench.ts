/**
 * Ingest benchmark: Telegram webhook updates stored per second by one server process on real
 * PostgreSQL, against the raw ceiling of that PostgreSQL for single-row insert transactions and against
 * the physical limit of our schema (the product's own ingest statements from a bare client).
 *
 *   npm run bench:ingest            (BENCH_DATABASE_URL=postgres://… to use an existing server)
 *
 * Knobs (env): BENCH_CONCURRENCY (32), BENCH_DURATION_SEC (12), BENCH_WARMUP_SEC (3),
 * BENCH_OPEN_RATE (500), BENCH_OPEN_SEC (10), BENCH_BOTS (4), BENCH_CHATS (2000),
 * BENCH_SERVER_MODE (bundle | tsx), BENCH_SERVER_ENV (JSON of extra server env, e.g. '{"DATABASE_POOL_SIZE":"20"}'),
 * BENCH_NODE_ARGS (extra node flags for the server, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof").
 * Writes bench/results/ingest.json.
 */
import pg from 'pg';
import { FakeTelegram } from '../apps/server/test/fakes/telegram.js';
import { ConversationsRepository } from '../apps/server/src/modules/conversations/conversations.repository.js';
import { startBenchPostgres } from './support/database.js';
import { startServer, sleep } from './support/server.js';
import { createWebhookBots, signInOwner, textUpdate } from './support/channels.js';
import { closedLoop, openLoop, poster } from './support/load.js';
import { machineBusyPct, round, rssMb, startSampler } from './support/proc.js';
import { atLeast, below, envInt, environment, info, printChecks, writeResult } from './support/report.js';

const CONCURRENCY = envInt('BENCH_CONCURRENCY', 32);
const DURATION_SEC = envInt('BENCH_DURATION_SEC', 12);
const WARMUP_SEC = envInt('BENCH_WARMUP_SEC', 3);
const OPEN_RATE = envInt('BENCH_OPEN_RATE', 500);
const OPEN_SEC = envInt('BENCH_OPEN_SEC', 10);
const BOTS = envInt('BENCH_BOTS', 4);
const CHATS = envInt('BENCH_CHATS', 2000);
const SERVER_ENV = JSON.parse(process.env.BENCH_SERVER_ENV ?? '{}') as Record<string, string>;

const TARGET = { updatesPerSec: 1000, p99At500Ms: 50, ratio: 0.5, ratioToSchemaLimit: 0.6, idleRssMb: 150, loadRssMb: 300 };

async function main() {
  const started = Date.now();
  const cluster = await startBenchPostgres();
  const telegram = await new FakeTelegram().start();
  const cleanups: (() => Promise<void>)[] = [() => cluster.stop(), () => telegram.stop()];
  try {
    const appDb = await cluster.createDatabase('sb_bench_ingest');
    const rawDb = await cluster.createDatabase('sb_bench_raw');
    console.log(`PostgreSQL ${cluster.version} (${cluster.kind}); starting the server…`);
    const server = await startServer({ databaseUrl: appDb, telegramApiRoot: telegram.url, env: SERVER_ENV });
    cleanups.unshift(() => server.stop());
    const owner = await signInOwner(server.url);
    const bots = await createWebhookBots(owner, telegram, BOTS);

    // Idle footprint: booted, signed in, channels connected, nothing arriving.
    await sleep(3_000);
    const idleSamples: number[] = [];
    for (let i = 0; i < 10; i++) {
      idleSamples.push(rssMb(server.pid) ?? NaN);
      await sleep(100);
    }
    const idleRssMb = round(Math.max(...idleSamples));
    const busyBefore = await machineBusyPct(2_000);
    console.log(`server pid ${server.pid} (${server.mode}), idle RSS ${idleRssMb} MB; machine ${busyBefore}% busy before the load`);
    if (busyBefore > 15) console.warn(`WARNING: the machine is ${busyBefore}% busy with something else; results will be skewed`);

    // 1. The raw ceiling: the same PostgreSQL, one single-row insert per transaction, same concurrency.
    const { raw, rawRes } = await rawInsertCeiling(rawDb, () => startSampler(server.pid, cluster.postmasterPid));
    console.log(`raw insert ceiling: ${Math.round(raw.perSec)}/s (p50 ${raw.latencyMs.p50} ms, p99 ${raw.latencyMs.p99} ms)`);

    // 2. The webhook, closed loop at CONCURRENCY connections.
    const http = poster(server.url, Math.max(CONCURRENCY, 256));
    let updateId = 1;
    let messageId = 1;
    let acknowledged = 0;
    const sendOne = () => {
      const chat = Math.floor(Math.random() * CHATS);
      const bot = bots[chat % bots.length]!;
      const body = textUpdate(updateId++, 100_000_000 + chat, messageId++, `Hello, where is my order #${messageId}?`);
      return http.post(bot.webhookPath, body, { 'x-telegram-bot-api-secret-token': bot.secret }).then((status) => {
        if (status === 200) acknowledged++;
        return status;
      });
    };
    await closedLoop(CONCURRENCY, WARMUP_SEC, sendOne);
    await sleep(1_000);
    const closedSampler = startSampler(server.pid, cluster.postmasterPid);
    const closed = await closedLoop(CONCURRENCY, DURATION_SEC, sendOne);
    const closedRes = closedSampler.stop();
    console.log(
      `closed loop (${CONCURRENCY} conn): ${Math.round(closed.perSec)} updates/s, p50 ${closed.latencyMs.p50} ms, p99 ${closed.latencyMs.p99} ms, RSS max ${closedRes.rssMaxMb} MB`,
    );

    // 3. Open loop at a fixed offered rate.
    await sleep(2_000);
    const openSampler = startSampler(server.pid, cluster.postmasterPid);
    const open = await openLoop(OPEN_RATE, OPEN_SEC, () => sendOne());
    const openRes = openSampler.stop();
    console.log(
      `open loop ${OPEN_RATE}/s: p50 ${open.latencyFromScheduleMs.p50} ms, p99 ${open.latencyFromScheduleMs.p99} ms, max ${open.latencyFromScheduleMs.max} ms`,
    );
    http.close();

    // Every acknowledged update must be in the database, once.
    const stored = await counts(appDb);

    // 4. The physical limit of our schema: the product's own ingest statements (contact and conversation
    // upsert, message insert, event row and notify), one transaction each, from a bare client at the same
    // concurrency — everything the product does except HTTP, parsing and validation.
    const { limit, limitRes } = await schemaLimit(appDb, () => startSampler(server.pid, cluster.postmasterPid));
    console.log(`schema limit: ${Math.round(limit.perSec)}/s (p50 ${limit.latencyMs.p50} ms, p99 ${limit.latencyMs.p99} ms)`);

    const updatesPerSec = Math.round(closed.perSec);
    const rawInsertPerSec = Math.round(raw.perSec);
    const ratio = round(updatesPerSec / rawInsertPerSec, 2);
    const schemaLimitPerSec = Math.round(limit.perSec);
    const ratioToSchemaLimit = round(updatesPerSec / schemaLimitPerSec, 2);
    const rssUnderLoad = Math.max(closedRes.rssMaxMb, openRes.rssMaxMb);
    const p99At500Ms = open.latencyFromScheduleMs.p99;
    // CPU time per operation (ms): where a webhook's cost goes, against a raw insert's.
    const msPerOp = (pct: number, perSec: number) => round((pct * 10) / perSec, 3);
    const perUpdate = {
      server: msPerOp(closedRes.cpu.serverPct, closed.perSec),
      postgres: msPerOp(closedRes.cpu.postgresPct, closed.perSec),
      loadGenerator: msPerOp(closedRes.cpu.benchProcessPct, closed.perSec),
    };
    const perInsert = { client: msPerOp(rawRes.cpu.benchProcessPct, raw.perSec), postgres: msPerOp(rawRes.cpu.postgresPct, raw.perSec) };
    const checks = [
      atLeast('updates/s (closed loop, max accepted)', updatesPerSec, TARGET.updatesPerSec),
      below(`p99 ms at ${OPEN_RATE}/s offered (open loop)`, p99At500Ms, TARGET.p99At500Ms),
      info(`p50 ms at ${OPEN_RATE}/s offered (open loop)`, open.latencyFromScheduleMs.p50),
      info(`closed-loop p50 ms (${CONCURRENCY} conn, saturated)`, closed.latencyMs.p50),
      info(`closed-loop p99 ms (${CONCURRENCY} conn, saturated)`, closed.latencyMs.p99),
      info('raw insert tx/s (same PostgreSQL)', rawInsertPerSec),
      atLeast('ratio updates/s ÷ raw insert/s', ratio, TARGET.ratio),
      info('schema limit tx/s (our ingest SQL, bare client)', schemaLimitPerSec),
      atLeast('ratio updates/s ÷ schema limit', ratioToSchemaLimit, TARGET.ratioToSchemaLimit),
      below('server RSS idle, MB', idleRssMb, TARGET.idleRssMb),
      below('server RSS under load (max), MB', rssUnderLoad, TARGET.loadRssMb),
      info(
        'CPU % of a core: server / PostgreSQL / load gen',
        `${closedRes.cpu.serverPct} / ${closedRes.cpu.postgresPct} / ${closedRes.cpu.benchProcessPct}`,
      ),
      info('CPU ms per update: server / PostgreSQL', `${perUpdate.server} / ${perUpdate.postgres}`),
      info('CPU ms per raw insert: client / PostgreSQL', `${perInsert.client} / ${perInsert.postgres}`),
      info('machine busy % / steal % (closed loop, all cores)', `${closedRes.cpu.machineBusyPct} / ${closedRes.cpu.machineStealPct}`),
      info('machine busy % before the load (other work)', busyBefore),
      info('acknowledged = stored messages', `${acknowledged} = ${stored.messages}`),
      info('failed requests (closed / open)', `${sumFailed(closed.failed)} / ${sumFailed(open.failed)}`),
    ];
    if (acknowledged !== stored.messages)
      checks.push({ metric: 'every acknowledged update stored', measured: 'NO', target: 'yes', pass: false });

    const result = {
      updatesPerSec,
      p50Ms: open.latencyFromScheduleMs.p50,
      p99Ms: p99At500Ms,
      rawInsertPerSec,
      ratio,
      schemaLimitPerSec,
      ratioToSchemaLimit,
      rssMb: rssUnderLoad,
      idleRssMb,
      p99At500Ms,
      closedLoopP50Ms: closed.latencyMs.p50,
      closedLoopP99Ms: closed.latencyMs.p99,
      concurrency: CONCURRENCY,
      durationSec: round(closed.durationSec, 2),
      pass: checks.every((c) => c.pass !== false),
      targets: TARGET,
      closedLoop: {
        ...closed,
        perSec: round(closed.perSec, 1),
        rssMaxMb: closedRes.rssMaxMb,
        rssAvgMb: closedRes.rssAvgMb,
        cpu: closedRes.cpu,
      },
      openLoop: { ...open, perSec: round(open.perSec, 1), rssMaxMb: openRes.rssMaxMb, rssAvgMb: openRes.rssAvgMb, cpu: openRes.cpu },
      rawInsert: { ...raw, perSec: round(raw.perSec, 1), poolSize: CONCURRENCY, cpu: rawRes.cpu, cpuMsPerInsert: perInsert },
      schemaLimit: { ...limit, perSec: round(limit.perSec, 1), poolSize: CONCURRENCY, cpu: limitRes.cpu },
      cpuMsPerUpdate: perUpdate,
      data: { bots: BOTS, chats: CHATS, updatesSent: updateId - 1, acknowledged, ...stored },
      setup: {
        serverMode: server.mode,
        serverEnv: SERVER_ENV,
        postgres: `${cluster.version} (${cluster.kind})`,
        machineBusyBeforePct: busyBefore,
        warmupSec: WARMUP_SEC,
        openLoopRate: OPEN_RATE,
        openLoopSec: OPEN_SEC,
        note: 'Server in its own Node process (RSS = its VmRSS); load generator and fake Telegram in the bench process; PostgreSQL excluded from RSS.',
      },
      environment: environment({ pg: cluster.version }),
      at: new Date().toISOString(),
      benchSeconds: Math.round((Date.now() - started) / 1000),
    };
    const file = await writeResult('ingest', result);
    printChecks(`Ingest: Telegram webhook → PostgreSQL (${CONCURRENCY} connections, ${BOTS} bots, ${CHATS} chats)`, checks);
    console.log(`wrote ${file}`);
  } finally {
    for (const c of cleanups) await c().catch((err: unknown) => console.error('cleanup failed:', err));
  }
}

/** Single-row INSERT transactions (autocommit) into a small table with a unique index, closed loop. */
async function rawInsertCeiling(url: string, sample: () => ReturnType<typeof startSampler>) {
  const pool = new pg.Pool({ connectionString: url, max: CONCURRENCY });
  try {
    await pool.query(`create table raw_updates (
      id bigserial primary key,
      channel_id int not null,
      update_id bigint not null,
      chat_id bigint not null,
      text text not null,
      created_at timestamptz not null default now())`);
    await pool.query('create unique index raw_updates_update on raw_updates (channel_id, update_id)');
    let n = 1;
    const insert = () =>
      pool
        .query('insert into raw_updates (channel_id, update_id, chat_id, text) values ($1, $2, $3, $4)', [
          n % 4,
          n++,
          100_000_000 + Math.floor(Math.random() * CHATS),
          `Hello, where is my order #${n}?`,
        ])
        .then(() => 200);
    await closedLoop(CONCURRENCY, 2, insert);
    // Sampled before the pool ends: an exited backend's CPU time can no longer be read.
    const sampler = sample();
    const raw = await closedLoop(CONCURRENCY, DURATION_SEC, insert);
    return { raw, rawRes: sampler.stop() };
  } finally {
    await pool.end();
  }
}

/**
 * The product's ingest transaction without the product around it: the same repository statements
 * (`ConversationsRepository.insertInbound`: contact + conversation upsert, message insert and conversation
 * update) plus the event row and its notify, per message, on new contacts of the bench's channels.
 */
async function schemaLimit(url: string, sample: () => ReturnType<typeof startSampler>) {
  const pool = new pg.Pool({ connectionString: url, max: CONCURRENCY });
  try {
    const { rows: channels } = await pool.query<{ id: string; account_id: string }>(
      `select id, account_id from channels where type = 'telegram'`,
    );
    const repo = new ConversationsRepository(undefined as never);
    let n = 1;
    const ingest = async () => {
      const i = n++;
      const channel = channels[i % channels.length]!;
      const chat = String(500_000_000 + Math.floor(Math.random() * CHATS));
      const client = await pool.connect();
      try {
        await client.query('begin');
        const tx = { client, db: undefined as never, afterCommit: () => undefined };
        const stored = await repo.insertInbound(
          tx,
          { id: channel.id, accountId: channel.account_id },
          {
            externalId: `limit-${i}`,
            chatId: chat,
            contact: { externalId: chat, name: 'Bench Customer', username: null },
            text: `Hello, where is my order #${i}?`,
            attachments: [],
            sentAt: new Date(),
            edited: false,
          },
          'queued',
        );
        const payload = { conversationId: stored?.conversation.id, message: stored?.message };
        const { rows } = await client.query<{ id: number }>({
          name: 'publish-event',
          text: 'insert into events (account_id, type, payload) values ($1, $2, $3) returning id',
          values: [channel.account_id, 'message.created', payload],
        });
        await client.query('commit');
        await client.query('select pg_notify($1, $2)', ['sb_events', JSON.stringify({ id: rows[0]!.id, ...payload })]);
        return 200;
      } catch (err) {
        await client.query('rollback').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    };
    await closedLoop(CONCURRENCY, 2, ingest);
    const sampler = sample();
    const limit = await closedLoop(CONCURRENCY, DURATION_SEC, ingest);
    return { limit, limitRes: sampler.stop() };
  } finally {
    await pool.end();
  }
}

async function counts(url: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const { rows } = await c.query<{ messages: number; conversations: number; contacts: number; events: number }>(
      `select (select count(*)::int from messages where direction = 'in') as messages,
              (select count(*)::int from conversations) as conversations,
              (select count(*)::int from contacts) as contacts,
              (select count(*)::int from events) as events`,
    );
    return rows[0]!;
  } finally {
    await c.end();
  }
}

const sumFailed = (f: Record<string, number>) => Object.values(f).reduce((a, b) => a + b, 0);

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
