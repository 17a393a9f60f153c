import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestApp, type TestApp } from '../../server/test/support/harness.js';
import { launchBrowser, openPage, shots } from './support/browser.js';

let t: TestApp;
let browser: Browser;
let shop: Server;
let shopOrigin: string;
/** The "customer's site": another origin, embedding the widget with the one-line tag. */
const shopPages = new Map<string, string>();

beforeAll(async () => {
  // The server bundles the widget from its sources outside production: no build step needed here.
  t = await startTestApp();
  shop = createServer((req, res) => {
    const html = shopPages.get(req.url ?? '');
    res.writeHead(html ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' }).end(html ?? 'not found');
  });
  await new Promise<void>((resolve) => shop.listen(0, '127.0.0.1', resolve));
  shopOrigin = `http://127.0.0.1:${(shop.address() as AddressInfo).port}`;
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => shop?.close(resolve));
  await t?.stop();
});

function newPage(): Promise<Page> {
  return openPage(browser, { width: 1280, height: 800 });
}

async function conversationOf(contactName: string) {
  return eventually(
    async () => {
      const list = await t.owner.get('/api/conversations?status=all&limit=200');
      return list.body.items.find((c: { contact: { name: string | null } }) => c.contact.name === contactName);
    },
    15_000,
    `the conversation of ${contactName}`,
  );
}

