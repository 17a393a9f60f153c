import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/harness.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ roles: 'api' });
});
afterAll(() => t?.stop());

interface Operation {
  parameters?: { in: string; name: string; required?: boolean }[];
}

describe('the OpenAPI document', () => {
  it("names the widget's visitor-token header on the routes that take it", async () => {
    const doc = (await t.anonymous().get('/api/openapi.json')).body as { paths: Record<string, Record<string, Operation>> };
    const withToken = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([, op]) => op.parameters?.some((p) => p.in === 'header' && p.name === 'x-widget-token'))
        .map(([method]) => `${method.toUpperCase()} ${path}`),
    );
    expect(withToken).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^GET \/api\/widget\/\{channelId\}\//),
        expect.stringMatching(/^POST \/api\/widget\/\{channelId\}\/messages/),
      ]),
    );
  });
});
