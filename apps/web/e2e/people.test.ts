import path from 'node:path';
import { generate } from 'otplib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, OWNER, startTestApp, type TestApp } from '../../server/test/support/harness.js';
import { startSmtpSink, type SmtpSink } from '../../server/test/support/mail-servers.js';
import { buildWebApp, launchBrowser, shots, VIEWPORTS } from './support/browser.js';

/*
 * People in a real browser: invite → accept → sign in, forgot password, two-factor enrolment and a sign-in with
 * a recovery code; the pages in Russian and English on a desktop and a 390 px phone.
 */

let t: TestApp;
let smtp: SmtpSink;
let browser: Browser;
const PASSWORD = 'amber-Fjord-lantern-58';
type Lang = 'en' | 'ru';

beforeAll(async () => {
  await buildWebApp();
  smtp = await startSmtpSink();
  t = await startTestApp({
    env: {
      SERVE_WEB: 'true',
      SMTP_URL: `smtp://${encodeURIComponent(smtp.user)}:${encodeURIComponent(smtp.password)}@${smtp.host}:${smtp.port}`,
      MAIL_FROM: 'Switchboard <team@shop.test>',
    },
    roles: 'api,worker',
  });
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await t?.stop();
  await smtp?.stop();
});

async function newPage(lang: Lang = 'en', viewport: keyof typeof VIEWPORTS = 'desktop'): Promise<Page> {
  const page = await browser.newPage({ locale: lang === 'ru' ? 'ru-RU' : 'en-US', viewport: VIEWPORTS[viewport] });
  page.on('pageerror', (err) => console.error('page error:', err.message));
  await page.addInitScript((l) => localStorage.setItem('switchboard.language', l), lang);
  return page;
}

async function shot(page: Page, name: string): Promise<void> {
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
  await page.screenshot({ path: path.join(shots, name) });
}

async function signIn(page: Page, email: string, password: string) {
  await page.goto(`${t.url}/login`);
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
}

/** The link in the last e-mail to `to` whose text contains `path`. */
async function mailedLink(to: string, linkPath: string, after: number): Promise<string> {
  const mail = await eventually(
    () => smtp.received.slice(after).find((m) => m.to.includes(to) && (m.parsed.text ?? '').includes(linkPath)),
    15_000,
    `an e-mail to ${to}`,
  );
  return (mail.parsed.text ?? '').match(/https?:\/\/\S+/)![0];
}

/** A member invited and accepted over the API (for the flows that start signed in). */
async function memberViaApi(email: string, role = 'agent'): Promise<void> {
  const before = smtp.received.length;
  expect((await t.owner.post('/api/invitations', { email, role })).status).toBe(201);
  const token = new URL(await mailedLink(email, '/invite', before)).searchParams.get('token')!;
  const res = await t.anonymous().post('/api/invitations/accept', { token, name: email.split('@')[0], password: PASSWORD });
  expect(res.status).toBe(201);
}

const totp = (secret: string, steps = 0) => generate({ secret, epoch: Math.floor(Date.now() / 1000) + steps * 30 });

