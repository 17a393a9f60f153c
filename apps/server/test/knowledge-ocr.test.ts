import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromTsv } from '../src/modules/knowledge/ocr/ocr.engine.js';
import { eventually, startTestApp, type TestApp } from './support/harness.js';
import { DELIVERY, WARRANTY, removeScans, scan, scannedPdf, textPdf } from './support/scans.js';

/**
 * Scanned documents: the test draws a Russian page itself, rasterises it with poppler (the "scan"),
 * uploads the scan, and expects OCR (tesseract) to read it back into searchable passages.
 */

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.stop();
  await removeScans();
});

const article = async (id: string) => (await t.owner.get(`/api/knowledge/articles/${id}`)).body;
const settled = (id: string) =>
  eventually(
    async () => {
      const a = await article(id);
      return a.indexStatus === 'ready' || a.indexStatus === 'failed' ? a : undefined;
    },
    120_000,
    'OCR finished',
  );
const search = async (query: string) => (await t.owner.post('/api/ai/search', { query, limit: 3 })).body.items;

// OCR takes seconds a page, more while the machine is busy.
describe('scanned documents in the knowledge base (OCR)', { timeout: 240_000 }, () => {
  it('reads a scanned PDF in the background, page confidence shown, and answers from it', async () => {
    const scanned = await scannedPdf([await scan(await textPdf([WARRANTY]), 300, 'warranty')]);
    const res = await t.owner.upload('/api/knowledge/documents', { name: 'гарантия-скан.pdf', content: scanned, type: 'application/pdf' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ indexStatus: 'pending', chunkCount: 0, ocr: { pagesTotal: 1, pagesDone: 0 } });

    const done = await settled(res.body.id);
    expect(done).toMatchObject({ indexStatus: 'ready', ocr: { pagesTotal: 1, pagesDone: 1, pagesToReview: 0 } });
    expect(done.chunkCount).toBeGreaterThan(0);

    const pages = (await t.owner.get(`/api/knowledge/articles/${res.body.id}/ocr-pages`)).body.items;
    expect(pages).toHaveLength(1);
    expect(pages[0]).toMatchObject({ page: 1, status: 'read', needsReview: false });
    expect(pages[0].confidence).toBeGreaterThan(70);
    expect(pages[0].text.toLowerCase()).toContain('гарантийный срок');

    const [top] = await search('какой гарантийный срок на кофемашину');
    expect(top.source.articleId).toBe(res.body.id);
    expect(top.text).toMatch(/двадцать четыре месяца/i);
  });

  it('reads a photo of a page (PNG) and only the scanned pages of a mixed PDF', async () => {
    const png = await scan(await textPdf([DELIVERY]), 300, 'delivery');
    const photo = await t.owner.upload('/api/knowledge/documents', { name: 'delivery.png', content: png, type: 'image/png' });
    expect(photo.status).toBe(201);
    expect((await settled(photo.body.id)).indexStatus).toBe('ready');
    const [hit] = await search('когда курьер привезёт заказ');
    expect(hit.source.articleId).toBe(photo.body.id);

    // Page 1 has a text layer (never OCR'd); page 2 is a scan.
    const mixed = await scannedPdf([await scan(await textPdf([WARRANTY]), 300, 'warranty-2')], [DELIVERY]);
    const res = await t.owner.upload('/api/knowledge/documents', { name: 'mixed.pdf', content: mixed, type: 'application/pdf' });
    expect(res.body.ocr).toMatchObject({ pagesTotal: 1 });
    await settled(res.body.id);
    const pages = (await t.owner.get(`/api/knowledge/articles/${res.body.id}/ocr-pages`)).body.items;
    expect(pages.map((p: { page: number }) => p.page)).toEqual([2]);
    const text = (await t.owner.get(`/api/knowledge/articles/${res.body.id}/chunks`)).body.items
      .map((c: { text: string }) => c.text)
      .join(' ');
    expect(text).toMatch(/Курьер привозит заказ/);
    expect(text.toLowerCase()).toMatch(/сервисный\s+центр/);
  });

  it('flags a page read with low confidence for review', async () => {
    // A 24 dpi scan: tesseract reads next to nothing, and is unsure of what it reads.
    const blurry = await scannedPdf([await scan(await textPdf([WARRANTY]), 24, 'blurry')]);
    const res = await t.owner.upload('/api/knowledge/documents', { name: 'blurry.pdf', content: blurry, type: 'application/pdf' });
    const done = await settled(res.body.id);
    const pages = (await t.owner.get(`/api/knowledge/articles/${res.body.id}/ocr-pages`)).body.items;
    expect(pages[0].needsReview).toBe(true);
    if (done.indexStatus === 'ready') expect(done.ocr.pagesToReview).toBe(1);
    else expect(done.indexError).toMatch(/no text/i);
  });

  it('refuses GIFs and fails visibly on an image that cannot be read, storing the reason', async () => {
    const gif = await t.owner.upload('/api/knowledge/documents', {
      name: 'scan.gif',
      content: Buffer.from('GIF89a\u0001\u0000\u0001\u0000'),
      type: 'image/gif',
    });
    expect(gif.status).toBe(422);
    expect(gif.body.error.code).toBe('unsupported_type');

    // A PNG signature and nothing after it: accepted as a scan, unreadable by OCR.
    const broken = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 7)]);
    const res = await t.owner.upload('/api/knowledge/documents', { name: 'broken.png', content: broken, type: 'image/png' });
    expect(res.status).toBe(201);
    const done = await settled(res.body.id);
    expect(done.indexStatus).toBe('failed');
    expect(done.indexError).toMatch(/Page 1 could not be read/);
  });

  it('an operator may read the pages of a scan but not upload one', async () => {
    const member = { email: 'ocr-agent@example.com', name: 'Agent', password: 'Quiet-Harbour-7391' };
    const created = await t.owner.post('/api/users', { ...member, role: 'agent' });
    expect(created.status).toBe(201);
    const op = t.anonymous();
    expect((await op.login(member.email, member.password)).status).toBe(200);
    const png = await scan(await textPdf([DELIVERY]), 150, 'op');
    expect((await op.upload('/api/knowledge/documents', { name: 'x.png', content: png, type: 'image/png' })).status).toBe(403);
  });
});

describe('tesseract TSV', () => {
  it('joins words into lines and paragraphs and weights confidence by word length', () => {
    const header = 'level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext';
    const word = (b: number, p: number, l: number, conf: number, text: string) => `5\t1\t${b}\t${p}\t${l}\t1\t0\t0\t1\t1\t${conf}\t${text}`;
    const tsv = [
      header,
      '1\t1\t0\t0\t0\t0\t0\t0\t100\t100\t-1\t',
      word(1, 1, 1, 90, 'Доставка'),
      word(1, 1, 1, 80, 'по'),
      word(1, 1, 2, 90, 'городу'),
      word(2, 1, 1, 30, 'Итак'),
      word(2, 1, 1, -1, ''),
    ].join('\n');
    const page = fromTsv(tsv);
    expect(page.text).toBe('Доставка по\nгороду\n\nИтак');
    expect(page.confidence).toBeCloseTo((90 * 8 + 80 * 2 + 90 * 6 + 30 * 4) / 20, 1);
    expect(fromTsv(header).confidence).toBeNull();
  });
});
