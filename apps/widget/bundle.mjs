// The widget as one self-contained script (used by build.mjs, the server in development, and the benchmark).
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Bundles `src/main.ts` into a minified IIFE; returns its code. */
export async function bundleWidget() {
  const result = await build({
    entryPoints: [path.join(here, 'src/main.ts')],
    bundle: true,
    format: 'iife',
    // Host pages run any browser from the last few years; nothing here needs newer syntax.
    target: ['es2019', 'chrome80', 'firefox78', 'safari13'],
    minify: true,
    legalComments: 'none',
    write: false,
    logLevel: 'silent',
    charset: 'utf8',
  });
  return result.outputFiles[0].text;
}
