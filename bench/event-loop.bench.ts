/**
 * Event-loop health under hostile input: while the server routes a huge customer e-mail (AI first line:
 * classification, retrieval with typo expansion, the bot's answer or hand-over) or reads a hostile
 * knowledge-base document (200,000 nested <div>s), how long does
 * `GET /health` take, and how late does the server's event loop run (perf_hooks.monitorEventLoopDelay)?
 * The server runs in this process (so the loop measured is the server's); /health is asked every 20 ms.
 * Needs Debian's dovecot-imapd (the e-mail tests' IMAP server).
 *
 *   npm run bench:event-loop        (BENCH_DATABASE_URL=postgres://… to use an existing server)
 *
 * Knobs (env): BENCH_MESSAGE_KB (1000: characters of each message, in thousands), BENCH_CASE_TIMEOUT_SEC (180),
 * BENCH_CASES (run only the cases whose name contains this text).
 * Cases are a list: each one starts some work and resolves when the server has finished it.
 * Writes bench/results/event-loop.json.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import MailComposer from 'nodemailer/lib/mail-composer';
import { loadConfig } from '../apps/server/src/config.js';
import { startApp, type Running } from '../apps/server/src/app.js';
import { createLogger } from '../apps/server/src/platform/logging.js';
import { healthLatencyDuring } from '../apps/server/test/support/health-sampler.js';
import { emailChannelConfig, startDovecot, startSmtpSink, type Dovecot, type SmtpSink } from '../apps/server/test/support/mail-servers.js';
import type { ApiClient } from '../apps/server/test/support/api-client.js';
// The mail servers' module shares the test suite's setup, whose types extend vitest's.
import type {} from 'vitest';
import { freePort, startBenchPostgres } from './support/database.js';
import { OWNER, sleep } from './support/server.js';
import { signInOwner } from './support/channels.js';
import { summarise } from './support/load.js';
import { below, envInt, environment, info, printChecks, writeResult, type Check } from './support/report.js';

const MESSAGE_CHARS = envInt('BENCH_MESSAGE_KB', 1000) * 1000;
const CASE_TIMEOUT_MS = envInt('BENCH_CASE_TIMEOUT_SEC', 180) * 1000;
const TARGET_MAX_MS = 100;
const LOOP_RESOLUTION_MS = 10;
const ADDRESS = 'support@shop.test';

/** What a case can use: the server, a signed-in owner and an e-mail channel with the assistant on. */
interface BenchEnv {
  url: string;
  owner: ApiClient;
  dovecot: Dovecot;
  mailbox: string;
  channelId: string;
}

interface Case {
  name: string;
  /** Starts the work and resolves when the server has finished it, with a short description of the outcome. */
  run(env: BenchEnv): Promise<string>;
}

let nextCustomer = 0;

/**
 * A customer's e-mail of exactly `text` (e-mail: the one channel whose text has no cap before it is stored),
 * put into the watched mailbox; resolves when the bot has answered or handed over.
 */
async function customerMessage(env: BenchEnv, text: string): Promise<string> {
  const address = `customer${++nextCustomer}@customer.test`;
  const raw = await new MailComposer({
    from: address,
    to: ADDRESS,
    subject: 'Question',
    text,
    messageId: `<${randomUUID()}@customer.test>`,
  })
    .compile()
    .build();
  const before = await handovers(env);
  await env.dovecot.append(env.mailbox, raw);
  const deadline = Date.now() + CASE_TIMEOUT_MS;
  for (;;) {
    if (Date.now() > deadline) return 'timed out waiting for the bot';
    const conversations = (await env.owner.get('/api/conversations?status=all&limit=200')).body.items as {
      id: string;
      contact: { externalId: string };
    }[];
    const conv = conversations.find((c) => c.contact.externalId === address);
    const messages = conv
      ? ((await env.owner.get(`/api/conversations/${conv.id}/messages?limit=10`)).body.items as {
          direction: string;
          text: string;
          ai: { kind: string } | null;
        }[])
      : [];
    const turn = messages.find((m) => m.direction === 'out');
    if (turn) {
      const stored = messages.find((m) => m.direction === 'in')?.text.length === text.trim().length ? 'stored whole' : 'STORED CUT';
      const after = await handovers(env);
      const reason = Object.keys(after).find((r) => after[r]! > (before[r] ?? 0));
      return `${stored}; bot: ${turn.ai?.kind ?? 'none'}${reason ? ` (${reason})` : ''}`;
    }
    await sleep(100);
  }
}

/** Hand-overs so far, by reason. */
async function handovers(env: BenchEnv): Promise<Record<string, number>> {
  return (await env.owner.get('/api/ai/metrics')).body.handoversByReason as Record<string, number>;
}

/** A word of `n` Latin letters. */
const oneWord = (n: number) => 'deliverytimequestion'.repeat(Math.ceil(n / 20)).slice(0, n);
const sentences = (n: number) => 'How long does delivery to Moscow take and what does it cost? '.repeat(Math.ceil(n / 61)).slice(0, n);

/** A page of `depth` nested <div>s (200,000: 2.2 MB), which once held the event loop 7.5 minutes. */
const nestedDivs = (depth: number) => `<html><body>${'<div>'.repeat(depth)}Deep text${'</div>'.repeat(depth)}</body></html>`;

/** Uploads a hostile document to the knowledge base; it should be refused, not stored. */
async function hostileDocument(env: BenchEnv, name: string, content: string): Promise<string> {
  const res = await env.owner.upload('/api/knowledge/documents', { name, content, type: 'text/html' });
  return res.status === 422 ? `refused: ${res.body.error.code}` : `NOT REFUSED: ${res.status}`;
}

