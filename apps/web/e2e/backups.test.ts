import path from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OWNER, startTestApp, type TestApp } from '../../server/test/support/harness.js';
import { backupTestServer, createDatabaseOn } from '../../server/test/support/backups.js';
import { backupRunner } from '../../server/src/modules/backups/backups.jobs.js';
import { BackupRunner } from '../../server/src/modules/backups/backups.runner.js';
import { freePort } from '../../server/test/support/global-setup.js';
import { buildWebApp, launchBrowser, shot, signedIn } from './support/browser.js';

/*
 * The backups page as the installation's owner sees it (list with size, duration and drill result, an open
 * alert, settings, restore instructions) and as an agent does not (no menu item, no page), in Russian and
 * English, on a desktop and a 390 px phone.
 */

let t: TestApp;
let db: { url: string; drop(): Promise<void> };
let dir: string;
let browser: Browser;
const AGENT = { email: 'agent@example.com', password: 'Quiet-Harbour-7391' };

const LANGS = {
  en: { title: 'Backups', passed: 'Passed', failed: 'Failed', alert: 'Backup failed', restore: 'How to restore' },
  ru: { title: 'Резервные копии', passed: 'Пройдена', failed: 'Ошибка', alert: 'Резервная копия не создана', restore: 'Как восстановить' },
} as const;

beforeAll(async () => {
  await buildWebApp();
  db = await createDatabaseOn(await backupTestServer());
  dir = await mkdtemp(path.join(os.tmpdir(), 'switchboard-e2e-backups-'));
  t = await startTestApp({
    databaseUrl: db.url,
    env: { SERVE_WEB: 'true', BACKUP_DIR: dir, BACKUP_SCHEDULE: 'off', BACKUP_DRILL_SCHEDULE: 'off' },
    roles: 'api',
  });
  const agent = await t.owner.post('/api/users', { ...AGENT, name: 'Olga', role: 'agent' });
  expect(agent.status).toBe(201);
  // One good backup with a passed drill, then an attempt that fails (its S3 store does not answer).
  const runner = backupRunner(t.running.ctx);
  await runner.backup('manual');
  expect((await runner.drill()).status).toBe('succeeded');
  const broken = new BackupRunner({
    db: t.running.ctx.db,
    databaseUrl: db.url,
    embedded: false,
    secrets: t.running.ctx.secrets,
    config: {
      ...t.running.ctx.config.backup,
      dir: undefined,
      s3: {
        bucket: 'b',
        prefix: '',
        endpoint: `http://127.0.0.1:${await freePort()}`,
        region: 'us-east-1',
        accessKeyId: 'x',
        secretAccessKey: 'y',
        forcePathStyle: true,
      },
    },
    log: t.running.ctx.log,
  });
  await expect(broken.backup('schedule')).rejects.toThrow();
  browser = await launchBrowser();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await t?.stop({ keepDatabase: true });
  await db?.drop();
  await rm(dir, { recursive: true, force: true });
});

describe('backups page in a real browser', () => {
  for (const lang of ['en', 'ru'] as const) {
    for (const viewport of ['desktop', 'phone'] as const) {
      it(`the owner sees backups, drill results, the alert and restore instructions (${lang}, ${viewport})`, async () => {
        const page = await signedIn(browser, t.url, OWNER, lang, viewport);
        const text = LANGS[lang];
        if (viewport === 'desktop') {
          await page.getByTestId('nav-backups').click();
        } else {
          await page.goto(`${t.url}/backups`);
        }
        await page.getByRole('heading', { name: text.title, level: 1 }).waitFor();
        const rows = page.getByTestId('backup-row');
        await rows.nth(1).waitFor();
        expect(await rows.count()).toBe(2);
        await page.getByTestId('backup-drill-result').filter({ hasText: text.passed }).waitFor();
        await rows.filter({ hasText: text.failed }).waitFor();
        await page.getByTestId('backup-alert').filter({ hasText: text.alert }).waitFor();
        await page.getByTestId('backup-restore-help').filter({ hasText: text.restore }).waitFor();
        expect(await page.getByTestId('backup-download').count()).toBe(1);
        await shot(page, `backups-owner-${lang}-${viewport}.png`, { fullPage: true });
        await page.close();
      }, 60_000);

      it(`an agent has no backups item and no page (${lang}, ${viewport})`, async () => {
        const page = await signedIn(browser, t.url, AGENT, lang, viewport);
        expect(await page.getByTestId('nav-backups').count()).toBe(0);
        await page.goto(`${t.url}/backups`);
        await page.getByTestId('no-access').waitFor();
        expect(await page.getByTestId('backup-row').count()).toBe(0);
        await shot(page, `backups-agent-${lang}-${viewport}.png`, { fullPage: true });
        await page.close();
      }, 60_000);
    }
  }
});
