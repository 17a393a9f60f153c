// Bundles the server (and packages/shared) into dist/main.js (+ one file per worker thread); npm dependencies stay external.
import { build } from 'esbuild';
import { cp, rm } from 'node:fs/promises';

await rm('dist', { recursive: true, force: true });
await build({
  // Worker threads run from their own files next to main.js, named like their sources (platform/threads.ts).
  entryPoints: {
    main: 'src/main.ts',
    'classifier.train.thread': 'src/modules/ai/classifier/classifier.train.thread.ts',
    'knowledge.parse.thread': 'src/modules/knowledge/parsing/knowledge.parse.thread.ts',
  },
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
