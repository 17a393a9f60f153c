import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, OWNER, startTestApp, type TestApp } from '../../server/test/support/harness.js';
import { buildWebApp, launchBrowser, shot, signedIn, VIEWPORTS, type Lang, type Viewport } from './support/browser.js';

let t: TestApp;
let browser: Browser;
let target: string;

beforeAll(async () => {
  await buildWebApp();
  t = await startTestApp({ env: { SERVE_WEB: 'true' } });
  browser = await launchBrowser();
  const bot = t.telegram.addBot('tea_bot');
  await t.owner.post('/api/channels', { type: 'telegram', name: 'Чайная лавка', config: { botToken: bot, mode: 'webhook' } });
  // One long conversation: the hit is far above the latest messages.
  await t.telegram.deliver(
    bot,
    t.telegram.textUpdate(bot, { chatId: 5001, text: 'Верните деньги за сломанный чайник, пожалуйста', firstName: 'Вера' }),
  );
  for (let i = 0; i < 40; i++)
    await t.telegram.deliver(bot, t.telegram.textUpdate(bot, { chatId: 5001, text: `Сообщение номер ${i}`, firstName: 'Вера' }));
  await t.telegram.deliver(bot, t.telegram.textUpdate(bot, { chatId: 5002, text: 'When will the delivery arrive?', firstName: 'Boris' }));
  const conv = await eventually(async () => {
    const items = (await t.owner.get('/api/conversations?status=all')).body.items;
    return items.find((c: { contact: { externalId: string } }) => c.contact.externalId === '5001');
  });
  await eventually(async () => (await t.owner.get(`/api/conversations/${conv.id}/messages?limit=100`)).body.items.length === 41);
  target = (await t.owner.get(`/api/search?q=${encodeURIComponent('чайник')}`)).body.messages[0].messageId;
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

describe('search box', () => {
  it('Ctrl+K opens it; a stemmed match is highlighted; opening it scrolls to the message and marks it', async () => {
    const page = await signedIn(browser, t.url, OWNER, 'ru', 'desktop');
    await page.keyboard.press('Control+K');
    await page.getByTestId('search-input').fill('сломанные чайники');
    const hit = page.getByTestId('search-message').first();
    await hit.waitFor();
    expect(await hit.locator('mark').allTextContents()).toEqual(['сломанный', 'чайник']);
    await shot(page, 'search-results-ru-desktop.png');
    await hit.click();
    const message = page.locator(`[data-message-id="${target}"]`);
    await message.waitFor();
    await page.waitForFunction((id) => document.querySelector(`[data-message-id="${id}"]`)?.hasAttribute('data-search-hit'), target);
    expect(await message.isVisible()).toBe(true);
    await shot(page, 'search-jump-ru-desktop.png');
    await page.close();
  }, 60_000);

  it('/ opens it too; contacts and conversation numbers are found', async () => {
    const page = await signedIn(browser, t.url, OWNER, 'en', 'desktop');
    await page.locator('body').click();
    await page.keyboard.press('/');
    await page.getByTestId('search-input').fill('Boris');
    await page.getByTestId('search-contact').first().waitFor();
    const number = (await t.owner.get('/api/conversations?status=all')).body.items[0].number as number;
    await page.getByTestId('search-input').fill(`#${number}`);
    await page.getByTestId('search-conversation').first().waitFor();
    await page.getByTestId('search-input').fill('zzzqqq');
    await page.getByTestId('search-nothing').waitFor();
    await page.close();
  }, 60_000);

  for (const lang of ['ru', 'en'] as Lang[]) {
    for (const viewport of Object.keys(VIEWPORTS) as Viewport[]) {
      it(`reads well (${lang}, ${viewport})`, async () => {
        const page = await signedIn(browser, t.url, OWNER, lang, viewport);
        await page.getByTestId('search-open').click();
        await page.getByTestId('search-input').fill(lang === 'ru' ? 'чайник' : 'delivery');
        await page.getByTestId('search-message').first().waitFor();
        await shot(page, `search-${lang}-${viewport}.png`);
        await page.close();
      }, 60_000);
    }
  }
});
