/**
 * Widget size: the embeddable script as `npm run build` makes it — raw, gzip -9 (what a server or
 * proxy sends) and brotli — against the budget a third-party script should keep on a shop's page.
 *
 *   npm run bench:widget      → bench/results/widget.json
 */
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { bundleWidget } from '../apps/widget/bundle.mjs';
import { below, environment, info, printChecks, writeResult } from './support/report.js';

const BUDGET_GZIP_BYTES = 40 * 1024;

async function main() {
  const started = performance.now();
  const code = Buffer.from(await bundleWidget());
  const bundleMs = Math.round(performance.now() - started);
  const raw = code.length;
  const gzip = gzipSync(code, { level: 9 }).length;
  const brotli = brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  const checks = [
    info('raw bytes', raw),
    below('gzip -9 bytes', gzip, BUDGET_GZIP_BYTES),
    info('brotli bytes', brotli),
    info('gzip KB', Number((gzip / 1024).toFixed(1))),
    info('bundle time ms', bundleMs),
  ];
  printChecks('Chat widget bundle (/widget.js)', checks);
  const file = await writeResult('widget', {
    name: 'widget',
    date: new Date().toISOString(),
    environment: environment(),
    bytes: { raw, gzip, brotli },
    budget: { gzipBytes: BUDGET_GZIP_BYTES },
    bundleMs,
    pass: gzip < BUDGET_GZIP_BYTES,
  });
  console.log(`wrote ${file}`);
  if (gzip >= BUDGET_GZIP_BYTES) process.exitCode = 1;
}

await main();
