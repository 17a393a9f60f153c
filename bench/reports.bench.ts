/**
 * Reports at scale: 1,000,000 messages in 200,000 conversations of 100,000 contacts (10 channels, 20
 * operators, over 120 days), inserted straight into SQL; the report read model is built from them
 * (`rebuildReportFacts`, timed), then the 90-day conversations report (with the previous period,
 * series, channel and operator breakdowns) runs repeatedly: p95 must stay under 1 s.
 *
 * BENCH_CONVERSATIONS (default 200000; 5 messages each), BENCH_RUNS (default 30), BENCH_DATABASE_URL.
 */
import { sql } from 'drizzle-orm';
import { connectDatabase } from '../apps/server/src/platform/db/client.js';
import { runMigrations } from '../apps/server/src/platform/db/migrate.js';
import { rebuildReportFacts } from '../apps/server/src/modules/reports/reports.projector.js';
import { runConversationReport } from '../apps/server/src/modules/reports/reports.report.js';
import { startBenchPostgres } from './support/database.js';
import { below, envInt, environment, info, printChecks, writeResult } from './support/report.js';

const CONVERSATIONS = envInt('BENCH_CONVERSATIONS', 200_000);
const RUNS = envInt('BENCH_RUNS', 30);
const CONTACTS = Math.max(1, Math.floor(CONVERSATIONS / 2));

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

