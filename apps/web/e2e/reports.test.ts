import ExcelJS from 'exceljs';
import { PDFParse } from 'pdf-parse';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, OWNER, startTestApp, type TestApp } from '../../server/test/support/harness.js';
import { buildWebApp, launchBrowser, shot, signedIn, type Lang, type Viewport } from './support/browser.js';

let t: TestApp;
let browser: Browser;

beforeAll(async () => {
  await buildWebApp();
  t = await startTestApp({ env: { SERVE_WEB: 'true' } });
  browser = await launchBrowser();
  // A channel, four customers, two answered by the owner, one resolved.
  const botToken = t.telegram.addBot();
  await t.owner.post('/api/channels', { type: 'telegram', name: 'Магазин в Telegram', config: { botToken, mode: 'webhook' } });
  for (const chatId of [8101, 8102, 8103, 8104]) {
    expect(await t.telegram.deliver(botToken, t.telegram.textUpdate(botToken, { chatId, text: 'Здравствуйте!' }))).toBe(200);
  }
  const items = await eventually(async () => {
    const l = (await t.owner.get('/api/conversations?status=all&limit=50')).body.items as { id: string }[];
    return l.length === 4 ? l : undefined;
  });
  for (const c of items.slice(0, 2)) await t.owner.post(`/api/conversations/${c.id}/messages`, { text: 'Добрый день' });
  await t.owner.patch(`/api/conversations/${items[0]!.id}`, { status: 'resolved' });
  const today = new Date().toISOString().slice(0, 10);
  await eventually(async () => {
    const r = (await t.owner.get(`/api/reports/conversations?from=${today}&to=${today}`)).body;
    return r.summary?.resolved === 1 && r.summary.operatorReplies === 2;
  });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

async function openReports(lang: Lang, viewport: Viewport): Promise<Page> {
  const page = await signedIn(browser, t.url, OWNER, lang, viewport);
  await page.getByTestId('nav-reports').click();
  await page.getByTestId('report-stats').waitFor();
  return page;
}

describe('reports in a real browser', () => {
  it('shows the figures, charts and tables of the last 30 days, compared with the period before', async () => {
    const page = await openReports('en', 'desktop');
    const conversations = page.getByTestId('report-stat-conversations').getByTestId('report-stat-value');
    expect(await conversations.textContent()).toBe('4');
    expect(await page.getByTestId('report-stat-resolved').getByTestId('report-stat-value').textContent()).toBe('1');
    await page.getByTestId('report-compare').filter({ hasText: 'Compared with' }).waitFor();
    await page.getByTestId('report-chart-messages').locator('.recharts-bar-rectangle').first().waitFor();
    await page.getByTestId('report-channels').getByText('Магазин в Telegram').waitFor();
    await page.getByTestId('report-operators').getByText('Owner').waitFor();
    await shot(page, 'reports-en-desktop.png', { fullPage: true });

    // By week, then the last 7 days: the URL keeps the choice.
    await page.getByTestId('report-granularity').getByText('By week').click();
    await page.getByTestId('report-preset-7').click();
    await page.waitForURL(/by=week/);
    expect(await conversations.textContent()).toBe('4');
    await page.close();
  });

  it('downloads the XLSX and the PDF from the export menu, with the same figures', async () => {
    const page = await openReports('ru', 'desktop');
    await page.getByTestId('report-export').click();
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-export-xlsx').click()]);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(await xlsx.path());
    const summary = book.getWorksheet('Итоги')!.getSheetValues().filter(Boolean) as unknown[][];
    expect(summary.find((r) => r[1] === 'Диалогов')?.[2]).toBe('4');

    await page.getByTestId('report-export').click();
    const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-export-pdf').click()]);
    const { readFile } = await import('node:fs/promises');
    const text = (await new PDFParse({ data: await readFile(await pdf.path()) }).getText()).text;
    expect(text).toContain('Отчёт по диалогам');
    expect(text).toContain('Магазин в Telegram');
    await page.close();
  });

  it('sets business hours and the weekly e-mail', async () => {
    const page = await openReports('ru', 'desktop');
    await page.getByTestId('report-settings').click();
    await page.getByTestId('report-settings-hours').click();
    await page.getByTestId('report-settings-weekly').click();
    await shot(page, 'reports-settings-ru-desktop.png');
    await page.getByTestId('report-settings-save').click();
    await eventually(async () => (await t.owner.get('/api/reports/settings')).body.businessHoursEnabled === true);
    expect((await t.owner.get('/api/reports/settings')).body.weeklyReport).toBe(true);
    await page.getByTestId('report-compare').filter({ hasText: 'рабочих часах' }).waitFor();
    await page.close();
  });

  it.each([
    ['ru', 'desktop'],
    ['ru', 'phone'],
    ['en', 'phone'],
  ] as const)('looks right in %s on %s', async (lang, viewport) => {
    const page = await openReports(lang, viewport);
    await page.getByTestId('report-channels').waitFor();
    // Nothing pushes the page sideways on a phone: wide tables scroll inside their own box.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await shot(page, `reports-${lang}-${viewport}.png`, { fullPage: true });
    await page.close();
  });
});
