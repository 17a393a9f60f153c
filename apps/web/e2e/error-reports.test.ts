import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestApp, type TestApp } from '../../server/test/support/harness.js';
import { FakeSentryIngest } from '../../server/test/fakes/sentry-ingest.js';
import { buildWebApp, launchBrowser, openPage } from './support/browser.js';

/*
 * The web app's error reports in a real browser: it learns the DSN from the server, and an uncaught error
 * or rejection arrives at the ingest through the server, scrubbed of the e-mail, phone and token it quoted.
 */

let t: TestApp;
let browser: Browser;
let ingest: FakeSentryIngest;

beforeAll(async () => {
  await buildWebApp();
  ingest = await new FakeSentryIngest().start();
  t = await startTestApp({ env: { SERVE_WEB: 'true', SENTRY_DSN: ingest.dsn('11', 'webkey0123') }, roles: 'api' });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await t?.stop();
  await ingest?.stop();
});

describe('web app error reports', () => {
  it('sends uncaught errors and rejections through the server, scrubbed', async () => {
    const page = await openPage(browser, { width: 1280, height: 800 });
    await page.goto(`${t.url}/login`);
    await page.waitForLoadState('networkidle');
    await page.evaluate(() => {
      setTimeout(() => {
        throw new TypeError('cannot send to ivan.petrov@example.com (+7 916 123-45-67) with Bearer abc.def-123');
      });
      void Promise.reject(new RangeError('rejected for maria@example.com'));
    });
    const envelopes = await eventually(
      () => (ingest.envelopes.filter((e) => e.path === '/api/11/envelope/').length >= 2 ? ingest.envelopes : null),
      15_000,
      'two reports',
    );
    const events = envelopes.flatMap((e) => e.events);
    const thrown = events.find((e) => e.exception?.values[0]?.type === 'TypeError')!;
    expect(thrown.platform).toBe('javascript');
    expect(thrown.exception!.values[0]!.value).toBe('cannot send to [email] ([phone]) with Bearer [Filtered]');
    expect(thrown.request?.url).toBe(`${t.url}/login`);
    expect(thrown.tags).toEqual({ source: 'window' });
    expect(events.find((e) => e.exception?.values[0]?.type === 'RangeError')!.exception!.values[0]!.value).toBe('rejected for [email]');
    const raw = envelopes.map((e) => e.raw).join('\n');
    for (const secret of ['ivan.petrov', '916 123', 'abc.def-123', 'maria@']) expect(raw).not.toContain(secret);
    await page.close();
  });
});
