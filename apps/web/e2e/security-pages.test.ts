import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transaction } from '../../server/src/platform/db/transaction.js';
import { eventually, OWNER, startTestApp, type TestApp } from '../../server/test/support/harness.js';
import { buildWebApp, launchBrowser, shot, signedIn, VIEWPORTS } from './support/browser.js';

/*
 * The pages the security and robustness work changed, as each role sees them, in Russian and English, on a
 * desktop and a 390 px phone: an uncertain reply (dead-letter page, its confirmation, the conversation) and
 * the sign-in refusal after too many attempts.
 */

let t: TestApp;
let browser: Browser;
let conversationId = '';
const OPERATOR = { email: 'op@example.com', password: 'Quiet-Harbour-7391' };

const LANGS = {
  en: { uncertain: 'Delivery uncertain', confirm: 'Send again anyway', tooMany: 'Too many sign-in attempts' },
  ru: { uncertain: 'Доставка не подтверждена', confirm: 'Всё равно отправить', tooMany: 'Слишком много попыток входа' },
} as const;

beforeAll(async () => {
  await buildWebApp();
  t = await startTestApp({ env: { SERVE_WEB: 'true' }, roles: 'api,worker' });
  browser = await launchBrowser();
  const operator = await t.owner.post('/api/users', { ...OPERATOR, name: 'Olga', role: 'agent' });
  expect(operator.status).toBe(201);

  // A customer writes, an operator answers, and the send is interrupted after it may have reached Telegram.
  const botToken = t.telegram.addBot();
  const channel = await t.owner.post('/api/channels', { type: 'telegram', name: 'Shop support', config: { botToken, mode: 'webhook' } });
  expect(channel.status).toBe(201);
  expect(
    await t.telegram.deliver(botToken, t.telegram.textUpdate(botToken, { chatId: 515151, text: 'Is it in stock?', firstName: 'Irina' })),
  ).toBe(200);
  conversationId = (
    await eventually(async () => (await t.owner.get('/api/conversations?status=all')).body.items[0] as { id: string } | undefined)
  ).id;
  const reply = await t.owner.post(`/api/conversations/${conversationId}/messages`, { text: 'Yes, two left.' });
  await eventually(() => t.telegram.sent.some((s) => s.chatId === '515151'), 15_000, 'the first send');
  await t.running.ctx.pool.query(`update messages set status = 'sending', external_id = null, sent_at = null where id = $1`, [
    reply.body.id,
  ]);
  const { accountId } = (await t.owner.get('/api/auth/session')).body.user;
  await transaction(t.running.ctx.pool, (tx) => t.running.ctx.queue.send(tx, 'message.send', { accountId, messageId: reply.body.id }));
  await eventually(async () => (await t.owner.get('/api/dead-letters')).body.uncertain === 1, 15_000, 'the uncertain reply');
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

describe('security pages in a real browser', () => {
  for (const [role, who] of [
    ['owner', OWNER],
    ['operator', OPERATOR],
  ] as const) {
    for (const lang of ['en', 'ru'] as const) {
      for (const viewport of ['desktop', 'phone'] as const) {
        it(`an uncertain reply as the ${role} sees it (${lang}, ${viewport})`, async () => {
          const page = await signedIn(browser, t.url, who, lang, viewport);
          const text = LANGS[lang];
          await page.goto(`${t.url}/dead-letters`);
          const row = page.getByTestId('dead-letter-row').filter({ hasText: 'Yes, two left.' });
          await row.getByTestId('dead-letter-status').filter({ hasText: text.uncertain }).waitFor({ timeout: 15_000 });
          await shot(page, `uncertain-list-${role}-${lang}-${viewport}.png`);
          await page.getByTestId('dead-letters-retry-all').click();
          await page.getByTestId('confirm-uncertain').filter({ hasText: text.confirm }).waitFor();
          await shot(page, `uncertain-confirm-${role}-${lang}-${viewport}.png`);
          await page.goto(`${t.url}/inbox/${conversationId}`);
          await page.getByTestId('message-uncertain').filter({ hasText: text.uncertain }).waitFor({ timeout: 15_000 });
          await shot(page, `uncertain-message-${role}-${lang}-${viewport}.png`);
          // Only looked at: nothing was sent again.
          expect(t.telegram.sent.filter((s) => s.chatId === '515151')).toHaveLength(1);
          await page.close();
        }, 60_000);
      }
    }
  }

  for (const lang of ['en', 'ru'] as const) {
    it(`tells a person who tried too often to wait, in their language (${lang})`, async () => {
      // An address nobody uses, so the owner's own sign-ins above are not slowed.
      const email = `guess-${lang}@example.com`;
      // Wrong passwords until the address (or, after the sign-ins above, this IP) is refused.
      for (let i = 0; i < 10; i++) expect([401, 429]).toContain((await t.anonymous().login(email, 'wrong-password-1')).status);
      for (const viewport of ['desktop', 'phone'] as const) {
        const page = await browser.newPage({ locale: lang === 'ru' ? 'ru-RU' : 'en-US', viewport: VIEWPORTS[viewport] });
        await page.addInitScript((l) => localStorage.setItem('switchboard.language', l), lang);
        await page.goto(`${t.url}/login`);
        await page.getByTestId('login-email').fill(email);
        await page.getByTestId('login-password').fill('wrong-password-1');
        await page.getByTestId('login-submit').click();
        await page.getByTestId('login-error').filter({ hasText: LANGS[lang].tooMany }).waitFor();
        await shot(page, `login-too-many-${lang}-${viewport}.png`);
        await page.close();
      }
    }, 60_000);
  }
});
