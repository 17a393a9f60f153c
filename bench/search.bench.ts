/**
 * Search benchmark: 1,000,000 messages (Russian and English) in 200,000 conversations of 100,000 contacts,
 * generated in SQL (generate_series) into a dedicated database that is kept between runs (re-runs reuse it).
 * Measures, through a real server over HTTP: the search box (`GET /api/search`: full text, contacts,
 * numbers, with filters) p95 < 200 ms, the inbox list page (`GET /api/conversations`) p95 < 50 ms, and,
 * a 90-day conversation report (the reports module's read model) p95 < 1 s. The JSON carries the
 * query plans (EXPLAIN ANALYZE) of the search and list statements.
 *
 *   npm run bench:search
 *
 * Knobs (env): BENCH_DATABASE_URL (admin URL of the PostgreSQL to use; default postgres://root@127.0.0.1:5432/postgres),
 * BENCH_SEARCH_DB (database name, default sb_bench_search), BENCH_SEARCH_REBUILD=1 (regenerate),
 * BENCH_MESSAGES (1000000), BENCH_ROUNDS (10 per query).
 * Writes bench/results/search.json.
 */
import pg from 'pg';
import { drizzle } from 'drizzle-orm/node-postgres';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { SQL } from 'drizzle-orm';
import { HIGHLIGHT_END, HIGHLIGHT_START } from '@switchboard/shared';
import { FakeTelegram } from '../apps/server/test/fakes/telegram.js';
import { SearchRepository, tsQuery } from '../apps/server/src/modules/search/search.repository.js';
import { parseSearchQuery } from '../apps/server/src/modules/search/search.query.js';
import { ConversationsRepository } from '../apps/server/src/modules/conversations/conversations.repository.js';
import type { ApiClient } from '../apps/server/test/support/api-client.js';
import { rebuildReportFacts } from '../apps/server/src/modules/reports/reports.projector.js';
import { runConversationReport } from '../apps/server/src/modules/reports/reports.report.js';
import { startServer } from './support/server.js';
import { signInOwner } from './support/channels.js';
import { summarise } from './support/load.js';
import { below, envInt, environment, info, printChecks, writeResult } from './support/report.js';

const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/postgres';
const DB_NAME = process.env.BENCH_SEARCH_DB ?? 'sb_bench_search';
const MESSAGES = envInt('BENCH_MESSAGES', 1_000_000);
const CONVERSATIONS = Math.round(MESSAGES / 5);
const CONTACTS = Math.round(MESSAGES / 10);
const ROUNDS = envInt('BENCH_ROUNDS', 10);
const TARGET = { searchP95Ms: 200, listP95Ms: 50, reportP95Ms: 1000 };

const RU = `доставка доставки доставку заказ заказа заказы оплата оплату оплатил возврат возврата вернуть деньги курьер курьера
  адрес адреса телефон номер номера размер размеры цвет цвета товар товара товары скидка скидку акция наличии склад склада
  самовывоз пункт выдачи сегодня завтра вчера неделю месяц вопрос вопросы ответ помогите пожалуйста спасибо здравствуйте добрый
  день вечер утро можно нельзя сколько стоит цена цену дорого дешево быстро долго ждать жду ждём отмена отменить отменил
  гарантия гарантии ремонт сломался сломанный чайник телефон ноутбук кроссовки куртка платье диван стол кровать шкаф холодильник
  ёлка ёлочные игрушки подарок подарки упаковка коробка чек квитанция карта карты наличные перевод счёт счёта договор доставщик
  трек отслеживание посылка посылку почта почтой транспортная компания объявление авито продавец покупатель менеджер оператор
  связаться позвонить перезвоните написать сообщение уточнить подтвердить изменить перенести время когда где почему как`
  .split(/\s+/)
  .filter(Boolean);
const EN = `delivery delivered order orders payment paid refund return money courier address phone number size color item
  items discount sale stock warehouse pickup today tomorrow yesterday week month question answer please thanks hello good
  morning evening price cost expensive cheap fast slow waiting cancel cancelled warranty repair broken kettle laptop shoes
  jacket dress sofa table bed gift package box receipt card cash transfer invoice contract tracking parcel mail shipping
  listing seller buyer manager operator call write message confirm change reschedule time when where why how status`
  .split(/\s+/)
  .filter(Boolean);
const FIRST =
  'Анна Борис Вера Глеб Дарья Егор Жанна Иван Ксения Леонид Мария Никита Ольга Павел Раиса Сергей Татьяна Ульяна Фёдор Юлия John Mary Peter Kate Alex'.split(
    ' ',
  );
