import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, OWNER, startTestApp, type TestApp } from '../../server/test/support/harness.js';
import { buildWebApp, launchBrowser, shot, signedIn, VIEWPORTS, type Lang, type Viewport } from './support/browser.js';

let t: TestApp;
let browser: Browser;
let olgaConversation: string;
let olgaContact: string;
let twinContact: string;

beforeAll(async () => {
  await buildWebApp();
  t = await startTestApp({ env: { SERVE_WEB: 'true' } });
  browser = await launchBrowser();
  const telegram = t.telegram.addBot('flowers_bot');
  const other = t.telegram.addBot('flowers_two_bot');
  await t.owner.post('/api/channels', { type: 'telegram', name: 'Цветы', config: { botToken: telegram, mode: 'webhook' } });
  await t.owner.post('/api/channels', { type: 'telegram', name: 'Цветы опт', config: { botToken: other, mode: 'webhook' } });
  await t.telegram.deliver(
    telegram,
    t.telegram.textUpdate(telegram, { chatId: 7001, text: 'Здравствуйте! Можно букет к 8 марта?', firstName: 'Ольга Смирнова' }),
  );
  await t.telegram.deliver(other, t.telegram.textUpdate(other, { chatId: 7002, text: 'Нужно 50 роз оптом', firstName: 'Ольга Смирнова' }));
  await t.telegram.deliver(
    telegram,
    t.telegram.textUpdate(telegram, { chatId: 7003, text: 'Hello, do you deliver?', firstName: 'John Brown' }),
  );
  const list = await eventually(async () => {
    const items = (await t.owner.get('/api/conversations?status=all')).body.items;
    return items.length === 3 ? items : null;
  });
  const olga = list.find((c: { contact: { externalId: string } }) => c.contact.externalId === '7001');
  olgaConversation = olga.id;
  olgaContact = olga.contact.id;
  twinContact = list.find((c: { contact: { externalId: string } }) => c.contact.externalId === '7002').contact.id;
  await t.owner.post('/api/contacts/fields', { key: 'city', label: 'Город', type: 'text' });
  await t.owner.patch(`/api/contacts/${olgaContact}`, {
    phones: ['8 916 123-45-67'],
    notes: 'Постоянный клиент',
    attributes: { city: 'Казань' },
  });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

describe('contacts in the browser', () => {
  it('the conversation view shows the contact panel; notes saved there stay', async () => {
    const page = await signedIn(browser, t.url, OWNER, 'en', 'desktop');
    await page.goto(`${t.url}/inbox/${olgaConversation}`);
    const panel = page.getByTestId('contact-panel');
    await panel.getByText('+79161234567').or(panel.locator('input[value="+79161234567"]')).first().waitFor();
    expect(await panel.getByTestId('contact-notes').inputValue()).toBe('Постоянный клиент');
    await panel.getByTestId('contact-notes').fill('Постоянный клиент, любит розы');
    await panel.getByTestId('contact-save').click();
    await eventually(async () => (await t.owner.get(`/api/contacts/${olgaContact}`)).body.notes === 'Постоянный клиент, любит розы');
    await shot(page, 'contacts-panel-en-desktop.png');
    await page.close();
  }, 60_000);

  it('suggests the duplicate on another channel and merges it', async () => {
    const page = await signedIn(browser, t.url, OWNER, 'ru', 'desktop');
    await page.goto(`${t.url}/contacts`);
    await page.getByTestId('tab-duplicates').click();
    const pair = page.getByTestId('duplicate-pair').first();
    await pair.waitFor();
    await shot(page, 'contacts-duplicates-ru-desktop.png');
    await pair.getByTestId('duplicate-merge').click();
    await page.getByTestId('merge-confirm').click();
    await page.getByTestId('no-duplicates').waitFor();
    const merged = await eventually(async () => {
      const a = await t.owner.get(`/api/contacts/${olgaContact}`);
      const b = await t.owner.get(`/api/contacts/${twinContact}`);
      const kept = a.status === 200 ? a.body : b.body;
      return a.status === 404 || b.status === 404 ? kept : null;
    });
    expect(merged.handles).toHaveLength(2);
    expect(merged.conversations).toHaveLength(2);
    await page.goto(`${t.url}/contacts/${merged.id}`);
    await page.getByTestId('contact-conversations').waitFor();
    expect(await page.getByTestId('contact-handle').count()).toBe(2);
    await shot(page, 'contact-profile-merged-ru-desktop.png', { fullPage: true });
    await page.close();
  }, 60_000);

  for (const lang of ['ru', 'en'] as Lang[]) {
    for (const viewport of Object.keys(VIEWPORTS) as Viewport[]) {
      it(`the list and a profile read well (${lang}, ${viewport})`, async () => {
        const page = await signedIn(browser, t.url, OWNER, lang, viewport);
        await page.goto(`${t.url}/contacts`);
        await page.getByTestId('contact-row').first().waitFor();
        await shot(page, `contacts-list-${lang}-${viewport}.png`);
        await page.getByTestId('contacts-search').fill('john');
        await eventually(async () => (await page.getByTestId('contact-row').count()) === 1);
        await page.getByTestId('contact-row').first().click();
        await page.getByTestId('contact-title').waitFor();
        await shot(page, `contact-profile-${lang}-${viewport}.png`, { fullPage: true });
        await page.close();
      }, 60_000);
    }
  }
});
