import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, OWNER, startTestApp, type TestApp } from '../../server/test/support/harness.js';
import { buildWebApp, launchBrowser, shot, signedIn, type Lang, type Viewport } from './support/browser.js';

let t: TestApp;
let browser: Browser;
const BORIS = { email: 'boris@example.com', password: 'boris-password-long-enough' };

beforeAll(async () => {
  await buildWebApp();
  t = await startTestApp({ env: { SERVE_WEB: 'true' } });
  browser = await launchBrowser();
  const me = (await t.owner.get('/api/auth/session')).body.user;
  await t.running.services.identity.addUser(me.accountId, { ...BORIS, name: 'Борис', role: 'agent' });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

const openChat = async (page: Page) => {
  await page.getByTestId('nav-chat').click();
  await page.getByTestId('chat-page').waitFor();
};

describe('team chat between two browsers', () => {
  it('a channel, live messages, typing, reactions, a thread and a direct message', async () => {
    const anna = await signedIn(browser, t.url, OWNER, 'en', 'desktop');
    const boris = await signedIn(browser, t.url, BORIS, 'ru', 'desktop');
    await openChat(anna);
    await openChat(boris);

    await anna.getByTestId('chat-new-channel').click();
    await anna.getByTestId('chat-channel-name').fill('sales');
    await anna.getByTestId('chat-channel-create').click();
    await anna.getByTestId('chat-channel-title').filter({ hasText: 'sales' }).waitFor();
    // Boris sees the new public channel appear, opens and joins it.
    await boris.locator('[data-testid="chat-channel"][data-name="sales"]').click();
    await boris.getByTestId('chat-join').click();
    await boris.getByTestId('chat-input').waitFor();

    // Anna types: Boris sees "typing", then the message, live.
    await anna.getByTestId('chat-input').pressSequentially('Hello, who takes the lead from Avito?', { delay: 10 });
    await boris.getByTestId('chat-typing').filter({ hasText: 'печатает' }).waitFor({ timeout: 10_000 });
    await anna.getByTestId('chat-input').press('Enter');
    const message = boris.getByTestId('chat-message').filter({ hasText: 'who takes the lead' });
    await message.waitFor({ timeout: 10_000 });

    // Boris reacts: Anna sees it.
    await message.getByTestId('chat-actions').click();
    await boris.getByTestId('react-👍').click();
    await anna.getByTestId('chat-reaction').filter({ hasText: '👍 1' }).waitFor({ timeout: 10_000 });

    // Boris answers in a thread: Anna sees the reply count.
    await message.getByTestId('chat-reply').click();
    const thread = boris.getByRole('dialog');
    await thread.getByTestId('chat-input').fill('Я возьму, @Owner');
    await thread.getByTestId('chat-input').press('Enter');
    await thread.getByTestId('chat-text').filter({ hasText: 'Я возьму' }).waitFor();
    await anna.getByTestId('chat-thread-link').filter({ hasText: '1 reply' }).waitFor({ timeout: 10_000 });
    await shot(boris, 'chat-thread-ru-desktop.png');
    await boris.keyboard.press('Escape');

    // A direct message from Anna: Boris's list shows it unread, the nav counts it.
    await anna.getByTestId('chat-new-direct').click();
    await anna.getByTestId('chat-direct-people').click();
    await anna.getByRole('option', { name: 'Борис' }).click();
    await anna.getByRole('dialog').locator('.mantine-Modal-title').click();
    await anna.getByTestId('chat-direct-start').click();
    await anna.getByTestId('chat-channel-title').filter({ hasText: 'Борис' }).waitFor();
    await anna.getByTestId('chat-input').fill('Can you call Olga back today?');
    await anna.getByTestId('chat-send').click();
    const dm = boris.locator('[data-testid="chat-channel"][data-name="Owner"]');
    await dm.getByTestId('chat-unread').waitFor({ timeout: 10_000 });
    expect(Number(await boris.getByTestId('chat-unread-total').getAttribute('data-count'))).toBeGreaterThanOrEqual(1);
    await dm.click();
    await boris.getByTestId('chat-message').filter({ hasText: 'call Olga back' }).waitFor();
    await eventually(async () => (await dm.getByTestId('chat-unread').count()) === 0, 10_000, 'read');
    await shot(anna, 'chat-en-desktop.png');
    await anna.close();
    await boris.close();
  }, 200_000);

  it('a conversation shared from the inbox arrives in the channel as a card that opens it', async () => {
    const ch = await t.owner.post('/api/channels', { type: 'api', name: 'Shop site', config: {} });
    const token = (await t.owner.post('/api/tokens', { name: 'site' })).body.token as string;
    const res = await t.owner.withToken(token).post(`/api/channels/${ch.body.id}/messages`, {
      messageId: 'm1',
      contact: { externalId: 'c1', name: 'Olga Petrova' },
      text: 'Where is my sofa?',
    });
    const conversationId = res.body.conversationId as string;
    const boris = await signedIn(browser, t.url, BORIS, 'en', 'desktop');
    await openChat(boris);
    await boris.locator('[data-testid="chat-channel"][data-name="sales"]').click();
    const anna = await signedIn(browser, t.url, OWNER, 'en', 'desktop');
    await anna.goto(`${t.url}/inbox/${conversationId}`);
    await anna.getByTestId('conversation-menu').click();
    await anna.getByTestId('share-to-chat').click();
    await anna.getByTestId('share-target').click();
    await anna.getByRole('option', { name: '#sales' }).click();
    await anna.getByTestId('share-send').click();
    const card = boris.getByTestId('chat-card').filter({ hasText: 'Olga Petrova' });
    await card.waitFor({ timeout: 10_000 });
    await shot(boris, 'chat-card-en-desktop.png');
    await card.click();
    await boris.waitForURL(new RegExp(`/inbox/${conversationId}`));
    await anna.close();
    await boris.close();
  }, 120_000);

  for (const lang of ['ru', 'en'] as Lang[]) {
    for (const viewport of ['desktop', 'phone'] as Viewport[]) {
      it(`the chat page (${lang}, ${viewport})`, async () => {
        const page = await signedIn(browser, t.url, OWNER, lang, viewport);
        await openChat(page);
        await page.locator('[data-testid="chat-channel"][data-name="sales"]').click();
        await page.getByTestId('chat-message').first().waitFor();
        await shot(page, `chat-channel-${lang}-${viewport}.png`);
        if (viewport === 'phone') {
          await page.goto(`${t.url}/chat`);
          await page.locator('[data-testid="chat-channel"][data-name="sales"]').waitFor();
          await shot(page, `chat-list-${lang}-${viewport}.png`);
        }
        await page.close();
      }, 120_000);
    }
  }
});
