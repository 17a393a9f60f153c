import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OWNER, startTestApp, type TestApp } from '../../server/test/support/harness.js';
import { buildWebApp, launchBrowser, shot, signedIn } from './support/browser.js';

/*
 * Defects a new user ran into: Enter in a dialog's single-line field submitted the dialog, the
 * section picker did not suggest the sections in use, an operator saw admin pages that then failed,
 * and on a phone wide tables pushed columns off-screen.
 */

let t: TestApp;
let browser: Browser;
const AGENT = { email: 'agent-defects@example.com', password: 'agent-password-long-enough' };

beforeAll(async () => {
  await buildWebApp();
  t = await startTestApp({ env: { SERVE_WEB: 'true' } });
  browser = await launchBrowser();
  const { accountId } = (await t.owner.get('/api/auth/session')).body.user;
  await t.running.services.identity.addUser(accountId, { ...AGENT, name: 'Агент', role: 'agent' });
  expect(
    (
      await t.owner.post('/api/knowledge/articles', {
        kind: 'faq',
        question: 'Сколько идёт доставка?',
        answer: 'Два дня.',
        category: 'Доставка',
      })
    ).status,
  ).toBe(201);
  const botToken = t.telegram.addBot();
  await t.owner.post('/api/channels', {
    type: 'telegram',
    name: 'Магазин в Telegram с длинным названием',
    config: { botToken, mode: 'webhook' },
  });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

describe('first-run defects', () => {
  it('the section picker suggests sections in use, and Enter in it does not submit the dialog', async () => {
    const page = await signedIn(browser, t.url, OWNER, 'ru', 'desktop');
    await page.getByTestId('nav-knowledge').click();
    await page.getByTestId('faq-create').click();
    const form = page.getByTestId('article-form');
    await form.waitFor();
    await page.getByTestId('faq-question-input').fill('Можно ли вернуть товар?');
    await page.getByTestId('faq-answer-input').fill('Да, в течение 14 дней.');
    const section = page.getByTestId('article-category-input');
    await section.fill('Дос');
    await page.getByRole('option', { name: 'Доставка' }).waitFor();
    await shot(page, 'kb-section-suggestions-ru-desktop.png');
    await section.fill('Возврат');
    await section.press('Enter');
    await page.waitForTimeout(500);
    // Still open, nothing saved.
    expect(await form.isVisible()).toBe(true);
    const list = (await t.owner.get('/api/knowledge/articles?limit=50')).body.items as unknown[];
    expect(list).toHaveLength(1);
    expect(await page.getByText('Раздел', { exact: true }).count()).toBeGreaterThan(0);
    await page.close();
  });

  it('an operator does not see admin pages, and an admin page opened by address says why', async () => {
    const page = await signedIn(browser, t.url, AGENT, 'ru', 'desktop');
    for (const hidden of ['nav-webhooks', 'nav-roles', 'nav-audit', 'nav-reports', 'nav-backups']) {
      expect(await page.getByTestId(hidden).count(), hidden).toBe(0);
    }
    await page.getByTestId('nav-inbox').waitFor();
    await page.goto(`${t.url}/webhooks`);
    await page.getByTestId('no-access').waitFor();
    await page.close();
  });

  it.each(['channels', 'knowledge'] as const)('on a phone, the %s table scrolls inside its box, not the page', async (where) => {
    const page = await signedIn(browser, t.url, OWNER, 'ru', 'phone');
    await page.goto(`${t.url}/${where}`);
    await page
      .getByTestId(where === 'channels' ? 'channel-row' : 'article-list')
      .first()
      .waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    // The table says it scrolls and shows its scrollbar.
    await page.getByTestId('wide-table-hint').waitFor();
    await shot(page, `${where}-ru-phone.png`);
    await page.close();
  });

  it('every page takes the same width on a desktop', async () => {
    const page = await signedIn(browser, t.url, OWNER, 'en', 'desktop');
    const widths: Record<string, number> = {};
    for (const path of ['channels', 'knowledge', 'dead-letters', 'reports', 'tokens', 'roles', 'profile', 'webhooks', 'audit']) {
      await page.goto(`${t.url}/${path}`);
      const box = await page.getByTestId('page').boundingBox();
      widths[path] = Math.round(box?.width ?? 0);
    }
    expect(new Set(Object.values(widths)).size, JSON.stringify(widths)).toBe(1);
    await page.close();
  });
});
