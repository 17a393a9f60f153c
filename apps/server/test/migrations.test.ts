import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../..');

describe('migrations', () => {
  it('the committed SQL migrations match the Drizzle schema', async () => {
    const out = await mkdtemp(path.join(os.tmpdir(), 'switchboard-drizzle-'));
    try {
      await cp(path.join(root, 'apps/server/drizzle'), out, { recursive: true });
      const before = await readdir(out);
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [
          path.join(root, 'node_modules/drizzle-kit/bin.cjs'),
          'generate',
          '--dialect=postgresql',
          '--schema=apps/server/src/platform/db/schema.ts',
          `--out=${out}`,
        ],
        { cwd: root },
      );
      expect(await readdir(out), `drizzle-kit generated a migration; run npm run db:generate and commit it:\n${stdout}`).toEqual(before);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  }, 60_000);
});
