import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../server/test/support/api-client.js';
import { eventually, OWNER, startTestApp, type TestApp } from '../../server/test/support/harness.js';
import { buildWebApp, launchBrowser, shots, VIEWPORTS } from './support/browser.js';

/*
 * The AI first line's learning loop and evaluation page in a real browser: an operator answers a handed-over
 * question from an FAQ entry, clicks "add this wording", and the bot answers the next customer who asks that
 * way; the owner uploads an evaluation set, runs it, reads the curve and picks the threshold from it. What the
 * owner and an agent see, in Russian and English, on a desktop and a 390 px phone.
 */

let t: TestApp;
let browser: Browser;
let botToken: string;
let loyaltyId: string;
let nextChat = 88_000;
const AGENT = { email: 'oleg@shop.test', password: 'amber-Fjord-lantern-58' };
type Lang = 'en' | 'ru';
type Viewport = keyof typeof VIEWPORTS;

const LOYALTY = {
  question: 'Есть ли у вас программа лояльности?',
  answer: 'Да: с каждого заказа начисляем 5% бонусными баллами, ими можно оплатить до половины следующего заказа.',
};
const DELIVERY = {
  question: 'Сколько стоит доставка по Москве?',
  answer: 'Доставка по Москве стоит 300 рублей, при заказе от 5000 рублей — бесплатно.',
};
const WORDING = 'а за покупки что-нибудь копится?';
const GIST = 'Да, копится: с каждого заказа начисляем 5% бонусными баллами, ими можно оплатить до половины следующего заказа.';

