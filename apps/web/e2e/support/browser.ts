import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { inject } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../../..');

/** Where the browser tests leave their screenshots. */
export const shots = path.join(root, 'test-results/screenshots');

/**
 * The server serves the built app; build it on a fresh checkout, and in CI once per test run. Test files
 * run side by side: one builds under a lock and stamps the output with the run's id, the others wait for
 * the lock and find the stamp (a second build would empty `dist` under a running test).
 */
export async function buildWebApp(): Promise<void> {
  const dist = path.join(root, 'apps/web/dist');
  const stamp = path.join(dist, '.built-for-run');
  const runId = inject('runId');
  const fresh = async () =>
    process.env.CI ? (await readFile(stamp, 'utf8').catch(() => '')) === runId : existsSync(path.join(dist, 'index.html'));
  if (await fresh()) return;
  await withLock(path.join(root, 'apps/web/.build-lock'), async () => {
    if (await fresh()) return;
    // The runner sets NODE_ENV=test, which would give a development React build.
    await promisify(execFile)('npm', ['run', 'build', '-w', 'apps/web'], { cwd: root, env: { ...process.env, NODE_ENV: 'production' } });
    await writeFile(stamp, runId);
  });
}

/** Runs `work` holding a lock directory (`mkdir` is atomic); a lock older than 10 minutes is a dead holder's. */
async function withLock(dir: string, work: () => Promise<void>): Promise<void> {
  for (;;) {
    try {
      await mkdir(dir);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const age = Date.now() - ((await stat(dir).catch(() => undefined))?.mtimeMs ?? Date.now());
      if (age > 10 * 60_000) await rm(dir, { recursive: true, force: true });
      else await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    await work();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Headless Chromium (CHROMIUM_PATH or the system one), with the screenshot folder ready. */
export async function launchBrowser(): Promise<Browser> {
  await mkdir(shots, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A page in English at the given viewport; errors thrown in the page are printed. */
export async function openPage(browser: Browser, viewport: { width: number; height: number }): Promise<Page> {
  const page = await browser.newPage({ locale: 'en-US', viewport });
  page.on('pageerror', (err) => console.error('page error:', err.message));
  return page;
}

/** The two screens every page is looked at on: a desktop and a 390 px phone. */
export const VIEWPORTS = { desktop: { width: 1440, height: 900 }, phone: { width: 390, height: 844 } } as const;
export type Viewport = keyof typeof VIEWPORTS;
export type Lang = 'en' | 'ru';

/** A page in `lang` at `viewport`, signed in as `who` through the sign-in form. */
export async function signedIn(
  browser: Browser,
  baseUrl: string,
  who: { email: string; password: string },
  lang: Lang,
  viewport: Viewport,
): Promise<Page> {
  const page = await browser.newPage({ locale: lang === 'ru' ? 'ru-RU' : 'en-US', viewport: VIEWPORTS[viewport] });
  page.on('pageerror', (err) => console.error('page error:', err.message));
  await page.addInitScript((l) => localStorage.setItem('switchboard.language', l), lang);
  await page.goto(`${baseUrl}/login`);
  await page.getByTestId('login-email').fill(who.email);
  await page.getByTestId('login-password').fill(who.password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('nav-inbox').waitFor();
  return page;
}

/** A screenshot into test-results/screenshots once animations have settled (endless ones, like a progress bar, aside). */
export async function shot(page: Page, name: string, opts: { fullPage?: boolean } = {}): Promise<void> {
  await page.waitForFunction(() =>
    document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity),
  );
  await page.screenshot({ path: path.join(shots, name), ...opts });
}
