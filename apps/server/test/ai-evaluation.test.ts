import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from './support/api-client.js';
import { eventually, startTestApp, type TestApp } from './support/harness.js';

/** The evaluation page's API: the set (upload, one-by-one, from conversations) and the score at every threshold. */
let t: TestApp;
let agent: ApiClient;
let botToken: string;
const ids: Record<string, string> = {};

const FAQ = {
  delivery: { question: 'Сколько стоит доставка по Москве?', answer: 'Доставка по Москве стоит 300 рублей.' },
  hours: { question: 'Какие часы работы магазина?', answer: 'Мы работаем ежедневно с 9:00 до 21:00.' },
  refund: { question: 'How long does a refund take?', answer: 'Refunds reach your card within 5 business days.' },
};

const csv = (rows: string[][]) => Buffer.from(rows.map((r) => r.map((c) => `"${c.replace(/"/g, '""')}"`).join(',')).join('\n'));
const upload = (client: ApiClient, name: string, content: Buffer, type = 'text/csv') =>
  client.upload('/api/ai/evaluation/cases/import', { name, content, type });
const cases = async () => (await t.owner.get('/api/ai/evaluation/cases')).body;

beforeAll(async () => {
  t = await startTestApp();
  for (const [k, f] of Object.entries(FAQ)) ids[k] = (await t.owner.post('/api/knowledge/articles', { kind: 'faq', ...f })).body.id;
  botToken = t.telegram.addBot();
  await t.owner.post('/api/channels', {
    type: 'telegram',
    name: 'Shop',
    config: { botToken, mode: 'webhook', assistant: { enabled: true } },
  });
  const member = { email: 'eval-agent@example.com', name: 'Ира', password: 'agent-long-password-2' };
  expect((await t.owner.post('/api/users', { ...member, role: 'agent' })).status).toBe(201);
  agent = new ApiClient(t.url);
  expect((await agent.login(member.email, member.password)).status).toBe(200);
});
afterAll(async () => {
  await t?.stop();
});

