import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, OWNER, startTestApp, type TestApp } from '../../server/test/support/harness.js';
import { buildWebApp, launchBrowser, shot, signedIn, type Lang, type Viewport } from './support/browser.js';

/*
 * Teamwork in a real browser: bulk actions and tags in the inbox, canned responses with `/`, emoji,
 * snooze presets and waking, keyboard shortcuts, @mentions in notes, the typing warning between two
 * operators, clickable links, and the Teams page (teams, tags, canned responses) in both languages.
 */

let t: TestApp;
let browser: Browser;
let page: Page;
let botToken: string;
const ANNA = { email: 'anna@teamwork.test', password: 'Anna-strong-password-7' };
let annaId: string;

async function customer(chatId: number, firstName: string, text: string) {
  expect(await t.telegram.deliver(botToken, t.telegram.textUpdate(botToken, { chatId, text, firstName }))).toBe(200);
}

const item = (name: string) => page.getByTestId('conversation-item').filter({ hasText: name });

beforeAll(async () => {
  await buildWebApp();
  t = await startTestApp({ env: { SERVE_WEB: 'true' } });
  browser = await launchBrowser();
  botToken = t.telegram.addBot('teamwork_shop_bot');
  expect((await t.owner.post('/api/channels', { type: 'telegram', name: 'Shop', config: { botToken, mode: 'webhook' } })).status).toBe(201);
  annaId = (await t.owner.post('/api/users', { ...ANNA, name: 'Anna Petrova', role: 'supervisor' })).body.id;
  await t.owner.patch('/api/profile', { name: 'Oleg' });
  for (const [name, color] of [
    ['VIP', 'red'],
    ['Wholesale', 'teal'],
    ['Опт', 'grape'],
  ] as const) {
    expect((await t.owner.post('/api/tags', { name, color })).status).toBe(201);
  }
  await t.owner.post('/api/canned-responses', {
    shortcut: 'hi',
    text: 'Hello, {{contact.name}}! This is {{agent.name}}.',
    language: 'en',
    shared: true,
  });
  await t.owner.post('/api/canned-responses', {
    shortcut: 'hi',
    text: 'Здравствуйте, {{contact.name}}! Меня зовут {{agent.name}}.',
    language: 'ru',
    shared: true,
  });
  await t.owner.post('/api/canned-responses', { shortcut: 'delivery', text: 'Delivery takes 2–3 days.', shared: false });
  const channelId = (await t.owner.get('/api/channels')).body.items[0].id as string;
  await t.owner.post('/api/teams', {
    name: 'Support',
    description: 'First line',
    assignment: 'manual',
    members: [{ userId: annaId }],
    channelIds: [channelId],
  });
  await t.owner.post('/api/teams', {
    name: 'Sales',
    assignment: 'least_busy',
    capacity: 5,
    workingHours: { timeZone: 'Europe/Moscow', days: { '1': [{ from: '09:00', to: '18:00' }], '2': [{ from: '09:00', to: '18:00' }] } },
  });
  await customer(7001, 'Irina', 'Hello, where is my order? https://shop.example/orders/42');
  await customer(7002, 'Boris', 'Do you sell wholesale?');
  await customer(7003, 'Maria', 'Is the sofa available in green?');
  page = await signedIn(browser, t.url, OWNER, 'en', 'desktop');
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

describe('teamwork in the inbox', () => {
  it('ticks conversations and tags, then resolves them in one go; the tag filter shows the tagged ones', async () => {
    await page.goto(`${t.url}/inbox`);
    await item('Boris').waitFor();
    await page
      .locator('li', { has: item('Boris') })
      .getByTestId('conversation-check')
      .check();
    await page
      .locator('li', { has: item('Maria') })
      .getByTestId('conversation-check')
      .check();
    await expect.poll(() => page.getByTestId('bulk-count').textContent()).toContain('2');
    await page.getByTestId('bulk-tag').click();
    await page.getByTestId('bulk-tag-option').filter({ hasText: 'Wholesale' }).click();
    await item('Boris').getByTestId('tag-badge').filter({ hasText: 'Wholesale' }).waitFor();
    await item('Maria').getByTestId('tag-badge').filter({ hasText: 'Wholesale' }).waitFor();
    await shot(page, 'teamwork-inbox-tagged-en-desktop.png');

    await page.getByTestId('tag-filter').click();
    await page.getByRole('option', { name: 'Wholesale' }).click();
    await expect.poll(() => page.getByTestId('conversation-item').count()).toBe(2);

    await page
      .locator('li', { has: item('Boris') })
      .getByTestId('conversation-check')
      .check();
    await page
      .locator('li', { has: item('Maria') })
      .getByTestId('conversation-check')
      .check();
    await page.getByTestId('bulk-bar').waitFor();
    await shot(page, 'teamwork-bulk-bar-en-desktop.png');
    await page.getByTestId('bulk-resolve').click();
    await expect.poll(() => page.getByTestId('conversation-item').count()).toBe(0);
    const list = (await t.owner.get('/api/conversations?status=resolved')).body.items.map(
      (c: { contact: { name: string } }) => c.contact.name,
    );
    expect(list.sort()).toEqual(['Boris', 'Maria']);
    await page.goto(`${t.url}/inbox`);
  }, 60_000);

  it('inserts a canned response with / (variables filled), an emoji, and sends it; links in messages are safe', async () => {
    await item('Irina').click();
    const link = page.getByTestId('message-link').first();
    await link.waitFor();
    expect(await link.getAttribute('href')).toBe('https://shop.example/orders/42');
    expect(await link.getAttribute('rel')).toContain('noopener');
    expect(await link.getAttribute('target')).toBe('_blank');

    await page.getByTestId('reply-input').fill('/h');
    await page.getByTestId('canned-picker').waitFor();
    await shot(page, 'teamwork-canned-picker-en-desktop.png');
    // The conversation is in English: the English "hi" comes first.
    expect(await page.getByTestId('canned-option').first().textContent()).toContain('Hello');
    await page.getByTestId('reply-input').press('Enter');
    await expect.poll(() => page.getByTestId('reply-input').inputValue()).toBe('Hello, Irina! This is Oleg.');
    await page.getByTestId('emoji-button').click();
    await page.getByTestId('emoji-picker').getByRole('button', { name: '🙂' }).click();
    expect(await page.getByTestId('reply-input').inputValue()).toBe('Hello, Irina! This is Oleg.🙂');
    await page.getByTestId('reply-send').click();
    const sent = await eventually(() => t.telegram.sent.find((s) => s.token === botToken && s.chatId === '7001'), 15_000, 'the reply');
    expect(sent.text).toBe('Hello, Irina! This is Oleg.🙂');
  }, 60_000);

  it('writes a note @mentioning a colleague', async () => {
    await page.getByTestId('private-toggle').click();
    await page.getByTestId('reply-input').pressSequentially('Please check @An');
    await page.getByTestId('mention-list').waitFor();
    await page.getByTestId('reply-input').press('Enter');
    expect(await page.getByTestId('reply-input').inputValue()).toBe('Please check @Anna Petrova ');
    await page.getByTestId('reply-send').click();
    await page.getByTestId('message-mention').filter({ hasText: '@Anna Petrova' }).waitFor();
    const events = await eventually(async () => {
      const id = page.url().split('/inbox/')[1]!.split('?')[0]!;
      const notes = (await t.owner.get(`/api/conversations/${id}/messages`)).body.items.filter((m: { private: boolean }) => m.private);
      return notes.length ? notes : null;
    });
    expect(events.at(-1).mentions).toEqual([annaId]);

    // A file goes with a note (the paperclip works in note mode only).
    await page
      .getByTestId('attach-input')
      .setInputFiles({ name: 'invoice.txt', mimeType: 'text/plain', buffer: Buffer.from('Invoice 42') });
    await page.getByTestId('pending-files').getByText('invoice.txt').waitFor();
    await page.getByTestId('reply-input').fill('The invoice');
    await page.getByTestId('reply-send').click();
    await page.getByTestId('message').filter({ hasText: 'The invoice' }).getByText('invoice.txt').waitFor();
    await page.getByTestId('private-toggle').click();
  }, 30_000);

  it('warns when a colleague is typing in the same conversation', async () => {
    const id = page.url().split('/inbox/')[1]!.split('?')[0]!;
    const anna = await signedIn(browser, t.url, ANNA, 'en', 'desktop');
    await anna.goto(`${t.url}/inbox/${id}`);
    await anna.getByTestId('reply-input').pressSequentially('We are checking', { delay: 30 });
    await page.getByTestId('collision-warning').filter({ hasText: 'Anna Petrova is typing a reply' }).waitFor({ timeout: 10_000 });
    await shot(page, 'teamwork-collision-en-desktop.png');
    await anna.close();
  }, 60_000);

  it('snoozes with a preset until a time in my zone, and wakes it by hand', async () => {
    await page.getByTestId('snooze').click();
    await page.getByTestId('snooze-oneHour').click();
    await page.getByTestId('snoozed-until').waitFor();
    const id = page.url().split('/inbox/')[1]!.split('?')[0]!;
    const conv = (await t.owner.get(`/api/conversations/${id}`)).body;
    expect(conv.status).toBe('snoozed');
    expect(Math.abs(new Date(conv.snoozedUntil).getTime() - Date.now() - 3600_000)).toBeLessThan(60_000);
    await shot(page, 'teamwork-snoozed-en-desktop.png');
    await page.getByTestId('unsnooze').click();
    await expect.poll(async () => (await t.owner.get(`/api/conversations/${id}`)).body.status).toBe('open');

    // The picker: a date and time in the future.
    await page.getByTestId('snooze').click();
    await page.getByTestId('snooze-pick').click();
    await page.getByTestId('snooze-datetime').waitFor();
    await shot(page, 'teamwork-snooze-picker-en-desktop.png');
    await page.keyboard.press('Escape');
  }, 30_000);

  it('moves with j/k, opens the shortcut help with ?, takes the note box with n and resolves with e', async () => {
    await page.goto(`${t.url}/inbox?status=all`);
    await item('Irina').click();
    await page.getByTestId('conversation-header').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('?');
    await page.getByText('Keyboard shortcuts').waitFor();
    await shot(page, 'teamwork-shortcuts-en-desktop.png');
    await page.keyboard.press('Escape');
    await page.getByText('Keyboard shortcuts').waitFor({ state: 'hidden' });
    const before = page.url();
    await page.keyboard.press('j');
    await expect.poll(() => page.url()).not.toBe(before);
    await page.keyboard.press('k');
    await expect.poll(() => page.url()).toBe(before);
    await page.keyboard.press('n');
    await expect.poll(() => page.getByTestId('private-toggle').getAttribute('aria-pressed')).toBe('true');
    // Typing "e" in the box is text, not a shortcut.
    await page.keyboard.type('e');
    expect(await page.getByTestId('reply-input').inputValue()).toBe('e');
    await page.getByTestId('reply-input').fill('');
    await page.getByTestId('conversation-header').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('e');
    const id = before.split('/inbox/')[1]!.split('?')[0]!;
    await expect.poll(async () => (await t.owner.get(`/api/conversations/${id}`)).body.status).toBe('resolved');
  }, 30_000);

  it('sets my presence by hand from the avatar menu', async () => {
    // The nav rail has grown past 900 px; the avatar sits at its end.
    await page.setViewportSize({ width: 1440, height: 1200 });
    await page.goto(`${t.url}/inbox`);
    await page.getByTestId('user-menu').click();
    await page.getByTestId('presence-away').click();
    await expect.poll(() => page.getByTestId('my-presence').getAttribute('data-status')).toBe('away');
    await page.getByTestId('presence-auto').click();
    await expect.poll(() => page.getByTestId('my-presence').getAttribute('data-status')).toBe('online');
    await page.keyboard.press('Escape');
  }, 20_000);
});

describe('the Teams page and the inbox, in both languages, desktop and phone', () => {
  const cases: [Lang, Viewport][] = [
    ['en', 'desktop'],
    ['ru', 'desktop'],
    ['en', 'phone'],
    ['ru', 'phone'],
  ];
  it.each(cases)(
    '%s %s',
    async (lang, viewport) => {
      const p = await signedIn(browser, t.url, OWNER, lang, viewport);
      await p.goto(`${t.url}/teams`);
      await p.getByTestId('team-card').first().waitFor();
      await shot(p, `teamwork-teams-${lang}-${viewport}.png`, { fullPage: true });
      await p.getByTestId('tab-tags').click();
      await p.getByTestId('tags-table').waitFor();
      await shot(p, `teamwork-tags-${lang}-${viewport}.png`);
      await p.getByTestId('tab-canned').click();
      await p.getByTestId('canned-table').waitFor();
      await shot(p, `teamwork-canned-${lang}-${viewport}.png`);
      await p.getByTestId('tab-teams').click();
      await p.getByTestId('team-edit').first().click();
      await p.getByTestId('team-name').waitFor();
      await shot(p, `teamwork-team-form-${lang}-${viewport}.png`);
      await p.keyboard.press('Escape');
      await p.goto(`${t.url}/inbox?status=all`);
      await p.getByTestId('conversation-item').first().click();
      await p.getByTestId('conversation-header').waitFor();
      await shot(p, `teamwork-conversation-${lang}-${viewport}.png`);
      await p.close();
    },
    60_000,
  );
});