const LAST =
  'Иванов Петров Смирнов Кузнецов Попов Васильев Соколов Михайлов Новиков Фёдоров Морозов Волков Алексеев Лебедев Семёнов Smith Brown Jones'.split(
    ' ',
  );

/** Search-box queries a support team types: common and rare words, phrases, prefixes, names, phones, numbers, with filters. */
const SEARCHES: { q: string; extra?: string }[] = [
  { q: 'доставка' },
  { q: 'возврат деньги' },
  { q: '"номер заказа"' },
  { q: 'перезвон' },
  { q: 'сломанный чайник' },
  { q: 'курьер -отмена' },
  { q: 'ёлочные игрушки' },
  { q: 'delivery status' },
  { q: 'refund' },
  { q: 'Ольга Смирнов' },
  { q: '8 916 000-12-33' },
  { q: 'user4000@mail.test' },
  { q: '#123456' },
  { q: 'доставка', extra: '&status=open' },
  { q: 'оплата', extra: '&from=2026-01-01&to=2026-12-31' },
  { q: 'гарантия ремонт', extra: '&assignee=unassigned' },
];
const LISTS = ['status=active&limit=50', 'status=all&limit=50', 'status=active&assignee=unassigned&limit=50', 'status=resolved&limit=50'];

async function main() {
  const started = Date.now();
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${DB_NAME}`;
  const dbUrl = url.toString();
  const exists = (await admin.query('select 1 from pg_database where datname = $1', [DB_NAME])).rowCount === 1;
  if (exists && process.env.BENCH_SEARCH_REBUILD === '1') await admin.query(`drop database ${DB_NAME} with (force)`);
  if (!exists || process.env.BENCH_SEARCH_REBUILD === '1') await admin.query(`create database ${DB_NAME}`);
  const version = (await admin.query<{ v: string }>('select version() as v')).rows[0]!.v;
  await admin.end();

  const telegram = await new FakeTelegram().start();
  // The server migrates the database and creates the owner's account on first boot.
  const server = await startServer({ databaseUrl: dbUrl, telegramApiRoot: telegram.url });
  const pool = new pg.Pool({ connectionString: dbUrl, max: 4 });
  try {
    const owner = await signInOwner(server.url);
    const accountId = (await owner.get('/api/auth/session')).body.user.accountId as string;
    let generationSec: number | null = null;
    if (!(await generated(pool, accountId))) {
      const t0 = Date.now();
      await generate(pool, accountId, owner, telegram);
      generationSec = Math.round((Date.now() - t0) / 100) / 10;
    } else console.log(`reusing ${DB_NAME} (BENCH_SEARCH_REBUILD=1 to regenerate)`);
    const counts = (
      await pool.query<{ messages: number; conversations: number; contacts: number }>(
        `select (select count(*) from messages)::int as messages, (select count(*) from conversations)::int as conversations,
           (select count(*) from contacts)::int as contacts`,
      )
    ).rows[0]!;
    console.log(`data: ${counts.messages} messages, ${counts.conversations} conversations, ${counts.contacts} contacts`);

    const timed = async (path: string) => {
      const t0 = performance.now();
      const res = await owner.get(path);
      const ms = performance.now() - t0;
      if (res.status !== 200) throw new Error(`${path} → ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
      return { ms, body: res.body };
    };
    // Warm the caches once, then measure.
    for (const s of SEARCHES) await timed(`/api/search?q=${encodeURIComponent(s.q)}${s.extra ?? ''}`);
    const searchMs: number[] = [];
    const perQuery: Record<string, { p50: number; p95: number; hits: number }> = {};
    for (const s of SEARCHES) {
      const ms: number[] = [];
      let hits = 0;
      for (let i = 0; i < ROUNDS; i++) {
        const r = await timed(`/api/search?q=${encodeURIComponent(s.q)}${s.extra ?? ''}`);
        ms.push(r.ms);
        hits = r.body.messages.length + r.body.contacts.length + r.body.conversations.length;
      }
      searchMs.push(...ms);
      perQuery[`${s.q}${s.extra ?? ''}`] = { p50: p(ms, 0.5), p95: p(ms, 0.95), hits };
    }
    const listMs: number[] = [];
    for (const l of LISTS) await timed(`/api/conversations?${l}`);
    for (let i = 0; i < ROUNDS * 4; i++) {
      for (const l of LISTS) {
        const first = await timed(`/api/conversations?${l}`);
        listMs.push(first.ms);
        if (first.body.nextCursor) listMs.push((await timed(`/api/conversations?${l}&cursor=${first.body.nextCursor}`)).ms);
      }
    }
    const report = await reportTimes(pool, accountId);
    const plans = await explainPlans(pool, accountId);

    const searchP95Ms = p(searchMs, 0.95);
    const listP95Ms = p(listMs, 0.95);
    const checks = [
      below('search p95 ms (GET /api/search, mixed queries)', searchP95Ms, TARGET.searchP95Ms),
      below('inbox list page p95 ms (GET /api/conversations)', listP95Ms, TARGET.listP95Ms),
      report.p95 === null ? info('90-day report p95 ms', 'n/a') : below('90-day report p95 ms', report.p95, TARGET.reportP95Ms),
      info('messages searched', counts.messages),
      info('generation s (this run)', generationSec ?? 'reused'),
    ];
    printChecks(`Search on ${counts.messages} messages / ${counts.conversations} conversations / ${counts.contacts} contacts`, checks);
    const file = await writeResult('search', {
      searchP95Ms,
      listP95Ms,
      reportP95Ms: report.p95,
      messages: counts.messages,
      conversations: counts.conversations,
      contacts: counts.contacts,
      targets: TARGET,
      pass: checks.every((c) => c.pass !== false),
      search: summarise(searchMs),
      list: summarise(listMs),
      perQuery,
      report: report.note,
      generationSec,
      plans,
      environment: environment({ postgres: version, database: DB_NAME }),
      durationSec: Math.round((Date.now() - started) / 1000),
      highlightMarks: [HIGHLIGHT_START, HIGHLIGHT_END].map((c) => c.charCodeAt(0)),
    });
    console.log(`wrote ${file}`);
  } finally {
    await pool.end();
    await server.stop();
    await telegram.stop();
  }
}

