import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../server/test/support/harness.js';
import { buildWebApp } from './support/browser.js';

/*
 * The operator app as the browser downloads it: compressed, hashed assets cached for a year, the page
 * itself revalidated, and a small main chunk (pages load per route).
 */

let t: TestApp;
beforeAll(async () => {
  await buildWebApp();
  t = await startTestApp({ env: { SERVE_WEB: 'true' }, roles: 'api' });
}, 180_000);
afterAll(() => t?.stop());

describe('the web bundle', () => {
  it('serves index.html uncached and the hashed assets brotli-compressed and immutable', async () => {
    for (const route of ['/', '/inbox', '/reports']) {
      const page = await fetch(`${t.url}${route}`, { headers: { 'accept-encoding': 'br, gzip' } });
      expect(page.status).toBe(200);
      expect(page.headers.get('cache-control')).toBe('no-cache');
    }
    const html = await (await fetch(`${t.url}/`)).text();
    const main = /<script type="module" crossorigin src="\/(assets\/index-[^"]+\.js)"/.exec(html)?.[1];
    expect(main).toBeDefined();

    const br = await fetch(`${t.url}/${main}`, { headers: { 'accept-encoding': 'br, gzip' } });
    expect(br.status).toBe(200);
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(br.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(br.headers.get('content-type')).toMatch(/javascript/);
    const gz = await fetch(`${t.url}/${main}`, { headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers.get('content-encoding')).toBe('gzip');

    // Uncompressed size of the main chunk (fetch decodes): was 775 KB before pages were split by route.
    const plain = await (await fetch(`${t.url}/${main}`, { headers: { 'accept-encoding': 'identity' } })).arrayBuffer();
    expect(plain.byteLength).toBeLessThan(350 * 1024);
    const compressed = Number(br.headers.get('content-length') ?? (await br.arrayBuffer()).byteLength);
    expect(compressed).toBeLessThan(plain.byteLength / 2.5);
  });
});
