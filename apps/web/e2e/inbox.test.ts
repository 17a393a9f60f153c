import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, OWNER, startTestApp, type TestApp } from '../../server/test/support/harness.js';
import { buildWebApp, launchBrowser, openPage, shots } from './support/browser.js';

let t: TestApp;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  await buildWebApp();
  t = await startTestApp({ env: { SERVE_WEB: 'true' } });
  browser = await launchBrowser();
  page = await openPage(browser, { width: 1400, height: 860 });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

describe('operator inbox in a real browser', () => {
  it('logs in, sees an inbound Telegram message appear live, replies, and Telegram receives it', async () => {
    const botToken = t.telegram.addBot('sofa_shop_bot');
    const channel = await t.owner.post('/api/channels', { type: 'telegram', name: 'Sofa shop', config: { botToken, mode: 'webhook' } });
    expect(channel.status).toBe(201);

    await page.goto(t.url);
    await page.getByTestId('login-email').fill(OWNER.email);
    await page.getByTestId('login-password').fill(OWNER.password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('conversation-list').waitFor();

    // The customer writes while the operator is looking at the inbox: no reload.
    await page.waitForTimeout(500);
    const status = await t.telegram.deliver(
      botToken,
      t.telegram.textUpdate(botToken, { chatId: 424242, text: 'Is the green sofa in stock?', firstName: 'Anna' }),
    );
    expect(status).toBe(200);
    const item = page.getByTestId('conversation-item').filter({ hasText: 'Anna' });
    await item.waitFor({ timeout: 10_000 });
    await page.screenshot({ path: path.join(shots, 'inbox-live.png') });

    await item.click();
    await page.getByTestId('message-list').getByText('Is the green sofa in stock?').waitFor();
    await page.getByTestId('reply-input').fill('Yes, we have two left.');
    await page.getByTestId('reply-send').click();

    const sent = await eventually(() => t.telegram.sent.find((s) => s.token === botToken), 15_000, 'sendMessage');
    expect(sent.chatId).toBe('424242');
    expect(sent.text).toBe('Yes, we have two left.');
    await page.locator('[data-testid="message"][data-direction="out"][data-status="sent"]').waitFor({ timeout: 10_000 });
    await page.screenshot({ path: path.join(shots, 'conversation-replied.png') });
  }, 90_000);

  it('shows the failure reason next to a message Telegram refused', async () => {
    const botToken = t.telegram.addBot('blocked_bot');
    await t.owner.post('/api/channels', { type: 'telegram', name: 'Blocked', config: { botToken, mode: 'webhook' } });
    await t.telegram.deliver(botToken, t.telegram.textUpdate(botToken, { chatId: 515151, text: 'bye', firstName: 'Boris' }));
    t.telegram.fail('sendMessage', 403, 'Forbidden: bot was blocked by the user', { token: botToken });
    const item = page.getByTestId('conversation-item').filter({ hasText: 'Boris' });
    await item.waitFor({ timeout: 10_000 });
    await item.click();
    await page.getByTestId('message-list').getByText('bye', { exact: true }).waitFor();
    await page.getByTestId('reply-input').fill('Sorry to see you go');
    await page.getByTestId('reply-send').click();
    await page.locator('[data-testid="message"][data-status="failed"]').waitFor({ timeout: 10_000 });
    await page.getByText('bot was blocked by the user').waitFor();
    await page.screenshot({ path: path.join(shots, 'delivery-failed.png') });
  }, 60_000);

  it('builds the knowledge base, tests a question, and shows the bot turn with its source; the operator takes over', async () => {
    await page.goto(`${t.url}/knowledge`);
    await page.getByTestId('faq-create').click();
    await page.getByTestId('faq-question-input').fill('How long does delivery take?');
    await page.getByTestId('faq-answer-input').fill('Delivery takes 2 to 3 days anywhere in the city.');
    await page.getByTestId('article-save').click();
    await page.getByTestId('article-row').filter({ hasText: 'How long does delivery take?' }).waitFor();

    await page.getByTestId('knowledge-test-tab').click();
    await page.getByTestId('test-question-input').fill('how long will delivery take?');
    await page.getByTestId('test-question-submit').click();
    await page.getByTestId('test-decision-text').filter({ hasText: 'Delivery takes 2 to 3 days' }).waitFor();
    await page.screenshot({ path: path.join(shots, 'knowledge-test.png') });

    const botToken = t.telegram.addBot('delivery_bot');
    const channel = await t.owner.post('/api/channels', {
      type: 'telegram',
      name: 'Delivery',
      config: { botToken, mode: 'webhook', assistant: { enabled: true } },
    });
    expect(channel.status).toBe(201);
    await page.goto(`${t.url}/inbox`);
    await t.telegram.deliver(
      botToken,
      t.telegram.textUpdate(botToken, { chatId: 616161, text: 'How long does delivery take?', firstName: 'Vera' }),
    );
    await eventually(() => t.telegram.sent.find((m) => m.chatId === '616161'), 15_000, 'the bot answer in Telegram');
    const item = page.getByTestId('conversation-item').filter({ hasText: 'Vera' });
    await item.waitFor({ timeout: 10_000 });
    await item.click();
    await page.getByTestId('source').filter({ hasText: 'How long does delivery take?' }).waitFor({ timeout: 10_000 });
    await page.screenshot({ path: path.join(shots, 'bot-turn.png') });

    await page.getByTestId('take-over').click();
    await eventually(() => t.telegram.sent.filter((m) => m.chatId === '616161').length === 2, 15_000, 'the greeting in Telegram');
    // Taken by the person looking at it: greeted at once, without a name while the owner is still "Owner".
    expect(t.telegram.sent.filter((m) => m.chatId === '616161')[1]!.text).toBe('Hello! I will help you with your question.');
  }, 90_000);
});