const CASES: Case[] = [
  { name: `message: one ${MESSAGE_CHARS / 1000} KB word`, run: (env) => customerMessage(env, oneWord(MESSAGE_CHARS)) },
  { name: `message: ${MESSAGE_CHARS / 1000} KB of sentences`, run: (env) => customerMessage(env, sentences(MESSAGE_CHARS)) },
  { name: 'document: 200,000 nested <div>s (2.2 MB HTML)', run: (env) => hostileDocument(env, 'deep.html', nestedDivs(200_000)) },
];

async function startServer(databaseUrl: string): Promise<{ url: string; running: Running; dataDir: string }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'switchboard-bench-loop-'));
  const config = loadConfig(
    {
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: url,
      DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl,
      SECRET_KEY: Buffer.alloc(32, 7).toString('base64'),
      ADMIN_EMAIL: OWNER.email,
      ADMIN_PASSWORD: OWNER.password,
      SERVE_WEB: 'false',
      // The mail servers are on loopback.
      OUTBOUND_ALLOWLIST: '127.0.0.1',
      API_RATE_LIMIT_PER_MIN: '10000000',
      SHUTDOWN_TIMEOUT_MS: '5000',
    },
    [],
  );
  const running = await startApp(config, createLogger(process.env.BENCH_LOG_LEVEL ?? 'warn'));
  await running.http.listen({ port, host: '127.0.0.1' });
  return { url, running, dataDir };
}

/** An e-mail channel with the assistant on and a small FAQ, warmed up by one ordinary question. */
async function prepare(url: string, running: Running, dovecot: Dovecot, smtp: SmtpSink): Promise<BenchEnv> {
  const owner = await signInOwner(url);
  const mailbox = 'Support';
  await dovecot.createMailbox(mailbox);
  const channel = await owner.post('/api/channels', {
    type: 'email',
    name: 'Event loop bench',
    config: emailChannelConfig(dovecot, smtp, mailbox, { assistant: { enabled: true } }),
  });
  if (channel.status !== 201) throw new Error(`channel not created: ${channel.status} ${JSON.stringify(channel.body)}`);
  const channelId = channel.body.id as string;
  await running.pollers!.rescan();
  while (!running.pollers!.active.includes(channelId)) await sleep(100);
  const faq = [
    { question: 'How long does delivery take?', answer: 'Delivery takes two to three days.' },
    { question: 'How much does delivery to Moscow cost?', answer: 'Delivery to Moscow costs 300 roubles.' },
    { question: 'Сколько стоит доставка по Москве?', answer: 'Доставка по Москве стоит 300 рублей.' },
  ];
  for (const f of faq) await owner.post('/api/knowledge/articles', { kind: 'faq', ...f });
  const env = { url, owner, dovecot, mailbox, channelId };
  console.log(`warm-up: ${await customerMessage(env, 'How long does delivery take?')}`);
  return env;
}

async function main(): Promise<boolean> {
  const cluster = await startBenchPostgres();
  const dovecot = await startDovecot();
  const smtp = await startSmtpSink();
  const cleanups: (() => Promise<void>)[] = [() => cluster.stop(), () => dovecot.stop(), () => smtp.stop()];
  try {
    const server = await startServer(await cluster.createDatabase('sb_bench_loop'));
    cleanups.unshift(async () => {
      await server.running.stop();
      await rm(server.dataDir, { recursive: true, force: true });
    });
    const env = await prepare(server.url, server.running, dovecot, smtp);
    const results = [];
    let pass = true;
    for (const c of CASES.filter((x) => x.name.includes(process.env.BENCH_CASES ?? ''))) {
      const delay = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
      delay.enable();
      const started = performance.now();
      const { result: outcome, latenciesMs } = await healthLatencyDuring(server.url, () => c.run(env));
      const elapsedMs = Math.round(performance.now() - started);
      delay.disable();
      const health = summarise(latenciesMs);
      // The histogram holds the time between samples: the delay is what exceeds the sampling interval.
      const late = (ns: number) => Math.max(0, ns / 1e6 - LOOP_RESOLUTION_MS);
      const loop = { p50: late(delay.percentile(50)), p99: late(delay.percentile(99)), max: late(delay.max) };
      const checks: Check[] = [
        info('outcome', outcome),
        info('processing ms', elapsedMs),
        info('/health samples', latenciesMs.length),
        info('/health p50 ms', round(health.p50)),
        info('/health p99 ms', round(health.p99)),
        below('/health max ms', round(health.max), TARGET_MAX_MS),
        info('event-loop delay p50 ms', round(loop.p50)),
        info('event-loop delay p99 ms', round(loop.p99)),
        below('event-loop delay max ms', round(loop.max), TARGET_MAX_MS),
      ];
      printChecks(c.name, checks);
      const ok = checks.every((x) => x.pass !== false) && !/timed out|CUT|NOT REFUSED/.test(outcome);
      pass &&= ok;
      results.push({ name: c.name, outcome, elapsedMs, samples: latenciesMs.length, healthMs: health, eventLoopDelayMs: loop, pass: ok });
    }
    const file = await writeResult('event-loop', {
      name: 'event-loop',
      date: new Date().toISOString(),
      environment: environment({ postgres: `${cluster.version} (${cluster.kind})` }),
      messageChars: MESSAGE_CHARS,
      target: { maxMs: TARGET_MAX_MS },
      cases: results,
      pass,
    });
    console.log(`wrote ${file}`);
    return pass;
  } finally {
    for (const cleanup of cleanups) await cleanup().catch((err: unknown) => console.error('cleanup failed:', err));
  }
}

const round = (v: number) => Math.round(v * 10) / 10;

// Explicit: the embedded PostgreSQL's exit hook ends the process with its own code.
process.exit((await main()) ? 0 : 1);
