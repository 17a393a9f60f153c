import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, OWNER, startTestApp, type TestApp } from '../../server/test/support/harness.js';
import { DELIVERY, WARRANTY, removeScans, scan, scannedPdf, textPdf } from '../../server/test/support/scans.js';
import { buildWebApp, launchBrowser, shot, signedIn } from './support/browser.js';

/*
 * Scanned documents in the knowledge base as the owner and an agent see them, in Russian and English, on a
 * desktop and a 390 px phone: a scan being read (progress), a read scan with a page flagged for review, and
 * its pages with their OCR confidence.
 */

let t: TestApp;
let browser: Browser;
let scannedId = '';
const AGENT = { email: 'agent@example.com', password: 'Quiet-Harbour-7391' };

const LANGS = {
  en: { reading: 'Reading scanned pages: 1 of 3', review: '1 page to check', tab: 'Scanned pages', unsure: 'Check this page' },
  ru: {
    reading: 'Распознавание страниц: 1 из 3',
    review: '1 страница на проверку',
    tab: 'Распознанные страницы',
    unsure: 'Проверьте страницу',
  },
} as const;

beforeAll(async () => {
  await buildWebApp();
  t = await startTestApp({ env: { SERVE_WEB: 'true' }, roles: 'api,worker' });
  browser = await launchBrowser();
  const agent = await t.owner.post('/api/users', { ...AGENT, name: 'Anna', role: 'agent' });
  expect(agent.status).toBe(201);

  // A clear page and a blurry one: the second is flagged for review.
  const scanned = await scannedPdf([
    await scan(await textPdf([DELIVERY]), 300, 'clear'),
    await scan(await textPdf([WARRANTY]), 24, 'blurry'),
  ]);
  const res = await t.owner.upload('/api/knowledge/documents', { name: 'Гарантия и доставка (скан).pdf', content: scanned });
  expect(res.status).toBe(201);
  scannedId = res.body.id;
  await eventually(async () => (await t.owner.get(`/api/knowledge/articles/${scannedId}`)).body.indexStatus === 'ready', 180_000, 'OCR');

  // A second scan caught mid-way, so the progress bar can be seen: one of three pages read.
  const reading = await t.owner.upload('/api/knowledge/documents', {
    name: 'Инструкция (скан).png',
    content: await scan(await textPdf([DELIVERY]), 150, 'reading'),
  });
  await eventually(
    async () => (await t.owner.get(`/api/knowledge/articles/${reading.body.id}`)).body.indexStatus === 'ready',
    180_000,
    'OCR',
  );
  await t.running.ctx.pool.query(
    `update knowledge_articles set index_status = 'indexing', ocr_pages_total = 3, ocr_pages_done = 1, chunk_count = 0 where id = $1`,
    [reading.body.id],
  );
}, 400_000);

afterAll(async () => {
  await browser?.close();
  await t?.stop();
  await removeScans();
});

describe('scanned documents in a real browser', () => {
  for (const [role, who] of [
    ['owner', OWNER],
    ['agent', AGENT],
  ] as const) {
    for (const lang of ['en', 'ru'] as const) {
      for (const viewport of ['desktop', 'phone'] as const) {
        it(`OCR progress, review flag and page confidence as the ${role} sees them (${lang}, ${viewport})`, async () => {
          const page = await signedIn(browser, t.url, who, lang, viewport);
          const text = LANGS[lang];
          await page.goto(`${t.url}/knowledge`);
          await page.getByTestId('ocr-progress').filter({ hasText: text.reading }).waitFor();
          const row = page.locator(`[data-article-id="${scannedId}"]`);
          await row.getByTestId('ocr-to-review').filter({ hasText: text.review }).waitFor();
          await shot(page, `knowledge-ocr-list-${role}-${lang}-${viewport}.png`);

          await row.getByTestId('article-open').click();
          await page.getByTestId('article-ocr-tab').filter({ hasText: text.tab }).click();
          const pages = page.getByTestId('ocr-page');
          await pages.first().waitFor();
          expect(await pages.count()).toBe(2);
          await expect.poll(() => page.locator('[data-testid="ocr-page"][data-review="true"]').count()).toBe(1);
          await page.getByText(text.unsure).first().waitFor();
          await shot(page, `knowledge-ocr-pages-${role}-${lang}-${viewport}.png`);
          await page.close();
        }, 60_000);
      }
    }
  }
});