const p = (values: number[], q: number) => {
  const s = [...values].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]! * 10) / 10;
};

async function generated(pool: pg.Pool, accountId: string): Promise<boolean> {
  await pool.query('create table if not exists bench_search_meta (account_id uuid primary key, messages int not null)');
  const { rows } = await pool.query<{ messages: number }>('select messages from bench_search_meta where account_id = $1', [accountId]);
  return rows[0]?.messages === MESSAGES;
}

/** The data set, in a few set-based statements (minutes, not hours); search indexes are built after the load. */
async function generate(pool: pg.Pool, accountId: string, owner: ApiClient, telegram: FakeTelegram) {
  const c = await pool.connect();
  const step = async (what: string, text: string, values: unknown[] = []) => {
    const t0 = Date.now();
    await c.query(text, values);
    console.log(`  ${what}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  };
  try {
    console.log(`generating ${MESSAGES} messages, ${CONVERSATIONS} conversations, ${CONTACTS} contacts…`);
    await c.query(`set synchronous_commit = off; set maintenance_work_mem = '256MB'; set work_mem = '64MB'`);
    // Version-4-shaped ids from a seed, so the API's uuid checks accept them.
    await c.query(`create or replace function bench_uuid(t text) returns uuid language sql immutable as
      $$ select (substr(md5(t), 1, 12) || '4' || substr(md5(t), 14, 3) || '8' || substr(md5(t), 18))::uuid $$`);
    await step(
      'operators',
      `with u as (insert into users (email, name, password_hash) select 'agent' || g || '@bench.test', 'Agent ' || g, 'x'
         from generate_series(1, 20) g returning id)
       insert into memberships (account_id, user_id, role) select $1, id, 'agent' from u`,
      [accountId],
    );
    // Channels through the API (sealed credentials, as the product makes them): two Telegram bots on the fake, widgets, an API channel.
    const channels: string[] = [];
    for (const [i, body] of [
      { type: 'telegram', name: 'Bench Telegram 1', config: { botToken: telegram.addBot('search1_bot'), mode: 'webhook' } },
      { type: 'telegram', name: 'Bench Telegram 2', config: { botToken: telegram.addBot('search2_bot'), mode: 'webhook' } },
      { type: 'widget', name: 'Bench site', config: {} },
      { type: 'widget', name: 'Bench shop', config: {} },
      { type: 'api', name: 'Bench API', config: {} },
    ].entries()) {
      const res = await owner.post('/api/channels', body);
      if (res.status !== 201) throw new Error(`channel ${i} not created: ${res.status} ${JSON.stringify(res.body)}`);
      channels.push(res.body.id as string);
    }
    const agents = (
      await c.query<{ user_id: string }>(`select user_id from memberships where account_id = $1 and role = 'agent'`, [accountId])
    ).rows.map((r) => r.user_id);
    await step(
      'drop search indexes for the load',
      `drop index if exists messages_search_idx; drop index if exists contacts_search_trgm_idx;
      drop index if exists contacts_name_trgm_idx; drop index if exists contact_handles_search_trgm_idx`,
    );
    // Deterministic pseudo-random numbers: hashint4 of the row number.
    await step(
      'contacts',
      `insert into contacts (id, account_id, name, phones, emails, search_text, created_at, last_seen_at)
       select bench_uuid('c' || g), $1, n.name,
         case when g % 3 = 0 then array['+7916' || lpad(g::text, 7, '0')] else '{}' end,
         case when g % 4 = 0 then array['user' || g || '@mail.test'] else '{}' end,
         lower(concat_ws(' ', n.name, case when g % 3 = 0 then '+7916' || lpad(g::text, 7, '0') end, case when g % 4 = 0 then 'user' || g || '@mail.test' end)),
         now() - interval '200 days' + (g % 1000) * interval '1 minute', now() - ((g * 7919) % 15552000) * interval '1 second'
       from generate_series(1, $2::int) g,
         lateral (select ($3::text[])[1 + abs(hashint4(g)) % array_length($3::text[], 1)] || ' ' || ($4::text[])[1 + abs(hashint4(g * 7)) % array_length($4::text[], 1)] as name) n`,
      [accountId, CONTACTS, FIRST, LAST],
    );
    await step(
      'handles',
      `insert into contact_handles (id, account_id, contact_id, channel_id, external_id, name)
       select bench_uuid('h' || g), $1, bench_uuid('c' || g), ($2::uuid[])[1 + g % 5], g::text, null from generate_series(1, $3::int) g`,
      [accountId, channels, CONTACTS],
    );
    // Conversation i belongs to contact ((i-1) % CONTACTS) + 1; its last message time is a fixed function of i.
    await step(
      'conversations',
      `insert into conversations (id, account_id, channel_id, contact_id, handle_id, number, external_chat_id, thread_key, status,
         assignee_id, unread_count, last_message_at, last_message_preview, created_at)
       select bench_uuid('v' || i), $1, ($2::uuid[])[1 + k % 5], bench_uuid('c' || k), bench_uuid('h' || k), i, k::text,
         case when i > $4::int then 't' || (i / $4::int) else '' end,
         s.status,
         case when s.status in ('open', 'resolved', 'snoozed') then ($5::uuid[])[1 + i % array_length($5::uuid[], 1)] end,
         case when s.status in ('queued', 'open') then i % 4 else 0 end,
         now() - ((i * 7919) % 15552000) * interval '1 second', 'последнее сообщение ' || i,
         now() - ((i * 7919) % 15552000) * interval '1 second' - interval '1 hour'
       from generate_series(1, $3::int) i,
         lateral (select ((i - 1) % $4::int) + 1 as k) kk,
         lateral (select case when i % 20 < 12 then 'resolved' when i % 20 < 15 then 'open' when i % 20 < 17 then 'queued'
           when i % 20 < 19 then 'bot' else 'snoozed' end as status) s`,
      [accountId, channels, CONVERSATIONS, CONTACTS, agents],
    );
    await step('conversation numbers', `insert into conversation_numbers (account_id, last) values ($1, $2)`, [accountId, CONVERSATIONS]);
    // Message m is the ((m-1) / CONVERSATIONS)-th of conversation ((m-1) % CONVERSATIONS) + 1; one in five is English.
    await step(
      'messages',
      `insert into messages (account_id, conversation_id, channel_id, direction, author_type, author_user_id, text, external_id, status, created_at)
       select $1, bench_uuid('v' || i), ($2::uuid[])[1 + k % 5],
         case when j % 2 = 0 then 'in' else 'out' end, case when j % 2 = 0 then 'contact' else 'operator' end,
         case when j % 2 = 1 then ($6::uuid[])[1 + i % array_length($6::uuid[], 1)] end,
         array_to_string(array(
           select case when m % 5 = 0 then ($4::text[])[1 + abs(hashint4(m * 31 + w)) % array_length($4::text[], 1)]
             else ($5::text[])[1 + abs(hashint4(m * 31 + w)) % array_length($5::text[], 1)] end
           from generate_series(1, 4 + m % 9) w), ' ') || case when m % 7 = 0 then ' заказ №' || (m % 100000) else '' end,
         case when j % 2 = 0 then 'b' || m end,
         case when j % 2 = 0 then 'received' else 'sent' end,
         now() - ((i * 7919) % 15552000) * interval '1 second' - (4 - j) * interval '7 minutes'
       from generate_series(1, $3::int) m,
         lateral (select ((m - 1) % $7::int) + 1 as i, (m - 1) / $7::int as j) ij,
         lateral (select ((i - 1) % $8::int) + 1 as k) kk
       order by m`,
      [accountId, channels, MESSAGES, EN, RU, agents, CONVERSATIONS, CONTACTS],
    );
    await step(
      'search indexes',
      `create index messages_search_idx on messages using gin (search_vector);
       create index contacts_search_trgm_idx on contacts using gin (search_text gin_trgm_ops);
       create index contacts_name_trgm_idx on contacts using gin (lower(coalesce(name, '')) gin_trgm_ops);
       create index contact_handles_search_trgm_idx on contact_handles using gin (lower(external_id || ' ' || coalesce(username, '') || ' ' || coalesce(name, '')) gin_trgm_ops)`,
    );
    await step('vacuum analyze', 'vacuum analyze');
    await c.query(
      'insert into bench_search_meta (account_id, messages) values ($1, $2) on conflict (account_id) do update set messages = $2',
      [accountId, MESSAGES],
    );
  } finally {
    c.release();
  }
}

/** EXPLAIN ANALYZE of the product's own search and list statements, built by its repositories. */
async function explainPlans(pool: pg.Pool, accountId: string): Promise<Record<string, string[]>> {
  const dialect = new PgDialect();
  const plans: Record<string, string[]> = {};
  const explain = async (name: string, text: string, params: unknown[]) => {
    const { rows } = await pool.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${text}`, params);
    plans[name] = rows.map((r) => r['QUERY PLAN']);
  };
  for (const q of ['доставка', 'сломанный чайник', '"номер заказа"']) {
    // The repository's first statement (how frequent the terms are) runs for real; the page query is captured.
    let captured: { sql: string; params: unknown[] } | undefined;
    let calls = 0;
    const fake = {
      execute: async (s: SQL) => {
        const built = dialect.sqlToQuery(s);
        if (calls++ === 0) return pool.query(built.sql, built.params);
        captured = built;
        return { rows: [] };
      },
    };
    await new SearchRepository(fake as never).messages(accountId, tsQuery(parseSearchQuery(q).terms)!, {}, 20, [
      HIGHLIGHT_START,
      HIGHLIGHT_END,
    ]);
    await explain(`search messages: ${q}`, captured!.sql, captured!.params);
  }
  let listQuery: { sql: string; params: unknown[] } | undefined;
  const db = drizzle(pool, { logger: { logQuery: (sql, params) => (listQuery = { sql, params }) } });
  await new ConversationsRepository(db as never).list(accountId, '00000000-0000-0000-0000-000000000000', {
    statuses: ['bot', 'queued', 'open', 'snoozed'],
    assignee: { kind: 'any' },
    limit: 51,
  });
  await explain('inbox list page (active)', listQuery!.sql, listQuery!.params);
  return plans;
}

