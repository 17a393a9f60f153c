import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OWNER, startTestApp, type TestApp } from '../../server/test/support/harness.js';
import { buildWebApp, launchBrowser, shots, VIEWPORTS } from './support/browser.js';

/*
 * The platform cabinet in a real browser, in Russian and English, on a desktop and a 390 px phone: the
 * installation's operator sees every account, creates one (its owner's invitation link is shown), suspends
 * it, and switches between the accounts they belong to; a suspended account's owner is told why they cannot
 * sign in.
 */

let t: TestApp;
let browser: Browser;
let bravoId = '';
const BRAVO = { email: 'bravo-owner@example.com', password: 'Bravo-Harbour-7391' };

const LANGS = {
  en: { suspended: 'Suspended', title: 'Platform cabinet', refusal: 'This account is suspended' },
  ru: { suspended: 'Приостановлен', title: 'Кабинет платформы', refusal: 'Этот аккаунт приостановлен' },
} as const;

beforeAll(async () => {
  await buildWebApp();
  t = await startTestApp({ env: { SERVE_WEB: 'true', SIGNUP_ENABLED: 'true' }, roles: 'api,worker' });
  browser = await launchBrowser();
  const { account, user } = await t.running.services.identity.createAccountWithOwner({
    accountName: 'Bravo Ltd',
    email: BRAVO.email,
    name: 'Boris',
    password: BRAVO.password,
  });
  bravoId = account.id;
  expect(user.id).toBeTruthy();
  // The operator also works in Bravo (an agency serving a client), so they can switch to it.
  const ownerId = (await t.owner.get('/api/auth/session')).body.user.id as string;
  await t.running.ctx.pool.query(`insert into memberships (account_id, user_id, role) values ($1, $2, 'admin')`, [bravoId, ownerId]);
  expect((await t.owner.patch(`/api/platform/accounts/${bravoId}`, { limits: { channels: 2, people: 5 } })).status).toBe(200);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

async function newPage(lang: keyof typeof LANGS, viewport: keyof typeof VIEWPORTS): Promise<Page> {
  const page = await browser.newPage({ locale: lang === 'ru' ? 'ru-RU' : 'en-US', viewport: VIEWPORTS[viewport] });
  page.on('pageerror', (err) => console.error('page error:', err.message));
  await page.addInitScript((l) => localStorage.setItem('switchboard.language', l), lang);
  return page;
}

async function signIn(page: Page, who: { email: string; password: string }): Promise<void> {
  await page.goto(`${t.url}/login`);
  await page.getByTestId('login-email').fill(who.email);
  await page.getByTestId('login-password').fill(who.password);
  await page.getByTestId('login-submit').click();
}

async function shot(page: Page, name: string): Promise<void> {
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
  await page.screenshot({ path: path.join(shots, name) });
}

const activeAccount = (page: Page) =>
  page.evaluate(async () => ((await (await fetch('/api/auth/session')).json()) as { user: { accountId: string } }).user.accountId);

describe('platform cabinet in a real browser', () => {
  for (const lang of ['en', 'ru'] as const) {
    for (const viewport of ['desktop', 'phone'] as const) {
      it(`the operator creates and suspends an account and switches accounts (${lang}, ${viewport})`, async () => {
        const text = LANGS[lang];
        const page = await newPage(lang, viewport);
        await signIn(page, OWNER);
        await page.getByTestId('user-menu').click();
        await page.getByTestId('account-switch').first().waitFor();
        await shot(page, `platform-user-menu-${lang}-${viewport}.png`);
        await page.getByTestId('menu-platform').click();
        await page.getByRole('heading', { name: text.title }).waitFor();
        await page.getByTestId('account-row').filter({ hasText: 'Bravo Ltd' }).waitFor();
        await shot(page, `platform-list-${lang}-${viewport}.png`);

        // Create an account: the owner's invitation link is shown to copy.
        const name = `Delta ${lang} ${viewport}`;
        await page.getByTestId('account-create').click();
        await page.getByTestId('account-name-input').fill(name);
        await page.getByTestId('account-owner-input').fill(`delta-${lang}-${viewport}@example.com`);
        await page.getByTestId('limit-channels').fill('3');
        await page.getByTestId('account-create-submit').click();
        await page.getByTestId('account-created').waitFor();
        expect(await page.getByTestId('account-invite-link').inputValue()).toContain('/invite?token=');
        await shot(page, `platform-created-${lang}-${viewport}.png`);
        await page.keyboard.press('Escape');
        const row = page.getByTestId('account-row').filter({ hasText: name });
        await row.waitFor();

        // Suspend it, confirmed.
        await row.getByTestId('account-actions').click();
        await page.getByTestId('account-suspend').click();
        await page.getByTestId('confirm').click();
        await row.getByTestId('account-status').filter({ hasText: text.suspended }).waitFor();
        await shot(page, `platform-suspended-${lang}-${viewport}.png`);
        const listed = (await t.owner.get('/api/platform/accounts')).body.items.find((a: { name: string }) => a.name === name);
        expect(listed).toMatchObject({ status: 'suspended', limits: { channels: 3 } });

        // Switch to Bravo and back.
        const home = await activeAccount(page);
        await page.getByTestId('user-menu').click();
        await page.locator(`[data-testid="account-switch"][data-account-id="${bravoId}"]`).click();
        await expect.poll(() => activeAccount(page)).toBe(bravoId);
        await page.getByTestId('user-menu').click();
        await page.locator('[data-testid="account-switch"][aria-current="true"]').filter({ hasText: 'Bravo Ltd' }).waitFor();
        await shot(page, `platform-switched-${lang}-${viewport}.png`);
        await page.locator(`[data-testid="account-switch"][data-account-id="${home}"]`).click();
        await expect.poll(() => activeAccount(page)).toBe(home);
        await page.close();
      }, 90_000);
    }
  }

  it('a person who is not the operator has no platform cabinet', async () => {
    const page = await newPage('en', 'desktop');
    await signIn(page, BRAVO);
    await page.getByTestId('user-menu').click();
    await page.getByTestId('menu-profile').waitFor();
    expect(await page.getByTestId('menu-platform').count()).toBe(0);
    await page.goto(`${t.url}/platform`);
    await page.getByTestId('no-access').waitFor();
    await page.close();
  }, 60_000);

  for (const lang of ['en', 'ru'] as const) {
    it(`self-service sign-up from the sign-in page asks to confirm the e-mail (${lang})`, async () => {
      for (const viewport of ['desktop', 'phone'] as const) {
        const page = await newPage(lang, viewport);
        await page.goto(`${t.url}/login`);
        await page.getByTestId('signup-link').click();
        await page.getByLabel(lang === 'en' ? 'Company or team name' : 'Название компании или команды').fill(`Hotel ${lang} ${viewport}`);
        await page.getByLabel(lang === 'en' ? 'Your name' : 'Ваше имя').fill('Hanna');
        await page.getByLabel('E-mail').fill(`hanna-${lang}-${viewport}@example.com`);
        await page.getByLabel(lang === 'en' ? 'Password' : 'Пароль').fill('Hotel-Harbour-7391');
        await shot(page, `signup-form-${lang}-${viewport}.png`);
        await page.getByRole('button', { name: lang === 'en' ? 'Get the link' : 'Получить ссылку' }).click();
        await page.getByTestId('signup-requested').waitFor();
        await shot(page, `signup-sent-${lang}-${viewport}.png`);
        await page.close();
      }
    }, 60_000);

    it(`a suspended account's owner is told why they cannot sign in (${lang})`, async () => {
      expect((await t.owner.post(`/api/platform/accounts/${bravoId}/suspend`)).status).toBe(200);
      for (const viewport of ['desktop', 'phone'] as const) {
        const page = await newPage(lang, viewport);
        await signIn(page, BRAVO);
        await page.getByTestId('login-error').filter({ hasText: LANGS[lang].refusal }).waitFor();
        await shot(page, `platform-suspended-login-${lang}-${viewport}.png`);
        await page.close();
      }
      expect((await t.owner.post(`/api/platform/accounts/${bravoId}/resume`)).status).toBe(200);
    }, 60_000);
  }
});
