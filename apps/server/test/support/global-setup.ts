import { randomUUID } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../../src/platform/db/embedded.js';
import { createLogger } from '../../src/platform/logging.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A PostgreSQL URL whose user may create databases; each test file makes its own. */
    pgAdminUrl: string;
    /** Names this test run: work done once per run (the web build) is stamped with it. */
    runId: string;
  }
}

/**
 * One PostgreSQL for the whole run: `TEST_DATABASE_URL` when set, otherwise an embedded server in a
 * temporary directory (the same code path the product uses on its default install).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  project.provide('runId', randomUUID());
  const external = process.env.TEST_DATABASE_URL;
  if (external) {
    project.provide('pgAdminUrl', external);
    return () => Promise.resolve();
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'switchboard-test-'));
  await chmod(dir, 0o755); // as root, PostgreSQL runs as `postgres` and must enter it
  const db = await startEmbeddedPostgres(dir, await freePort(), createLogger('warn'));
  project.provide('pgAdminUrl', db.url);
  return async () => {
    await db.stop();
    await rm(dir, { recursive: true, force: true });
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}
