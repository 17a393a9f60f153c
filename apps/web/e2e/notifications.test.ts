import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, OWNER, startTestApp, type TestApp } from '../../server/test/support/harness.js';
import type { ApiClient } from '../../server/test/support/api-client.js';
import { buildWebApp, launchBrowser, shot, signedIn, type Lang, type Viewport } from './support/browser.js';

let t: TestApp;
let browser: Browser;
let backend: ApiClient;
let channelId: string;
const AGENT = { email: 'agent@example.com', password: 'agent-password-long-enough' };
let seq = 0;

beforeAll(async () => {
  await buildWebApp();
  t = await startTestApp({ env: { SERVE_WEB: 'true' } });
  browser = await launchBrowser();
  const me = (await t.owner.get('/api/auth/session')).body.user;
  await t.running.services.identity.addUser(me.accountId, { ...AGENT, name: 'Вера Оператор', role: 'agent' });
  const ch = await t.owner.post('/api/channels', { type: 'api', name: 'Сайт магазина', config: {} });
  channelId = ch.body.id;
  backend = t.owner.withToken((await t.owner.post('/api/tokens', { name: 'site' })).body.token as string);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

const customerWrites = async (name: string, text: string) =>
  backend.post(`/api/channels/${channelId}/messages`, { messageId: `m-${++seq}`, contact: { externalId: `c-${seq}`, name }, text });

describe('notifications in a real browser', () => {
  it('the bell counts live, the tab title shows the count, the popover lists them and marks all read', async () => {
    const page = await signedIn(browser, t.url, AGENT, 'en', 'desktop');
    const bell = page.getByTestId('notification-bell');
    await bell.waitFor();
    expect(await bell.getAttribute('data-count')).toBe('0');
    await customerWrites('Olga Petrova', 'Is the blue sofa still available?');
    await eventually(async () => (await bell.getAttribute('data-count')) === '1', 75_000, 'the live bell count');
    await eventually(async () => (await page.title()).startsWith('(1) '), 5_000, 'the count in the title');
    await customerWrites('Ivan', 'Do you deliver to Kazan?');
    await eventually(async () => (await bell.getAttribute('data-count')) === '2', 75_000, 'the second notification');
    await bell.click();
    const items = page.getByTestId('notification-list').getByTestId('notification-item');
    await items.nth(1).waitFor();
    expect(await items.first().textContent()).toContain('Ivan');
    await shot(page, 'notifications-bell-en-desktop.png');
    await page.getByTestId('notifications-read-all').click();
    await eventually(async () => (await bell.getAttribute('data-count')) === '0', 5_000, 'all read');
    expect(await page.title()).not.toMatch(/^\(\d+\)/);
    await page.close();
  }, 200_000);

  it('opening a notification goes to its conversation and marks it read', async () => {
    await customerWrites('Мария', 'Здравствуйте! Когда будет доставка?');
    const page = await signedIn(browser, t.url, AGENT, 'ru', 'desktop');
    const bell = page.getByTestId('notification-bell');
    await eventually(async () => (await bell.getAttribute('data-count')) === '1', 75_000, 'the notification');
    await bell.click();
    await page.getByTestId('notification-list').getByText('Мария').first().click();
    await page.waitForURL(/\/inbox\//);
    await eventually(async () => (await bell.getAttribute('data-count')) === '0', 5_000, 'read');
    await page.close();
  }, 200_000);

  for (const lang of ['ru', 'en'] as Lang[]) {
    for (const viewport of ['desktop', 'phone'] as Viewport[]) {
      it(`the notifications page and settings (${lang}, ${viewport})`, async () => {
        const page = await signedIn(browser, t.url, OWNER, lang, viewport);
        await page.goto(`${t.url}/notifications`);
        await page.getByTestId('notification-matrix').waitFor();
        await page.getByTestId('notifications-page-list').getByTestId('notification-item').first().waitFor();
        await shot(page, `notifications-page-${lang}-${viewport}.png`, { fullPage: true });
        if (lang === 'en' && viewport === 'desktop') {
          await page.getByTestId('sound-switch').click();
          await page.getByTestId('notification-settings-save').click();
          await eventually(async () => (await t.owner.get('/api/notifications/preferences')).body.settings.sound === false, 5_000, 'saved');
          await page.getByTestId('notifications-test').click();
          await page.getByText('Test notification').first().waitFor();
        }
        await page.close();
      }, 120_000);
    }
  }
});
