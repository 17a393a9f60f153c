import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transaction } from '../../server/src/platform/db/transaction.js';
import { eventually, OWNER, startTestApp, type TestApp } from '../../server/test/support/harness.js';
import { buildWebApp, launchBrowser, openPage, shots } from './support/browser.js';

let t: TestApp;
let browser: Browser;
let page: Page;
/** The bot connected through the UI in the first test, used by the next ones. */
let shopToken = '';

beforeAll(async () => {
  await buildWebApp();
  t = await startTestApp({ env: { SERVE_WEB: 'true' } });
  browser = await launchBrowser();
  page = await openPage(browser, { width: 1440, height: 900 });
  await page.goto(`${t.url}/channels`);
  await page.getByTestId('login-email').fill(OWNER.email);
  await page.getByTestId('login-password').fill(OWNER.password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('channels-empty').waitFor();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

/** A screenshot once modal, drawer and menu transitions have finished. */
async function shot(name: string): Promise<void> {
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
  await page.screenshot({ path: path.join(shots, name) });
}

/** A customer writes to the bot; returns the id of the conversation that started. */
async function customerWrites(token: string, chatId: number, text: string, firstName: string): Promise<string> {
  expect(await t.telegram.deliver(token, t.telegram.textUpdate(token, { chatId, text, firstName }))).toBe(200);
  const conversation = await eventually(
    async () => {
      const res = await t.owner.get('/api/conversations?status=all');
      return (res.body.items as { id: string; contact: { name: string } }[]).find((c) => c.contact.name === firstName);
    },
    15_000,
    `the conversation with ${firstName}`,
  );
  return conversation.id;
}

describe('channels, alerts and undelivered replies in a real browser', () => {
  it('adds a Telegram bot through the type picker: a malformed token is caught in the form, a rejected one shows the server error', async () => {
    // The page header's button (the empty state repeats it).
    await page.getByTestId('channel-add').first().click();
    await page.getByTestId('channel-type-picker').waitFor();
    await shot('channel-type-picker.png');
    await page.getByTestId('channel-type-telegram').click();

    const form = page.getByTestId('channel-add-form');
    await page.getByTestId('channel-name-input').fill('Shop bot');
    await page.getByTestId('channel-token-input').fill('not-a-token');
    await page.getByTestId('channel-add-submit').click();
    await form.getByText('This does not look like a bot token').waitFor();
    expect((await t.owner.get('/api/channels')).body.items).toHaveLength(0);

    // Well-formed, but no such bot: Telegram says 401, the server answers 422 with a sentence for people.
    await page.getByTestId('channel-token-input').fill(`999999999:AAH${'x'.repeat(32)}`);
    await form.getByText('This does not look like a bot token').waitFor({ state: 'detached' });
    await page.getByTestId('channel-add-submit').click();
    await page.getByTestId('channel-add-error').filter({ hasText: 'Telegram rejected the bot token' }).waitFor();
    await shot('channel-add-rejected.png');

    shopToken = t.telegram.addBot('shop_support_bot');
    await page.getByTestId('channel-token-input').fill(shopToken);
    await page.getByTestId('channel-add-submit').click();
    await form.waitFor({ state: 'detached' });

    const row = page.getByTestId('channel-row').filter({ hasText: 'Shop bot' });
    await row.getByTestId('channel-summary').filter({ hasText: '@shop_support_bot' }).waitFor();
    expect(await row.getByTestId('channel-status').getAttribute('data-status')).toBe('connected');
    expect(await row.getByTestId('channel-assistant').isChecked()).toBe(false);

    // Renaming does not reconnect: Telegram is not asked about the token again.
    const getMeCalls = t.telegram.callsOf('getMe').length;
    await row.getByTestId('channel-menu').click();
    await page.getByTestId('channel-edit').click();
    await page.getByTestId('channel-edit-form').getByTestId('channel-name-input').fill('Shop support');
    await page.getByTestId('channel-edit-submit').click();
    await page.getByTestId('channel-row').getByTestId('channel-name').filter({ hasText: 'Shop support' }).waitFor();
    expect(t.telegram.callsOf('getMe').length).toBe(getMeCalls);
    await shot('channels-list.png');
  }, 90_000);

  it('lists a reply Telegram refused with its reason on the dead-letter page; Retry delivers it', async () => {
    const conversationId = await customerWrites(shopToken, 737373, 'Do you deliver on Sundays?', 'Dmitry');
    t.telegram.fail('sendMessage', 403, 'Forbidden: bot was blocked by the user', { token: shopToken });
    const reply = await t.owner.post(`/api/conversations/${conversationId}/messages`, { text: 'Yes, from 10 to 18.' });
    expect(reply.status).toBe(201);

    await page.getByTestId('nav-dead-letters').click();
    const row = page.getByTestId('dead-letter-row').filter({ hasText: 'Yes, from 10 to 18.' });
    await row.waitFor({ timeout: 15_000 });
    await row.getByTestId('dead-letter-reason').filter({ hasText: 'bot was blocked by the user' }).waitFor();
    await row.getByText('Dmitry').waitFor();
    await page.locator('[data-testid="dead-letters-badge"][data-count="1"]').waitFor({ timeout: 15_000 });
    await shot('dead-letters.png');

    // The fake accepts the second attempt.
    await row.getByTestId('dead-letter-select').check();
    await page.getByTestId('dead-letters-retry').click();
    const sent = await eventually(() => t.telegram.sent.find((s) => s.chatId === '737373'), 15_000, 'the retried reply in Telegram');
    expect(sent.text).toBe('Yes, from 10 to 18.');
    await page.getByTestId('dead-letters-empty').waitFor({ timeout: 15_000 });
    await page.locator('[data-testid="dead-letters-badge"][data-count="0"]').waitFor({ timeout: 15_000 });
  }, 90_000);

  it('shows a reply that may already have reached the customer as uncertain; it is sent again only once confirmed', async () => {
    const conversationId = await customerWrites(shopToken, 747474, 'Is it in stock?', 'Irina');
    const reply = await t.owner.post(`/api/conversations/${conversationId}/messages`, { text: 'Yes, two left.' });
    const sentToIrina = () => t.telegram.sent.filter((s) => s.chatId === '747474');
    await eventually(() => sentToIrina().length === 1, 15_000, 'the first send');
    // As if the process died between Telegram's answer and our bookkeeping, and the job ran again.
    await t.running.ctx.pool.query(`update messages set status = 'sending', external_id = null, sent_at = null where id = $1`, [
      reply.body.id,
    ]);
    const { accountId } = (await t.owner.get('/api/auth/session')).body.user;
    await transaction(t.running.ctx.pool, (tx) => t.running.ctx.queue.send(tx, 'message.send', { accountId, messageId: reply.body.id }));

    await page.getByTestId('nav-dead-letters').click();
    const row = page.getByTestId('dead-letter-row').filter({ hasText: 'Yes, two left.' });
    await row.waitFor({ timeout: 15_000 });
    await row.getByTestId('dead-letter-status').filter({ hasText: 'Delivery uncertain' }).waitFor();
    await row.getByTestId('dead-letter-reason').filter({ hasText: 'may already have it' }).waitFor();
    await row.getByTestId('dead-letter-open').click();
    await page.getByTestId('message-uncertain').filter({ hasText: 'Delivery uncertain' }).waitFor({ timeout: 15_000 });
    await page.getByTestId('nav-dead-letters').click();

    await page.getByTestId('dead-letters-retry-all').click();
    await page.getByTestId('confirm-uncertain').waitFor();
    await shot('dead-letters-uncertain.png');
    // The same in Russian on a phone, then back.
    await page.evaluate(() => localStorage.setItem('switchboard.language', 'ru'));
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await row.getByTestId('dead-letter-status').filter({ hasText: 'Доставка не подтверждена' }).waitFor({ timeout: 15_000 });
    await page.getByTestId('dead-letters-retry-all').click();
    await page.getByTestId('confirm-uncertain').waitFor();
    await shot('dead-letters-uncertain-ru-phone.png');
    await page.evaluate(() => localStorage.setItem('switchboard.language', 'en'));
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.reload();
    await page.getByTestId('dead-letters-retry-all').click();
    await page.getByTestId('confirm-uncertain').waitFor();
    expect(sentToIrina()).toHaveLength(1);
    await page.getByTestId('confirm-uncertain').click();
    await eventually(() => sentToIrina().length === 2, 15_000, 'the confirmed resend');
    await page.getByTestId('dead-letters-empty').waitFor({ timeout: 15_000 });
  }, 90_000);

  it('shows an open alert on the channels page as soon as the health check opens it', async () => {
    const token = t.telegram.addBot('revoked_bot');
    const created = await t.owner.post('/api/channels', { type: 'telegram', name: 'Revoked bot', config: { botToken: token } });
    expect(created.status).toBe(201);
    const conversationId = await customerWrites(token, 747474, 'Hello?', 'Galina');

    await page.getByTestId('nav-channels').click();
    const row = page.getByTestId('channel-row').filter({ hasText: 'Revoked bot' });
    await row.waitFor();

    // The token was revoked in @BotFather: Telegram answers 401 to the next send.
    t.telegram.fail('sendMessage', 401, 'Unauthorized', { token });
    await t.owner.post(`/api/conversations/${conversationId}/messages`, { text: 'Hello, Galina!' });
    await row.locator('[data-testid="channel-status"][data-status="auth_failed"]').waitFor({ timeout: 15_000 });

    expect((await t.running.checkChannelHealth()).opened).toBeGreaterThanOrEqual(1);
    const alert = page.getByTestId('alert-item').filter({ hasText: 'Revoked bot' });
    await alert.waitFor({ timeout: 15_000 });
    expect(await alert.getAttribute('data-kind')).toBe('auth_failed');
    await alert.getByTestId('alert-message').filter({ hasText: 'rejected the credentials' }).waitFor();
    await row.locator('[data-testid="channel-alerts"][data-count="1"]').waitFor();
    await shot('channels-alert.png');

    await row.getByTestId('channel-name').click();
    const drawer = page.getByTestId('channel-drawer');
    await drawer.locator('[data-testid="channel-open-alert"][data-kind="auth_failed"]').waitFor();
    await drawer.locator('[data-testid="alert-history-item"][data-kind="auth_failed"]').waitFor();
    await drawer.locator('[data-testid="channel-fact"][data-key="botUsername"]').getByText('@revoked_bot').waitFor();
    await shot('channel-drawer.png');
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'detached' });
  }, 90_000);
});