describe('people in a real browser', () => {
  it('invite → accept → sign in', async () => {
    const owner = await newPage();
    await signIn(owner, OWNER.email, OWNER.password);
    await owner.getByTestId('nav-inbox').waitFor();
    await owner.getByTestId('nav-team').click();
    await owner.getByTestId('team-members').waitFor();
    await owner.getByTestId('team-invite').click();
    await owner.getByTestId('invite-email').fill('nina@example.com');
    const before = smtp.received.length;
    await owner.getByTestId('invite-send').click();
    await owner.getByTestId('invitation-row').filter({ hasText: 'nina@example.com' }).waitFor();
    await shot(owner, 'people-flow-team-invited.png');
    const link = await mailedLink('nina@example.com', '/invite', before);

    const invitee = await newPage();
    await invitee.goto(link);
    await invitee.getByTestId('invite-summary').waitFor();
    await invitee.getByTestId('invite-name').fill('Nina Orlova');
    await invitee.getByTestId('invite-password').fill(PASSWORD);
    await invitee.getByTestId('invite-accept').click();
    await invitee.getByTestId('nav-inbox').waitFor();
    // Signed out, she signs in with the password she chose.
    await invitee.getByTestId('user-menu').click();
    await invitee.getByTestId('logout').click();
    await invitee.getByTestId('login-email').waitFor();
    await signIn(invitee, 'nina@example.com', PASSWORD);
    await invitee.getByTestId('nav-inbox').waitFor();

    await owner.reload();
    const row = owner.getByTestId('team-member').filter({ hasText: 'nina@example.com' });
    await row.getByTestId('member-status').waitFor();
    expect(await row.getByTestId('member-role').textContent()).toBe('Agent');
    await owner.close();
    await invitee.close();
  }, 90_000);

  it('forgot password → e-mailed link → new password → sign in', async () => {
    await memberViaApi('forgetful@example.com');
    const page = await newPage();
    await page.goto(`${t.url}/login`);
    await page.getByTestId('forgot-password-link').click();
    await page.getByTestId('reset-email').fill('forgetful@example.com');
    const before = smtp.received.length;
    await page.getByTestId('reset-submit').click();
    await page.getByTestId('reset-requested').waitFor();
    const link = await mailedLink('forgetful@example.com', '/reset-password', before);
    await page.goto(link);
    await page.getByTestId('reset-password').fill('copper-Meadow-kettle-93');
    await page.getByTestId('reset-confirm').click();
    await page.getByTestId('reset-done').waitFor();
    await page.getByTestId('reset-to-login').click();
    await signIn(page, 'forgetful@example.com', 'copper-Meadow-kettle-93');
    await page.getByTestId('nav-inbox').waitFor();
    // The link was single use.
    await page.goto(link);
    await page.getByTestId('reset-password').fill('another-Meadow-kettle-94');
    await page.getByTestId('reset-confirm').click();
    await page.getByTestId('reset-error').waitFor();
    await page.close();
  }, 60_000);

  it('two-factor: enrol on the profile page, then sign in with a recovery code', async () => {
    await memberViaApi('secure@example.com');
    const page = await newPage();
    await signIn(page, 'secure@example.com', PASSWORD);
    await page.getByTestId('nav-inbox').waitFor();
    await page.goto(`${t.url}/profile`);
    await page.getByTestId('two-factor-setup').click();
    const secret = (await page.getByTestId('two-factor-secret').textContent())!.trim();
    await shot(page, 'people-flow-2fa-qr.png');
    await page.getByTestId('two-factor-confirm-code').fill(await totp(secret, -1));
    await page.getByTestId('two-factor-confirm').click();
    await page.getByTestId('recovery-codes').waitFor();
    const codes = await page.getByTestId('recovery-code').allTextContents();
    expect(codes).toHaveLength(10);
    await shot(page, 'people-flow-2fa-recovery-codes.png');
    await page.getByTestId('recovery-codes-done').click();
    await page.getByTestId('two-factor-on').waitFor();

    await page.getByTestId('user-menu').click();
    await page.getByTestId('logout').click();
    await page.getByTestId('login-email').waitFor();
    await signIn(page, 'secure@example.com', PASSWORD);
    await page.getByTestId('two-factor-code').waitFor();
    // A wrong code is refused in place.
    await page.getByTestId('two-factor-code').fill('000000');
    await page.getByTestId('two-factor-submit').click();
    await page.getByTestId('two-factor-error').waitFor();
    await page.getByTestId('two-factor-toggle-recovery').click();
    await page.getByTestId('two-factor-recovery').fill(codes[0]!);
    await page.getByTestId('two-factor-submit').click();
    await page.getByTestId('nav-inbox').waitFor();
    const status = await t.anonymous().login('secure@example.com', PASSWORD);
    expect(status.body.twoFactorRequired).toBe(true);
    await page.close();
  }, 90_000);

  for (const lang of ['en', 'ru'] as const) {
    for (const viewport of ['desktop', 'phone'] as const) {
      it(`the people pages (${lang}, ${viewport})`, async () => {
        const page = await newPage(lang, viewport);
        await page.goto(`${t.url}/forgot-password`);
        await page.getByTestId('reset-email').waitFor();
        await shot(page, `people-forgot-${lang}-${viewport}.png`);

        const before = smtp.received.length;
        const invited = await t.owner.post('/api/invitations', { email: `look-${lang}-${viewport}@example.com`, role: 'supervisor' });
        expect(invited.status).toBe(201);
        const link = await mailedLink(`look-${lang}-${viewport}@example.com`, '/invite', before);
        await page.goto(link);
        await page.getByTestId('invite-summary').waitFor();
        await shot(page, `people-accept-${lang}-${viewport}.png`);

        await signIn(page, 'secure@example.com', PASSWORD);
        await page.getByTestId('two-factor-code').waitFor();
        await shot(page, `people-login-2fa-${lang}-${viewport}.png`);

        await signIn(page, OWNER.email, OWNER.password);
        await page.getByTestId('nav-inbox').waitFor();
        await page.goto(`${t.url}/team`);
        await page.getByTestId('team-member').first().waitFor();
        await page.getByTestId('invitation-row').first().waitFor();
        await shot(page, `people-team-${lang}-${viewport}.png`);
        await page.getByTestId('team-invite').click();
        await page.getByTestId('invite-email').waitFor();
        await shot(page, `people-invite-modal-${lang}-${viewport}.png`);
        await page.keyboard.press('Escape');
        await page.goto(`${t.url}/profile`);
        await page.getByTestId('profile-details').waitFor();
        await page.getByTestId('my-session').first().waitFor();
        await shot(page, `people-profile-${lang}-${viewport}.png`);
        await page.close();
      }, 90_000);
    }
  }
});
