import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Document, HeadingLevel, Packer, Paragraph } from 'docx';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { ApiClient } from './support/api-client.js';
import { FakeOpenAi } from './fakes/openai.js';
import { eventually, signInNewAccount, startTestApp, type TestApp } from './support/harness.js';

let t: TestApp;
let other: ApiClient;

beforeAll(async () => {
  t = await startTestApp();
  await t.running.services.identity.createAccountWithOwner({
    accountName: 'Other Co',
    email: 'kb-b@example.com',
    name: 'B',
    password: 'b-password-123',
  });
  other = t.anonymous();
  expect((await other.login('kb-b@example.com', 'b-password-123')).status).toBe(200);
});
afterAll(async () => t?.stop());

const articles = async (client = t.owner) => (await client.get('/api/knowledge/articles?limit=200')).body.items;
const search = async (query: string, client = t.owner) => (await client.post('/api/ai/search', { query, limit: 5 })).body;

async function pdf(pages: string[]): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const text of pages) doc.addPage().drawText(text, { x: 40, y: 700, size: 12, font });
  return Buffer.from(await doc.save());
}

describe('knowledge base', () => {
  it('creates, edits (keeping history) and deletes an FAQ entry; search follows every change', async () => {
    const created = await t.owner.post('/api/knowledge/articles', {
      kind: 'faq',
      question: 'Как оформить возврат товара?',
      answer: 'Заполните заявление в личном кабинете, курьер заберёт товар бесплатно.',
      alternatives: ['вернуть покупку'],
      category: 'Возвраты',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ kind: 'faq', published: true, indexStatus: 'ready', chunkCount: 1, version: 1 });
    const id = created.body.id;
    expect((await search('хочу вернуть покупку')).items[0].source).toMatchObject({ articleId: id, title: 'Как оформить возврат товара?' });

    const edited = await t.owner.patch(`/api/knowledge/articles/${id}`, { answer: 'Возврат оформляется в личном кабинете за 2 минуты.' });
    expect(edited.body.version).toBe(2);
    expect((await search('оформить возврат')).items[0].text).toBe('Возврат оформляется в личном кабинете за 2 минуты.');
    const history = (await t.owner.get(`/api/knowledge/articles/${id}/versions`)).body.items;
    expect(history.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect(history[1].snapshot.answer).toMatch(/курьер/);

    await t.owner.patch(`/api/knowledge/articles/${id}`, { published: false });
    expect(
      (await search('оформить возврат')).items.find((p: { source: { articleId: string } }) => p.source.articleId === id),
    ).toBeUndefined();
    expect((await t.owner.delete(`/api/knowledge/articles/${id}`)).status).toBe(204);
    expect((await t.owner.get(`/api/knowledge/articles/${id}`)).status).toBe(404);
  });

  it('indexes a Markdown document by headings and cites the section', async () => {
    const md =
      '# Гарантия\n\n## Сроки\n\nГарантия на электронику составляет 12 месяцев с даты покупки.\n\n## Ремонт\n\nРемонт выполняет авторизованный сервисный центр в течение 14 дней.\n';
    const res = await t.owner.upload('/api/knowledge/documents', { name: 'warranty.md', content: md, type: 'text/markdown' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ kind: 'document', title: 'Гарантия', fileName: 'warranty.md', indexStatus: 'ready' });
    const chunks = (await t.owner.get(`/api/knowledge/articles/${res.body.id}/chunks`)).body.items;
    expect(chunks.length).toBeGreaterThanOrEqual(2);
    const [top] = (await search('сколько дней длится ремонт')).items;
    expect(top.source.headingPath).toContain('Ремонт');
    expect(top.text).toMatch(/14 дней/);
  });

  it('indexes DOCX and PDF uploads', async () => {
    const docx = await Packer.toBuffer(
      new Document({
        sections: [
          {
            children: [
              new Paragraph({ text: 'Shipping policy', heading: HeadingLevel.HEADING_1 }),
              new Paragraph({ text: 'International shipping', heading: HeadingLevel.HEADING_2 }),
              new Paragraph('We ship to 40 countries; international delivery takes 7 to 12 days.'),
            ],
          },
        ],
      }),
    );
    const d = await t.owner.upload('/api/knowledge/documents', { name: 'shipping.docx', content: docx });
    expect(d.status).toBe(201);
    const p = await t.owner.upload('/api/knowledge/documents', {
      name: 'loyalty.pdf',
      content: await pdf(['Loyalty programme: every purchase earns 5 percent back in bonus points.']),
    });
    expect(p.status).toBe(201);
    expect((await search('how many days does international delivery take')).items[0].source.articleId).toBe(d.body.id);
    expect((await search('bonus points per purchase')).items[0].source.articleId).toBe(p.body.id);
  });

  it('refuses corrupt, unsupported and oversize files with a reason, leaving nothing behind', async () => {
    const before = (await articles()).length;
    const full = await pdf(['A perfectly fine page of text that will be cut in half.']);
    const cases: [string, Buffer | string, number, string][] = [
      ['broken.pdf', full.subarray(0, Math.floor(full.length / 2)), 422, 'corrupt_file'],
      ['garbage.pdf', Buffer.from('%PDF-1.7 this is not really a pdf at all'), 422, 'corrupt_file'],
      ['notes.docx', Buffer.from('PK\u0003\u0004 not a zip archive really'), 422, 'corrupt_file'],
      ['setup.exe', Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00]), 422, 'unsupported_type'],
      ['scan.pdf', await pdf(['']), 422, 'empty_document'],
    ];
    for (const [name, content, status, code] of cases) {
      const res = await t.owner.upload('/api/knowledge/documents', { name, content });
      expect({ name, status: res.status, code: res.body.error?.code }).toEqual({ name, status, code });
      expect(res.body.error.message.length).toBeGreaterThan(10);
    }
    const huge = await t.owner.upload('/api/knowledge/documents', { name: 'huge.txt', content: Buffer.alloc(21 * 1024 * 1024, 'a') });
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('payload_too_large');
    expect((await articles()).length).toBe(before);
  });

  it('imports FAQ entries from CSV, reporting bad rows by number', async () => {
    const csv =
      'вопрос;ответ;варианты;категория\nЕсть ли самовывоз?;Да, из пункта на Тверской, 1.;забрать самому|pickup;Доставка\nБез ответа;;;\n';
    const res = await t.owner.upload('/api/knowledge/import', { name: 'faq.csv', content: csv, type: 'text/csv' });
    expect(res.status).toBe(201);
    expect(res.body.created).toBe(1);
    expect(res.body.errors).toEqual([{ row: 3, message: expect.any(String) }]);
    expect((await search('можно забрать самому')).items[0].text).toMatch(/Тверской/);
    const bad = await t.owner.upload('/api/knowledge/import', { name: 'faq.csv', content: 'foo,bar\n1,2\n', type: 'text/csv' });
    expect(bad.status).toBe(422);
    expect(bad.body.error.code).toBe('invalid_import');
  });

  it('re-indexes everything in the background with visible progress', async () => {
    const started = await t.owner.post('/api/knowledge/reindex');
    expect(started.status).toBe(202);
    expect(started.body.total).toBeGreaterThan(0);
    const done = await eventually(async () => {
      const s = (await t.owner.get('/api/knowledge/reindex')).body;
      return !s.running && s.done === s.total ? s : null;
    }, 20_000);
    expect(done.finishedAt).not.toBeNull();
    expect((await articles()).every((a: { indexStatus: string }) => a.indexStatus === 'ready')).toBe(true);
  });

  it('retrieval is strictly per account', async () => {
    const res = await other.post('/api/knowledge/articles', {
      kind: 'faq',
      question: 'Секретный тариф для партнёров?',
      answer: 'Партнёрский тариф — 1 рубль.',
    });
    expect(res.status).toBe(201);
    expect((await search('секретный тариф для партнёров')).items.every((p: { text: string }) => !p.text.includes('1 рубль'))).toBe(true);
    expect((await search('секретный тариф', other)).items[0].text).toBe('Партнёрский тариф — 1 рубль.');
    expect((await t.owner.get(`/api/knowledge/articles/${res.body.id}`)).status).toBe(404);
    expect((await t.owner.patch(`/api/knowledge/articles/${res.body.id}`, { published: false })).status).toBe(404);
    expect((await t.owner.delete(`/api/knowledge/articles/${res.body.id}`)).status).toBe(404);
    const test = (await t.owner.post('/api/ai/test', { query: 'секретный тариф для партнёров' })).body;
    expect(test.decision.action).toBe('handover');
  });

  it('an operator can read but not change the knowledge base', async () => {
    const created = await t.owner.post('/api/users', {
      email: 'kb-op@example.com',
      name: 'Op',
      password: 'op-password-123',
      role: 'agent',
    });
    expect(created.status).toBe(201);
    const op = t.anonymous();
    await op.login('kb-op@example.com', 'op-password-123');
    expect((await op.get('/api/knowledge/articles')).status).toBe(200);
    expect((await op.post('/api/knowledge/articles', { kind: 'faq', question: 'q?', answer: 'a' })).status).toBe(403);
    expect((await op.request('PUT', '/api/ai/settings', { confidenceThreshold: 0.1 })).status).toBe(403);
  });

  it('with an embedding endpoint, passages are embedded in the background and retrieval fuses both rankings', async () => {
    const llm = await new FakeOpenAi().start();
    try {
      const c = await signInNewAccount(t, { email: 'emb@example.com', password: 'e-password-123' });
      const set = await c.request('PUT', '/api/ai/settings', {
        llmApiKey: llm.apiKey,
        llm: { baseUrl: llm.url, embeddingModel: 'fake-embed' },
      });
      expect(set.body.llm).toMatchObject({ embeddingModel: 'fake-embed', chatModel: null });
      const faq = await c.post('/api/knowledge/articles', {
        kind: 'faq',
        question: 'Delivery price',
        answer: 'Delivery costs 300 roubles.',
      });
      await c.post('/api/knowledge/articles', { kind: 'faq', question: 'Returns', answer: 'Returns are free within 14 days.' });
      expect(faq.body.indexStatus).toBe('pending');
      await eventually(async () => (await articles(c)).every((a: { indexStatus: string }) => a.indexStatus === 'ready'), 15_000);
      // "delivered" shares no stem with "delivery" (deliv / deliveri): only the vectors connect them.
      const [top] = (await search('delivered', c)).items;
      expect(top.source.articleId).toBe(faq.body.id);
      expect(llm.embeddingCalls).toBeGreaterThanOrEqual(3);
      expect((await c.get('/api/ai/metrics')).body.usage.requests).toBeGreaterThanOrEqual(3);
    } finally {
      await llm.stop();
    }
  });
});
