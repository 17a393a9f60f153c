import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OWNER, startTestApp, type TestApp } from '../../server/test/support/harness.js';
import { buildWebApp, launchBrowser, shots, VIEWPORTS } from './support/browser.js';

/*
 * Roles in a real browser: a role change hides (and shows) pages, the custom role editor, the audit log page;
 * what the owner, an agent, an analyst and a collaborator see, in Russian and English, desktop and 390 px phone.
 */

let t: TestApp;
let browser: Browser;
let accountId: string;
const PASSWORD = 'amber-Fjord-lantern-58';
type Lang = 'en' | 'ru';
const members: Record<string, { id: string; email: string }> = {};

beforeAll(async () => {
  await buildWebApp();
  t = await startTestApp({ env: { SERVE_WEB: 'true' }, roles: 'api,worker' });
  accountId = (await t.owner.get('/api/auth/session')).body.user.accountId;
  for (const role of ['agent', 'analyst', 'collaborator']) {
    const email = `${role}@shop.test`;
    const user = await t.running.services.identity.addUser(accountId, {
      email,
      name: `${role[0]!.toUpperCase()}${role.slice(1)} Test`,
      password: PASSWORD,
      role,
    });
    members[role] = { id: user.id, email };
  }
  browser = await launchBrowser();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await t?.stop();
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
  await page.getByTestId('user-menu').waitFor();
}

const navIds = async (page: Page) =>
  page.locator('nav [data-testid^="nav-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));

describe('access in the browser', () => {
  it('a role change hides a page on the next load, and the page itself says what is missing', async () => {
    const page = await newPage();
    await signIn(page, members.agent!.email, PASSWORD);
    await page.waitForURL(/\/inbox/);
    expect(await navIds(page)).toEqual(expect.arrayContaining(['nav-inbox', 'nav-knowledge', 'nav-tokens']));
    expect(await navIds(page)).not.toContain('nav-webhooks');
    expect(await navIds(page)).not.toContain('nav-audit');

    // Promoted to administrator: webhooks and the audit log appear.
    expect((await t.owner.patch(`/api/users/${members.agent!.id}`, { role: 'admin' })).status).toBe(200);
    await page.reload();
    await page.getByTestId('nav-webhooks').waitFor();
    expect(await navIds(page)).toContain('nav-audit');

    // Made an analyst: the inbox disappears, and opening it directly explains why instead of failing.
    expect((await t.owner.patch(`/api/users/${members.agent!.id}`, { role: 'analyst' })).status).toBe(200);
    await page.goto(`${t.url}/inbox`);
    await page.getByTestId('no-access').waitFor();
    expect(await page.getByTestId('no-access').textContent()).toContain('conversation.read');
    expect(await navIds(page)).not.toContain('nav-inbox');
    expect(await navIds(page)).not.toContain('nav-webhooks');
    // Home leads to the first page the role may open.
    await page.goto(`${t.url}/`);
    await page.waitForURL(/\/ai/);
    expect((await t.owner.patch(`/api/users/${members.agent!.id}`, { role: 'agent' })).status).toBe(200);
    await page.close();
  }, 120_000);

  it('the owner creates a custom role in the permission editor, and its holder sees only its pages', async () => {
    const page = await newPage();
    await signIn(page, OWNER.email, OWNER.password);
    await page.goto(`${t.url}/roles`);
    await page.getByTestId('role-list').waitFor();
    expect(await page.getByTestId('role-row').count()).toBe(8);
    await page.getByTestId('role-create').click();
    await page.getByTestId('role-name-input').fill('Knowledge readers');
    await page.getByTestId('perm-knowledge.read').check();
    await page.getByTestId('perm-token.manage').check();
    await shot(page, 'access-role-editor-en-desktop.png');
    await page.getByTestId('role-save').click();
    await page.locator('[data-testid="role-row"]', { hasText: 'Knowledge readers' }).waitFor();
    const roles = (await t.owner.get('/api/roles')).body.items as { key: string; name: string; permissions: string[] }[];
    const created = roles.find((r) => r.name === 'Knowledge readers')!;
    expect(created.permissions.sort()).toEqual(['knowledge.read', 'token.manage']);
    await page.close();

    const email = 'reader@shop.test';
    await t.running.services.identity.addUser(accountId, { email, name: 'Reader', password: PASSWORD, role: created.key });
    const reader = await newPage();
    await signIn(reader, email, PASSWORD);
    await reader.waitForURL(/\/knowledge/);
    expect(await navIds(reader)).toEqual(['nav-knowledge', 'nav-tokens']);
    await reader.close();
  }, 120_000);

  it('the audit log page lists, filters by action and offers the CSV of the same filter', async () => {
    const page = await newPage();
    await signIn(page, OWNER.email, OWNER.password);
    await page.goto(`${t.url}/audit`);
    await page.getByTestId('audit-list').waitFor();
    expect(await page.getByTestId('audit-row').count()).toBeGreaterThan(3);
    await page.getByTestId('audit-action').fill('role.created');
    await page.waitForFunction(() => {
      const rows = [...document.querySelectorAll('[data-testid="audit-row"]')];
      return rows.length > 0 && rows.every((r) => r.textContent?.includes('role.created'));
    });
    const href = await page.getByTestId('audit-export').getAttribute('href');
    expect(href).toContain('/api/audit/export?action=role.created');
    const csv = await page.evaluate(async (url) => (await fetch(url!)).text(), href);
    expect(csv).toContain('role.created');
    expect(csv).not.toContain('login.succeeded');
    await shot(page, 'access-audit-filtered-en-desktop.png');
    await page.close();
  }, 120_000);
});

describe('screenshots by role', () => {
  const who = [
    { role: 'owner', email: OWNER.email, password: OWNER.password },
    { role: 'agent', email: 'agent@shop.test', password: PASSWORD },
    { role: 'analyst', email: 'analyst@shop.test', password: PASSWORD },
    { role: 'collaborator', email: 'collaborator@shop.test', password: PASSWORD },
  ];
  for (const lang of ['en', 'ru'] as const) {
    for (const viewport of ['desktop', 'phone'] as const) {
      it(`${lang} ${viewport}: each role's home, the owner's roles and audit pages`, async () => {
        for (const w of who) {
          const page = await newPage(lang, viewport);
          await signIn(page, w.email, w.password);
          await page.waitForURL(/\/(inbox|ai|knowledge)/);
          await shot(page, `access-home-${w.role}-${lang}-${viewport}.png`);
          if (w.role === 'owner') {
            await page.goto(`${t.url}/roles`);
            await page.getByTestId('role-list').waitFor();
            await shot(page, `access-roles-${lang}-${viewport}.png`);
            await page.locator('[data-testid="role-row"][data-role="agent"] [data-testid="role-open"]').click();
            await page.getByTestId('permission-checklist').waitFor();
            await shot(page, `access-role-agent-${lang}-${viewport}.png`);
            await page.keyboard.press('Escape');
            await page.goto(`${t.url}/audit`);
            await page.getByTestId('audit-list').waitFor({ timeout: 60_000 });
            await shot(page, `access-audit-${lang}-${viewport}.png`);
          }
          if (w.role === 'analyst') {
            await page.goto(`${t.url}/inbox`);
            await page.getByTestId('no-access').waitFor();
            await shot(page, `access-no-access-analyst-${lang}-${viewport}.png`);
          }
          await page.close();
        }
      }, 240_000);
    }
  }
});
