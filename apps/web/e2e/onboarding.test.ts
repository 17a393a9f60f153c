import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInNewAccount, startTestApp, type TestApp } from '../../server/test/support/harness.js';
import type { ApiClient } from '../../server/test/support/api-client.js';
import { buildWebApp, launchBrowser, shot, signedIn, VIEWPORTS, type Lang, type Viewport } from './support/browser.js';

/*
 * A new owner's first screen: the empty inbox says where to start (connect a channel, add the
 * knowledge base) instead of "nothing matches these filters", and a checklist stays until done.
 */

let t: TestApp;
let browser: Browser;
let owner: ApiClient;
const NEW_OWNER = { email: 'first-run@example.com', password: 'first-run-password-long' };

beforeAll(async () => {
  await buildWebApp();
  t = await startTestApp({ env: { SERVE_WEB: 'true' } });
  browser = await launchBrowser();
  owner = await signInNewAccount(t, { ...NEW_OWNER, accountName: 'Новая компания' });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

describe('first run', () => {
  it.each([
    ['en', 'desktop'],
    ['ru', 'desktop'],
    ['ru', 'phone'],
    ['en', 'phone'],
  ] as const)('an empty inbox points to the first steps (%s, %s)', async (lang: Lang, viewport: Viewport) => {
    const page = await signedIn(browser, t.url, NEW_OWNER, lang, viewport);
    const firstRun = page.getByTestId('inbox-first-run');
    await firstRun.waitFor();
    expect(await page.getByTestId('conversation-list-empty').count()).toBe(0);
    await firstRun.getByTestId('first-run-connect-channel').waitFor();
    await firstRun.getByTestId('first-run-knowledge').waitFor();
    if (viewport === 'desktop') {
      const checklist = page.getByTestId('onboarding-checklist');
      await checklist.waitFor();
      for (const step of ['channel', 'knowledge', 'teammate', 'reply']) {
        expect(await checklist.getByTestId(`onboarding-step-${step}`).getAttribute('data-done')).toBeNull();
      }
    }
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(VIEWPORTS[viewport].width).toBeGreaterThan(0);
    await shot(page, `onboarding-${lang}-${viewport}.png`);
    await page.close();
  });

  it('ticks steps off as they are done, and disappears when all are', async () => {
    const page = await signedIn(browser, t.url, NEW_OWNER, 'en', 'desktop');
    await page.getByTestId('first-run-connect-channel').click();
    await page.waitForURL(/\/channels$/);

    const botToken = t.telegram.addBot();
    const channel = await owner.post('/api/channels', { type: 'telegram', name: 'Shop', config: { botToken, mode: 'webhook' } });
    expect(channel.status).toBe(201);
    expect(
      (await owner.post('/api/knowledge/articles', { kind: 'faq', question: 'How fast is delivery?', answer: 'We deliver in two days.' }))
        .status,
    ).toBe(201);
    await page.getByTestId('nav-inbox').click();
    const checklist = page.getByTestId('onboarding-checklist');
    await checklist.getByTestId('onboarding-step-channel').and(page.locator('[data-done]')).waitFor();
    await checklist.getByTestId('onboarding-step-knowledge').and(page.locator('[data-done]')).waitFor();
    expect(await checklist.getByTestId('onboarding-step-teammate').getAttribute('data-done')).toBeNull();
    await shot(page, 'onboarding-progress-en-desktop.png');

    const status = (await owner.get('/api/onboarding')).body;
    expect(status).toEqual({
      steps: { channel: true, knowledge: true, teammate: false, reply: false },
      hasConversations: false,
      done: false,
    });
    await page.close();
  });
});
