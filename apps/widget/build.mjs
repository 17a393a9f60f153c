// npm run build -w apps/widget → dist/widget.js (served by the product at /widget.js).
import { mkdir, writeFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { bundleWidget } from './bundle.mjs';

const code = await bundleWidget();
await mkdir('dist', { recursive: true });
await writeFile('dist/widget.js', code);
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log(`dist/widget.js ${kb(Buffer.byteLength(code))} (${kb(gzipSync(code, { level: 9 }).length)} gzipped)`);
