import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, OWNER, startTestApp, type TestApp } from '../../server/test/support/harness.js';
import { buildWebApp, launchBrowser, shot, signedIn } from './support/browser.js';

/*
 * A reply the channel did not take (a 502) waits ten minutes for its next attempt. The Russian UI says
 * why in Russian, lists it on Undelivered while it waits, shows the channel as failing, and "retry now"
 * sends it at once.
 */

let t: TestApp;
let browser: Browser;
let conversationId = '';
let replyId = '';

beforeAll(async () => {
  await buildWebApp();
  t = await startTestApp({ env: { SERVE_WEB: 'true', SEND_RETRY_DELAY_SECONDS: '600' } });
  browser = await launchBrowser();
  const botToken = t.telegram.addBot();
  const channel = await t.owner.post('/api/channels', { type: 'telegram', name: 'Магазин', config: { botToken, mode: 'webhook' } });
  expect(
    await t.telegram.deliver(botToken, t.telegram.textUpdate(botToken, { chatId: 7301, text: 'Где заказ?', firstName: 'Ольга' })),
  ).toBe(200);
  conversationId = (
    await eventually(async () =>
      ((await t.owner.get('/api/conversations?status=all')).body.items as { id: string; channelId: string }[]).find(
        (c) => c.channelId === channel.body.id,
      ),
    )
  ).id;
  t.telegram.fail('sendMessage', 502, 'Bad Gateway', { token: botToken, times: 1 });
  replyId = (await t.owner.post(`/api/conversations/${conversationId}/messages`, { text: 'Уже едет' })).body.id;
  await eventually(async () => (await t.owner.get('/api/dead-letters')).body.retrying === 1, 15_000, 'retrying');
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

describe('a reply being retried, in the Russian UI', () => {
  it('is on Undelivered with a Russian reason and the next attempt, and its channel shows as failing', async () => {
    const page = await signedIn(browser, t.url, OWNER, 'ru', 'desktop');
    await page.goto(`${t.url}/dead-letters`);
    const row = page.getByTestId('dead-letter-row').filter({ hasText: 'Уже едет' });
    await row.waitFor();
    expect(await row.getByTestId('dead-letter-status').textContent()).toBe('Повторяется');
    const reason = await row.getByTestId('delivery-reason').textContent();
    expect(reason).toMatch(/^Канал временно не принял ответ; следующая попытка через \d+ мин/);
    expect(reason).not.toMatch(/[A-Za-z]/);
    await shot(page, 'undelivered-retrying-ru-desktop.png');

    await page.goto(`${t.url}/channels`);
    const status = page.getByTestId('channel-status').first();
    await status.waitFor();
    expect(await status.getAttribute('data-status')).toBe('failing');
    expect(await status.textContent()).toBe('Ошибки отправки');
    await page.close();
  });

  it('"retry now" in the conversation sends it at once', async () => {
    const page = await signedIn(browser, t.url, OWNER, 'ru', 'desktop');
    await page.goto(`${t.url}/inbox/${conversationId}`);
    const failure = page.getByTestId('message-failure');
    await failure.waitFor();
    expect(await failure.textContent()).toContain('Канал временно не принял ответ');
    await shot(page, 'conversation-retrying-ru-desktop.png');
    await failure.getByTestId('retry-now').click();
    await eventually(
      async () =>
        ((await t.owner.get(`/api/conversations/${conversationId}/messages`)).body.items as { id: string; status: string }[]).find(
          (m) => m.id === replyId,
        )?.status === 'sent',
      15_000,
      'sent',
    );
    await failure.waitFor({ state: 'detached' });
    await page.close();
  });
});
