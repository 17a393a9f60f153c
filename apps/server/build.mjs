// Bundles the server (and packages/shared) into dist/main.js; npm dependencies stay external.
import { build } from 'esbuild';
import { cp, rm } from 'node:fs/promises';

await rm('dist', { recursive: true, force: true });
await build({
  entryPoints: ['src/main.ts'],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outfile: 'dist/main.js',
  packages: 'external',
  sourcemap: true,
  alias: { '@switchboard/shared': '../../packages/shared/src/index.ts' },
});
await cp('drizzle', 'dist/drizzle', { recursive: true });