async function main(): Promise<void> {
  const cluster = await startBenchPostgres();
  const url = await cluster.createDatabase('bench_reports');
  await runMigrations(url);
  const database = connectDatabase(url, 4);
  const db = database.db;
  try {
    const t0 = Date.now();
    const [{ id: accountId }] = (await db.execute<{ id: string }>(sql`insert into accounts (name) values ('Bench') returning id`)).rows as [
      { id: string },
    ];
    await db.execute(sql`
      insert into users (email, name, password_hash) select 'op' || g || '@bench.test', 'Оператор ' || g, 'x' from generate_series(1, 20) g`);
    await db.execute(sql`insert into memberships (account_id, user_id, role) select ${accountId}, id, 'agent' from users`);
    await db.execute(sql`
      insert into channels (account_id, type, name, secrets, status) select ${accountId}, 'telegram', 'Канал ' || g, 'x', 'connected' from generate_series(1, 10) g`);
    await db.execute(sql`
      insert into contacts (account_id, name, created_at) select ${accountId}, 'Клиент ' || g, now() - interval '130 days' from generate_series(1, ${CONTACTS}) g`);
    // One handle and one conversation per i; contacts shared by two conversations on different channels.
    await db.execute(sql`
      create temporary table bench_ids as
      select g as i, (select array_agg(id order by id) from channels) as chans, (select array_agg(id order by id) from users) as ops,
        (select array_agg(id order by created_at, id) from contacts) as people
      from generate_series(1, 1) g`);
    await db.execute(sql`
      insert into contact_handles (account_id, contact_id, channel_id, external_id)
      select ${accountId}, b.people[1 + (g % ${CONTACTS})], b.chans[1 + (g % 10)], 'h' || g
      from generate_series(1, ${CONVERSATIONS}) g, bench_ids b`);
    await db.execute(sql`
      insert into conversations (account_id, channel_id, contact_id, handle_id, external_chat_id, status, assignee_id, created_at, updated_at, last_message_at)
      select ${accountId}, h.channel_id, h.contact_id, h.id, h.external_id,
        case when g % 10 < 6 then 'resolved' when g % 10 < 8 then 'bot' else 'open' end,
        case when g % 10 between 6 and 7 then null else b.ops[1 + (g % 20)] end,
        t, t + ((g % 97) || ' hours')::interval, t + interval '1 hour'
      from (select h.*, substr(h.external_id, 2)::int as g, now() - ((substr(h.external_id, 2)::int % (120 * 24 * 60)) || ' minutes')::interval as t
            from contact_handles h where h.account_id = ${accountId}) h, bench_ids b`);
    // Five messages each: question, bot answer or operator reply, second question, reply, thanks.
    await db.execute(sql`
      insert into messages (account_id, conversation_id, channel_id, direction, author_type, author_user_id, text, status, created_at)
      select c.account_id, c.id, c.channel_id,
        case when k in (1, 3, 5) then 'in' else 'out' end,
        case when k in (1, 3, 5) then 'contact' when c.assignee_id is null then 'bot' else 'operator' end,
        case when k in (2, 4) then c.assignee_id end,
        'Сообщение ' || k, case when k in (1, 3, 5) then 'received' else 'sent' end,
        c.created_at + ((k - 1) * (37 + (c.number_seed % 600)) || ' seconds')::interval
      from (select *, abs(hashtext(id::text)) as number_seed from conversations where account_id = ${accountId}) c, generate_series(1, 5) k`);
    await db.execute(sql`analyze`);
    const loadSeconds = (Date.now() - t0) / 1000;
    const { rows } = await db.execute<{ n: string }>(sql`select count(*) as n from messages`);
    const messages = Number(rows[0]!.n);
    console.log(`loaded ${messages} messages in ${CONVERSATIONS} conversations in ${loadSeconds.toFixed(1)} s`);

    const r0 = Date.now();
    await rebuildReportFacts(db, accountId);
    // Autovacuum would do this soon after; index-only scans need the visibility map.
    await db.execute(sql`vacuum analyze report_conversation_facts`);
    await db.execute(sql`vacuum analyze report_message_hours`);
    const rebuildSeconds = (Date.now() - r0) / 1000;
    console.log(`read model built in ${rebuildSeconds.toFixed(1)} s`);

    const to = day(Date.now());
    const from90 = day(Date.now() - 89 * 86_400_000);
    const from30 = day(Date.now() - 29 * 86_400_000);
    const channel = ((await db.execute<{ id: string }>(sql`select id from channels limit 1`)).rows[0] as { id: string }).id;
    const timings: Record<string, number[]> = { day90: [], week90: [], day30: [], channel90: [] };
    let sample: Awaited<ReturnType<typeof runConversationReport>> | undefined;
    for (let i = 0; i < RUNS; i++) {
      for (const [name, q] of [
        ['day90', { from: from90, to, granularity: 'day' as const }],
        ['week90', { from: from90, to, granularity: 'week' as const }],
        ['day30', { from: from30, to, granularity: 'day' as const }],
        ['channel90', { from: from90, to, granularity: 'day' as const, channelId: channel }],
      ] as const) {
        const s = performance.now();
        const r = await runConversationReport(db, accountId, q);
        timings[name]!.push(performance.now() - s);
        if (name === 'day90') sample = r;
      }
    }
    const p95 = Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, Math.round(pct(v, 95))]));
    const p50 = Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, Math.round(pct(v, 50))]));
    const reportP95Ms = Math.max(...Object.values(p95));
    const facts = Number((await db.execute<{ n: string }>(sql`select count(*) as n from report_conversation_facts`)).rows[0]!.n);
    const hours = Number((await db.execute<{ n: string }>(sql`select count(*) as n from report_message_hours`)).rows[0]!.n);
    const checks = [
      info('messages', messages),
      info('conversations', CONVERSATIONS),
      info('read model: conversation facts', facts),
      info('read model: hour rows', hours),
      info('load (s)', Number(loadSeconds.toFixed(1))),
      info('read model build (s)', Number(rebuildSeconds.toFixed(1))),
      info('90-day report conversations', sample?.summary.conversations ?? 0),
      ...Object.entries(p50).map(([k, v]) => info(`${k} p50 (ms)`, v)),
      ...Object.entries(p95).map(([k, v]) => below(`${k} p95 (ms)`, v, 1000)),
    ];
    printChecks('Reports', checks);
    const file = await writeResult('reports', {
      at: new Date().toISOString(),
      environment: environment({ postgres: cluster.version, database: cluster.kind }),
      messages,
      conversations: CONVERSATIONS,
      facts,
      hourRows: hours,
      loadSeconds,
      rebuildSeconds,
      runs: RUNS,
      reportP95Ms,
      p50Ms: p50,
      p95Ms: p95,
      summary: sample?.summary,
      checks,
      pass: checks.every((c) => c.pass !== false),
    });
    console.log(`wrote ${file}`);
  } finally {
    await database.close();
    await cluster.stop();
  }
}

await main();