describe('evaluation set', () => {
  it('imports question → expected pairs from CSV (entry named by its question or id; "-" = a person), once', async () => {
    const file = csv([
      ['question', 'expected'],
      ['сколько стоит доставка по москве?', FAQ.delivery.question],
      ['во сколько вы работаете?', ids.hours!],
      ['how long does my refund take?', FAQ.refund.question.toUpperCase()],
      ['позовите оператора', '-'],
      ['', ''],
    ]);
    const res = await upload(t.owner, 'set.csv', file);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ created: 4, skipped: 0 });
    const again = await upload(t.owner, 'set.csv', file);
    expect(again.body).toEqual({ created: 0, skipped: 4 });
    const list = await cases();
    expect(list.total).toBe(4);
    const pairs = Object.fromEntries(
      list.items.map((c: { question: string; expectedTitle: string | null }) => [c.question, c.expectedTitle]),
    );
    expect(pairs).toEqual({
      'сколько стоит доставка по москве?': FAQ.delivery.question,
      'во сколько вы работаете?': FAQ.hours.question,
      'how long does my refund take?': FAQ.refund.question,
      'позовите оператора': null,
    });
  });

  it('refuses a file with a bad row, naming the rows, and writes nothing', async () => {
    const res = await upload(
      t.owner,
      'bad.csv',
      csv([
        ['вопрос', 'ожидается'],
        ['а самовывоз есть?', 'Самовывоз'],
        ['сколько стоит доставка в область?', FAQ.delivery.question],
        ['', FAQ.hours.question],
      ]),
    );
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('invalid_import');
    expect(res.body.error.details).toEqual([
      { row: 2, message: 'No FAQ entry "Самовывоз"' },
      { row: 4, message: 'The question is empty' },
    ]);
    expect((await cases()).total).toBe(4);

    const noHeader = await upload(
      t.owner,
      'x.csv',
      csv([
        ['text', 'label'],
        ['a', 'b'],
      ]),
    );
    expect(noHeader.status).toBe(422);
    expect(noHeader.body.error.code).toBe('invalid_import');
    const notMultipart = await t.owner.post('/api/ai/evaluation/cases/import', { question: 'x' });
    expect(notMultipart.status).toBe(415);
  });

  it('imports XLSX too', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('set');
    sheet.addRow(['Question', 'Expected']);
    sheet.addRow(['доставка в пределах мкад почём', FAQ.delivery.question]);
    const res = await upload(
      t.owner,
      'set.xlsx',
      Buffer.from(await book.xlsx.writeBuffer()),
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(res.status).toBe(201);
    expect(res.body.created).toBe(1);
  });

  it('adds and removes one question; checks the entry; refuses a duplicate; agents may look but not change', async () => {
    const bad = await t.owner.post('/api/ai/evaluation/cases', { question: 'что-то', expectedArticleId: crypto.randomUUID() });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_failed');
    const empty = await t.owner.post('/api/ai/evaluation/cases', { question: '  ', expectedArticleId: null });
    expect(empty.status).toBe(400);
    const one = await t.owner.post('/api/ai/evaluation/cases', { question: 'вы работаете в воскресенье?', expectedArticleId: ids.hours });
    expect(one.status).toBe(201);
    expect(one.body).toMatchObject({ source: 'manual', expectedTitle: FAQ.hours.question });
    const dup = await t.owner.post('/api/ai/evaluation/cases', { question: 'вы работаете в воскресенье?', expectedArticleId: null });
    expect(dup.status).toBe(409);
    expect((await agent.get('/api/ai/evaluation/cases')).status).toBe(200);
    expect((await agent.post('/api/ai/evaluation/cases', { question: 'x y', expectedArticleId: null })).status).toBe(403);
    expect((await agent.upload('/api/ai/evaluation/cases/import', { name: 'a.csv', content: 'question,expected\na b,-' })).status).toBe(
      403,
    );
    expect((await t.owner.delete(`/api/ai/evaluation/cases/${one.body.id}`)).status).toBe(204);
    expect((await t.owner.delete(`/api/ai/evaluation/cases/${one.body.id}`)).status).toBe(404);
  });

  it('scores the assistant: right / wrong / hand-over at the current threshold, and the curve as the threshold moves', async () => {
    const res = await agent.post('/api/ai/evaluation/run', {});
    expect(res.status).toBe(200);
    const r = res.body;
    expect(r.total).toBe(5);
    expect(r.answerable).toBe(4);
    expect(r.threshold).toBe(0.5);
    const { right, wrong, handover } = r.current;
    expect(right + wrong + handover).toBeCloseTo(1, 6);
    const human = r.cases.find((c: { question: string }) => c.question === 'позовите оператора');
    expect(human).toMatchObject({ forcedHandover: true, outcome: 'right', expectedArticleId: null });
    const exact = r.cases.find((c: { question: string }) => c.question === 'сколько стоит доставка по москве?');
    expect(exact).toMatchObject({ predictedArticleId: ids.delivery, outcome: 'right' });
    // Raising the threshold never answers more.
    const coverage = r.curve.map((p: { coverage: number }) => p.coverage);
    expect(coverage).toEqual([...coverage].sort((a, b) => b - a));
    expect(r.curve[0].threshold).toBe(0);
    expect(r.curve.at(-1).threshold).toBe(1);
    expect(r.curve.at(-1).coverage).toBeLessThanOrEqual(r.current.coverage);

    // Picking a threshold from the curve is an ordinary settings change; the next run is scored at it.
    expect((await t.owner.request('PUT', '/api/ai/settings', { confidenceThreshold: 0.95 })).status).toBe(200);
    try {
      const higher = (await t.owner.post('/api/ai/evaluation/run', {})).body;
      expect(higher.threshold).toBe(0.95);
      expect(higher.current.coverage).toBeLessThanOrEqual(r.current.coverage);
    } finally {
      await t.owner.request('PUT', '/api/ai/settings', { confidenceThreshold: 0.5 });
    }
  });

  it('collects pairs from past conversations with one click (bot answers nobody took back)', async () => {
    expect(
      await t.telegram.deliver(botToken, t.telegram.textUpdate(botToken, { chatId: 777, text: 'а какие у магазина часы работы?' })),
    ).toBe(200);
    await eventually(async () => {
      const list = (await t.owner.get('/api/conversations?status=all&limit=50')).body.items;
      const conv = list.find((c: { contact: { externalId: string } }) => c.contact.externalId === '777');
      if (!conv) return null;
      const msgs = (await t.owner.get(`/api/conversations/${conv.id}/messages`)).body.items;
      return msgs.some((m: { ai: { kind: string } | null }) => m.ai?.kind === 'answer') ? true : null;
    });
    const res = await t.owner.post('/api/ai/evaluation/cases/collect');
    expect(res.status).toBe(200);
    expect(res.body.created).toBe(1);
    const added = (await cases()).items.find((c: { question: string }) => c.question === 'а какие у магазина часы работы?');
    expect(added).toMatchObject({ source: 'conversation', expectedArticleId: ids.hours });
    expect((await t.owner.post('/api/ai/evaluation/cases/collect')).body).toEqual({ created: 0, skipped: 1 });
    expect((await agent.post('/api/ai/evaluation/cases/collect')).status).toBe(403);
  });
});
