/**
 * Answer latency of the AI first line, local mode: from the moment a customer's Telegram update is
 * POSTed to the webhook to the moment the bot's reply (answer or hand-over notice) is committed and
 * announced (`message.created` with author `bot` on the SSE stream), with a 5,000-passage knowledge base.
 * The knowledge base is built from XQuAD sentences (Russian and English) as FAQ pairs; the customers
 * ask XQuAD's Russian questions, one new conversation each, at a steady rate.
 */
import { readFile } from 'node:fs/promises';
import { FakeTelegram } from '../../apps/server/test/fakes/telegram.js';
import { SseReader } from '../../apps/server/test/support/sse.js';
import { startBenchPostgres } from '../support/database.js';
import { startServer, sleep } from '../support/server.js';
import { createWebhookBots, signInOwner } from '../support/channels.js';
import { poster, summarise, type Latency } from '../support/load.js';
import { envInt } from '../support/report.js';

import { DATASETS } from './datasets.js';
const CHUNKS = envInt('BENCH_AI_CHUNKS', 5000);
const QUESTIONS = envInt('BENCH_AI_QUESTIONS', 300);
const RATE = envInt('BENCH_AI_RATE', 10);

interface Squad {
  data: { title: string; paragraphs: { context: string; qas: { question: string }[] }[] }[];
}

export interface AnswerLatencyResult {
  chunks: number;
  questions: number;
  answered: number;
  handedOver: number;
  missing: number;
  latency: Latency;
}

async function squad(lang: 'ru' | 'en'): Promise<Squad> {
  return JSON.parse(await readFile(new URL(`xquad/xquad.${lang}.json`, DATASETS), 'utf8')) as Squad;
}

/** FAQ rows from consecutive sentence pairs of the XQuAD paragraphs: realistic vocabulary, `count` rows. */
function faqRows(sets: Squad[], count: number): string[][] {
  const sentences = sets.flatMap((s) =>
    s.data.flatMap((a) => a.paragraphs.flatMap((p) => p.context.match(/[^.!?]+[.!?]+/g)?.map((x) => x.trim()) ?? [])),
  );
  const rows: string[][] = [];
  for (let gap = 1; rows.length < count; gap++) {
    for (let i = 0; i + gap < sentences.length && rows.length < count; i++) rows.push([sentences[i]!, sentences[i + gap]!]);
  }
  return rows;
}

const csvCell = (v: string) => `"${v.replace(/"/g, '""')}"`;

export async function runAnswerLatencyBench(): Promise<AnswerLatencyResult> {
  const [ru, en] = await Promise.all([squad('ru'), squad('en')]);
  const cluster = await startBenchPostgres();
  const telegram = await new FakeTelegram().start();
  const cleanups: (() => Promise<void>)[] = [() => cluster.stop(), () => telegram.stop()];
  try {
    const server = await startServer({ databaseUrl: await cluster.createDatabase('sb_bench_ai'), telegramApiRoot: telegram.url });
    cleanups.unshift(() => server.stop());
    const owner = await signInOwner(server.url);
    const [bot] = await createWebhookBots(owner, telegram, 1);
    await owner.patch(`/api/channels/${bot!.channelId}`, { config: { assistant: { enabled: true } } });

    const rows = faqRows([ru, en], CHUNKS);
    for (let i = 0; i < rows.length; i += 2500) {
      const csv = `question,answer\n${rows
        .slice(i, i + 2500)
        .map((r) => r.map(csvCell).join(','))
        .join('\n')}\n`;
      const res = await owner.upload('/api/knowledge/import', { name: 'faq.csv', content: csv, type: 'text/csv' });
      if (res.status !== 201) throw new Error(`import failed: ${res.status} ${JSON.stringify(res.body)}`);
    }
    // Warm the search index once (it is built on first use after a change).
    await owner.post('/api/ai/search', { query: 'warm up', limit: 1 });

    const sse = await SseReader.open(`${server.url}/api/events`, { cookie: owner.cookie! });
    const questions = ru.data.flatMap((a) => a.paragraphs.flatMap((p) => p.qas.map((q) => q.question))).slice(0, QUESTIONS);
    const http = poster(server.url, 32);
    const issuedAt = new Map<string, number>();
    const started = performance.now();
    await Promise.all(
      questions.map(async (q, i) => {
        await sleep(Math.max(0, started + (i * 1000) / RATE - performance.now()));
        const chatId = 300_000_000 + i;
        issuedAt.set(String(chatId), Date.now());
        // The fake numbers messages per chat across both directions, as Telegram does.
        const update = JSON.stringify(telegram.textUpdate(bot!.token, { chatId, text: q }));
        const status = await http.post(bot!.webhookPath, update, { 'x-telegram-bot-api-secret-token': bot!.secret });
        if (status !== 200) throw new Error(`webhook answered ${status}`);
      }),
    );
    await sleep(3000);
    const chatOf = new Map<string, string>();
    const latencies: number[] = [];
    let answered = 0;
    let handedOver = 0;
    for (const e of sse.events) {
      if (e.event !== 'message.created') continue;
      const data = e.data as {
        conversationId: string;
        message: { authorType: string; ai: { kind: string } | null };
        conversation?: { contact: { externalId: string } };
      };
      if (data.conversation) chatOf.set(data.conversationId, data.conversation.contact.externalId);
      if (data.message.authorType !== 'bot') continue;
      const t0 = issuedAt.get(chatOf.get(data.conversationId) ?? '');
      if (t0 === undefined) continue;
      latencies.push(e.receivedAt - t0);
      if (data.message.ai?.kind === 'answer') answered++;
      else handedOver++;
    }
    sse.close();
    http.close();
    return {
      chunks: rows.length,
      questions: questions.length,
      answered,
      handedOver,
      missing: questions.length - latencies.length,
      latency: summarise(latencies),
    };
  } finally {
    for (const c of cleanups) await c().catch(() => undefined);
  }
}
