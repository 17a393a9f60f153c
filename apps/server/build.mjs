// Bundles the server (and packages/shared) into dist/main.js (+ one file per worker thread); npm dependencies stay external.
import { build } from 'esbuild';
import { cp, rm } from 'node:fs/promises';
import { entryPoints } from './entry-points.mjs';

await rm('dist', { recursive: true, force: true });
await build({
  // Worker threads run from their own files next to main.js, named like their sources (platform/threads.ts).
  entryPoints,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node24',
  outdir: 'dist',
  packages: 'external',
  sourcemap: true,
  alias: { '@switchboard/shared': '../../packages/shared/src/index.ts' },
});
await cp('drizzle', 'dist/drizzle', { recursive: true });