/** A 90-day conversation report through the reports module's read model (facts rebuilt once per data set, then timed). */
async function reportTimes(pool: pg.Pool, accountId: string): Promise<{ p95: number | null; note: string }> {
  const db = drizzle(pool);
  const { rows } = await pool.query<{ n: number }>('select count(*)::int as n from report_conversation_facts where account_id = $1', [
    accountId,
  ]);
  let rebuilt = 'reused';
  if ((rows[0]?.n ?? 0) === 0) {
    const t0 = Date.now();
    await rebuildReportFacts(db as never, accountId);
    await pool.query('vacuum analyze report_conversation_facts');
    await pool.query('vacuum analyze report_message_hours');
    rebuilt = `rebuilt in ${((Date.now() - t0) / 1000).toFixed(1)} s`;
  }
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const q = { from: day(Date.now() - 89 * 86_400_000), to: day(Date.now()), granularity: 'day' as const };
  await runConversationReport(db as never, accountId, q);
  const ms: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const s = performance.now();
    await runConversationReport(db as never, accountId, q);
    ms.push(performance.now() - s);
  }
  return {
    p95: p(ms, 0.95),
    note: `report facts ${rebuilt}; ${ROUNDS} runs of a 90-day daily conversation report (runConversationReport)`,
  };
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