describe('chat widget in a real browser', () => {
  it('a visitor on the demo shop writes, sees the operator answer live, and keeps the history after a reload', async () => {
    const ch = await t.owner.post('/api/channels', {
      type: 'widget',
      name: 'Sofa shop site',
      config: {
        title: 'Cosy Sofa Co.',
        greeting: 'Hi! Ask us anything about our sofas.',
        color: '#0f766e',
        locale: 'en',
        preChat: { name: true, email: true },
      },
    });
    expect(ch.status).toBe(201);
    const page = await newPage();
    await page.goto(`${t.url}/widget/demo/${ch.body.id}`);

    const launcher = page.getByRole('button', { name: 'Open chat' });
    await launcher.click();
    const dialog = page.getByRole('dialog', { name: 'Cosy Sofa Co.' });
    await dialog.waitFor();
    await dialog.getByText('Hi! Ask us anything about our sofas.').waitFor();
    // The pre-chat form comes first, focused on its first field.
    await expect
      .poll(() => page.evaluate(() => document.querySelector('[data-switchboard-widget]')?.shadowRoot?.activeElement?.getAttribute('name')))
      .toBe('name');
    await page.screenshot({ path: path.join(shots, 'widget-prechat.png'), animations: 'disabled' });
    await dialog.getByLabel('Your name').fill('Anna Petrova');
    await dialog.getByLabel('E-mail').fill('anna@example.com');
    await dialog.getByRole('button', { name: 'Start chat' }).click();

    const input = dialog.getByRole('textbox', { name: 'Message' });
    await input.fill('Is the green sofa in stock?');
    await input.press('Enter');
    await dialog.locator('li[data-author="visitor"]').filter({ hasText: 'Is the green sofa in stock?' }).waitFor();

    const conv = await conversationOf('Anna Petrova');
    expect(conv.contact.username).toBe('anna@example.com');
    expect(conv.context).toMatchObject({ kind: 'page', url: `${t.url}/widget/demo/${ch.body.id}` });
    const note = await t.owner.post(`/api/conversations/${conv.id}/messages`, { text: 'Internal: check the warehouse', private: true });
    expect(note.status).toBe(201);
    const reply = await t.owner.post(`/api/conversations/${conv.id}/messages`, { text: 'Yes! We have two left, delivery in 2 days.' });
    expect(reply.status).toBe(201);

    // Live, without a reload.
    const answer = dialog.locator('li[data-author="operator"]').filter({ hasText: 'Yes! We have two left, delivery in 2 days.' });
    await answer.waitFor({ timeout: 15_000 });
    await expect(answer.textContent()).resolves.toContain('Owner');
    expect(await dialog.getByText('Internal: check the warehouse').count()).toBe(0);
    await input.fill('Great, I will take one');
    const send = dialog.getByRole('button', { name: 'Send' });
    await expect.poll(() => send.evaluate((b) => getComputedStyle(b).opacity)).toBe('1');
    await page.screenshot({ path: path.join(shots, 'widget-open.png'), animations: 'disabled' });
    await input.press('Enter');
    await dialog
      .locator('li[data-author="visitor"]')
      .filter({ hasText: 'Great, I will take one' })
      .locator('.meta')
      .filter({ hasText: /\d/ })
      .waitFor();

    // History survives a reload (the panel reopens as it was left).
    await page.reload();
    const again = page.getByRole('dialog', { name: 'Cosy Sofa Co.' });
    await again.locator('li[data-author="operator"]').filter({ hasText: 'Yes! We have two left' }).waitFor({ timeout: 15_000 });
    const texts = await again.locator('li[data-author] .bubble').allTextContents();
    expect(texts.map((s) => s.replace(/^Owner: /, ''))).toEqual([
      'Is the green sofa in stock?',
      'Yes! We have two left, delivery in 2 days.',
      'Great, I will take one',
    ]);
    // No pre-chat form for a returning visitor; Escape closes and gives focus back to the launcher.
    await again.getByRole('textbox', { name: 'Message' }).click();
    await page.keyboard.press('Escape');
    await expect.poll(() => again.isHidden()).toBe(true);
    await expect
      .poll(() =>
        page.evaluate(() => document.querySelector('[data-switchboard-widget]')?.shadowRoot?.activeElement?.getAttribute('aria-label')),
      )
      .toBe('Open chat');

    // A reply while the panel is closed shows as an unread badge.
    await t.owner.post(`/api/conversations/${conv.id}/messages`, { text: 'We will call you to confirm.' });
    await page.getByRole('button', { name: /Open chat\. 1 new message/ }).waitFor({ timeout: 15_000 });
    await page.close();
  }, 120_000);

  it('works embedded on another site that the channel allows, and stays off on one it does not', async () => {
    const allowed = await t.owner.post('/api/channels', {
      type: 'widget',
      name: 'Allowed shop',
      config: { allowedOrigins: [shopOrigin], locale: 'ru' },
    });
    const elsewhere = await t.owner.post('/api/channels', {
      type: 'widget',
      name: 'Other shop',
      config: { allowedOrigins: ['https://other-shop.example'] },
    });
    const embed = (id: string) => `<!doctype html><html><head><title>Shop</title></head><body><h1>Shop</h1>
      <script src="${t.url}/widget.js" data-channel="${id}" async></script></body></html>`;
    shopPages.set('/allowed', embed(allowed.body.id));
    shopPages.set('/refused', embed(elsewhere.body.id));

    const page = await newPage();
    await page.goto(`${shopOrigin}/allowed`);
    await page.getByRole('button', { name: 'Открыть чат' }).click();
    const input = page.getByRole('textbox', { name: 'Сообщение' });
    await input.fill('Здравствуйте, есть доставка в Казань?');
    await input.press('Enter');
    const conv = await eventually(
      async () => {
        const list = await t.owner.get('/api/conversations?status=all&limit=200');
        return list.body.items.find((c: { channelId: string }) => c.channelId === allowed.body.id);
      },
      15_000,
      'the cross-origin visitor conversation',
    );
    await t.owner.post(`/api/conversations/${conv.id}/messages`, { text: 'Да, доставляем за 4 дня.' });
    await page.getByText('Да, доставляем за 4 дня.').waitFor({ timeout: 15_000 });
    await page.setViewportSize({ width: 390, height: 760 });
    await page.screenshot({ path: path.join(shots, 'widget-mobile-ru.png'), animations: 'disabled' });
    await page.close();

    const refused = await newPage();
    const warnings: string[] = [];
    refused.on('console', (m) => {
      if (m.type() === 'warning') warnings.push(m.text());
    });
    await refused.goto(`${shopOrigin}/refused`);
    await eventually(() => warnings.find((w) => w.includes('cannot be embedded')), 10_000, 'the refusal in the console');
    expect(await refused.locator('[data-switchboard-widget]').count()).toBe(0);
    await refused.close();
  }, 90_000);
});