beforeAll(async () => {
  await buildWebApp();
  t = await startTestApp({ env: { SERVE_WEB: 'true' } });
  const accountId = (await t.owner.get('/api/auth/session')).body.user.accountId;
  await t.running.services.identity.addUser(accountId, {
    email: AGENT.email,
    name: 'Олег Петров',
    password: AGENT.password,
    role: 'agent',
  });
  botToken = t.telegram.addBot('shop_bot');
  const ch = await t.owner.post('/api/channels', {
    type: 'telegram',
    name: 'Shop',
    config: { botToken, mode: 'webhook', assistant: { enabled: true } },
  });
  expect(ch.status).toBe(201);
  loyaltyId = (await t.owner.post('/api/knowledge/articles', { kind: 'faq', ...LOYALTY })).body.id;
  await t.owner.post('/api/knowledge/articles', { kind: 'faq', ...DELIVERY });
  browser = await launchBrowser();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

async function newPage(lang: Lang, viewport: Viewport): Promise<Page> {
  const page = await browser.newPage({ locale: lang === 'ru' ? 'ru-RU' : 'en-US', viewport: VIEWPORTS[viewport] });
  page.on('pageerror', (err) => console.error('page error:', err.message));
  await page.addInitScript((l) => localStorage.setItem('switchboard.language', l), lang);
  return page;
}

async function shot(page: Page, name: string): Promise<void> {
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
  await page.screenshot({ path: path.join(shots, name), fullPage: true });
}

async function signIn(page: Page, email: string, password: string) {
  await page.goto(`${t.url}/login`);
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('user-menu').waitFor();
}

/** A customer's message through Telegram; resolves with the conversation once the bot has handled it. */
async function customerSays(text: string, firstName: string) {
  const chatId = nextChat++;
  expect(await t.telegram.deliver(botToken, t.telegram.textUpdate(botToken, { chatId, text, firstName }))).toBe(200);
  return eventually(
    async () => {
      const list = (await t.owner.get('/api/conversations?status=all&limit=200')).body.items;
      const conv = list.find((c: { contact: { externalId: string } }) => c.contact.externalId === String(chatId));
      if (!conv) return null;
      const out = (await t.owner.get(`/api/conversations/${conv.id}/messages`)).body.items.filter(
        (m: { direction: string; status: string }) => m.direction === 'out' && m.status === 'sent',
      );
      return out.length > 0 ? { id: conv.id as string, kind: out[0].ai?.kind as string, text: out[0].text as string } : null;
    },
    15_000,
    `the bot's turn for "${text}"`,
  );
}

describe('learning loop and evaluation in the browser', () => {
  it('an agent answers a handed-over question, adds the wording with one click, and the bot answers the next customer', async () => {
    // Handed over: the customer's words share nothing with the entry. One conversation per screenshot, all before learning.
    const names = ['Anna', 'Boris', 'Vera', 'Gleb', 'Dina'];
    const convs = [];
    for (const name of names) {
      const c = await customerSays(WORDING, name);
      expect(c.kind).toBe('handover');
      convs.push(c);
    }
    const agentApi = new ApiClient(t.url);
    await agentApi.login(AGENT.email, AGENT.password);
    for (const c of convs.slice(1)) expect((await agentApi.post(`/api/conversations/${c.id}/messages`, { text: GIST })).status).toBe(201);

    // The click path itself, as the agent on a desktop in English.
    const page = await newPage('en', 'desktop');
    await signIn(page, AGENT.email, AGENT.password);
    await page.getByTestId('conversation-item').filter({ hasText: 'Anna' }).click();
    await page.getByTestId('message-list').getByText(WORDING).first().waitFor();
    await page.getByTestId('reply-input').fill(GIST);
    await page.getByTestId('reply-send').click();
    const offer = page.getByTestId('wording-offer');
    await offer.waitFor({ timeout: 10_000 });
    expect(await offer.textContent()).toContain(LOYALTY.question);
    await shot(page, 'ai-loop-offer-agent-en-desktop.png');
    await page.getByTestId('wording-offer-accept').click();
    await offer.waitFor({ state: 'detached' });
    const article = (await t.owner.get(`/api/knowledge/articles/${loyaltyId}`)).body;
    expect(article.alternatives).toContain(WORDING);

    // The next customer who asks that way is answered by the bot, with the source linked for the operator.
    const next = await customerSays(WORDING, 'Egor');
    expect(next.kind).toBe('answer');
    expect(next.text.startsWith(LOYALTY.answer)).toBe(true);
    await page.goto(`${t.url}/inbox/${next.id}`);
    const link = page.getByTestId('source-link').first();
    await link.waitFor();
    expect(await link.getAttribute('href')).toBe(`/knowledge?article=${loyaltyId}`);
    await shot(page, 'ai-loop-answered-agent-en-desktop.png');
    await page.close();

    // The other pending offers, as the agent sees them in Russian and English, desktop and phone.
    const views: [Lang, Viewport][] = [
      ['ru', 'desktop'],
      ['ru', 'phone'],
      ['en', 'phone'],
    ];
    for (const [i, [lang, viewport]] of views.entries()) {
      const p = await newPage(lang, viewport);
      await signIn(p, AGENT.email, AGENT.password);
      await p.goto(`${t.url}/inbox/${convs[i + 1]!.id}`);
      await p.getByTestId('wording-offer').waitFor({ timeout: 10_000 });
      await shot(p, `ai-loop-offer-agent-${lang}-${viewport}.png`);
      await p.close();
    }

    // The owner's AI overview shows what learning changed.
    const owner = await newPage('ru', 'desktop');
    await signIn(owner, OWNER.email, OWNER.password);
    await owner.goto(`${t.url}/ai/overview`);
    await owner.getByTestId('learning-card').waitFor();
    expect(await owner.getByTestId('learning-rate').textContent()).toContain('→');
    await shot(owner, 'ai-loop-learning-owner-ru-desktop.png');
    await owner.goto(`${t.url}/ai/settings`);
    await owner.getByTestId('ai-builtin-keyword').first().waitFor();
    await shot(owner, 'ai-loop-settings-owner-ru-desktop.png');
    await owner.close();
  }, 180_000);

  it('the owner uploads an evaluation set, runs it, and picks the threshold from the curve; an agent only looks', async () => {
    const csv = [
      'question,expected',
      `"сколько стоит доставка по москве?","${DELIVERY.question}"`,
      `"${WORDING}","${LOYALTY.question}"`,
      '"доставка в область почём","Сколько стоит доставка по Москве?"',
      '"позовите оператора",-',
      '"у вас есть подарочные сертификаты?",-',
    ].join('\n');
    const page = await newPage('en', 'desktop');
    await signIn(page, OWNER.email, OWNER.password);
    await page.goto(`${t.url}/ai/evaluation`);
    await page.getByTestId('evaluation-panel').waitFor();
    await page.locator('input[type="file"]').setInputFiles({ name: 'set.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await eventually(async () => (await page.getByTestId('evaluation-case').count()) === 5);

    // A bad file is refused with its row numbers, and the set stays as it was.
    await page
      .locator('input[type="file"]')
      .setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from('question,expected\n"a b","No such entry"') });
    await page.getByTestId('evaluation-import-error').getByText('Row 2').waitFor();
    expect(await page.getByTestId('evaluation-case').count()).toBe(5);

    await page.getByTestId('evaluation-run').click();
    await page.getByTestId('evaluation-score').waitFor();
    await page.getByTestId('evaluation-outcome').first().waitFor();
    await shot(page, 'ai-loop-evaluation-owner-en-desktop.png');

    // Click the curve at about 80 %: the shares there are shown; "Use this threshold" saves it.
    const svg = page.getByTestId('evaluation-curve').locator('svg');
    const box = (await svg.boundingBox())!;
    await svg.click({ position: { x: (box.width * (36 + 0.8 * 432)) / 480, y: box.height / 2 } });
    await page.getByTestId('evaluation-use-threshold').click();
    const saved = await eventually(async () => {
      const s = (await t.owner.get('/api/ai/settings')).body.confidenceThreshold;
      return s !== 0.5 ? s : null;
    });
    expect(saved).toBeGreaterThan(0.7);
    expect(saved).toBeLessThan(0.9);
    await t.owner.request('PUT', '/api/ai/settings', { confidenceThreshold: 0.5 });
    await page.close();

    for (const [lang, viewport] of [
      ['ru', 'desktop'],
      ['ru', 'phone'],
      ['en', 'phone'],
    ] as [Lang, Viewport][]) {
      const p = await newPage(lang, viewport);
      await signIn(p, OWNER.email, OWNER.password);
      await p.goto(`${t.url}/ai/evaluation`);
      await p.getByTestId('evaluation-run').click();
      await p.getByTestId('evaluation-score').waitFor();
      await shot(p, `ai-loop-evaluation-owner-${lang}-${viewport}.png`);
      await p.close();
    }

    // An agent may run it and read it, but not change the set or the threshold.
    for (const [lang, viewport] of [
      ['ru', 'desktop'],
      ['en', 'phone'],
    ] as [Lang, Viewport][]) {
      const p = await newPage(lang, viewport);
      await signIn(p, AGENT.email, AGENT.password);
      await p.goto(`${t.url}/ai/evaluation`);
      await p.getByTestId('evaluation-run').click();
      await p.getByTestId('evaluation-score').waitFor();
      expect(await p.getByTestId('evaluation-upload').count()).toBe(0);
      expect(await p.getByTestId('evaluation-use-threshold').count()).toBe(0);
      await shot(p, `ai-loop-evaluation-agent-${lang}-${viewport}.png`);
      await p.close();
    }
  }, 180_000);
});
