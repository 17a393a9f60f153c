// Bundles the server (and packages/shared) into dist/main.js (+ the training thread); npm dependencies stay external.
import { build } from 'esbuild';
import { cp, rm } from 'node:fs/promises';

await rm('dist', { recursive: true, force: true });
await build({
  // Classifier training runs in a worker thread from its own file, next to main.js.
  entryPoints: { main: 'src/main.ts', 'classifier.train.thread': 'src/modules/ai/classifier/classifier.train.thread.ts' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outdir: 'dist',
  packages: 'external',
  sourcemap: true,
  alias: { '@switchboard/shared': '../../packages/shared/src/index.ts' },
});
await cp('drizzle', 'dist/drizzle', { recursive: true });
