import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { startTestApp, type TestApp } from './support/harness.js';

const TOKEN = 'metrics-token-0123456789abcdef';

/** A scrape as the server sees it: from `from` (the TCP peer), with optional headers. */
async function scrape(t: TestApp, from: string, headers: Record<string, string> = {}) {
  const res = await t.running.http.inject({ method: 'GET', url: '/metrics', remoteAddress: from, headers });
  return { status: res.statusCode, body: res.body, headers: res.headers };
}

describe('/metrics without METRICS_TOKEN', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(async () => await t?.stop());

  it('answers the machine itself and private networks', async () => {
    const res = await fetch(`${t.url}/metrics`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('http_request_duration_seconds');
    for (const from of ['10.1.2.3', '172.17.0.2', '192.168.1.20', '::ffff:192.168.1.20', 'fd12:3456::1', '::1']) {
      expect((await scrape(t, from)).status, from).toBe(200);
    }
  });

  it('refuses public addresses, and requests relayed by a proxy it was not told to trust', async () => {
    for (const from of ['203.0.113.9', '8.8.8.8', '::ffff:8.8.8.8', '2001:db8::1', '169.254.169.254']) {
      const res = await scrape(t, from);
      expect(res.status, from).toBe(403);
      expect(JSON.parse(res.body).error.code).toBe('forbidden');
      expect(res.body).not.toContain('http_request_duration_seconds');
    }
    // A reverse proxy on the same machine makes every visitor look local: its header gives it away.
    expect((await scrape(t, '127.0.0.1', { 'x-forwarded-for': '203.0.113.9' })).status).toBe(403);
    expect((await scrape(t, '127.0.0.1', { 'x-real-ip': '10.0.0.1' })).status).toBe(403);
  });
});

describe('/metrics behind a trusted proxy', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp({ env: { TRUST_PROXY: 'true' } })));
  afterAll(async () => await t?.stop());

  it('judges the address the proxy saw, not what the client wrote further out', async () => {
    expect((await scrape(t, '127.0.0.1', { 'x-forwarded-for': '10.0.0.7' })).status).toBe(200);
    expect((await scrape(t, '127.0.0.1', { 'x-forwarded-for': '203.0.113.9' })).status).toBe(403);
    // The client forged "10.0.0.7"; the proxy appended the address it really came from.
    expect((await scrape(t, '127.0.0.1', { 'x-forwarded-for': '10.0.0.7, 203.0.113.9' })).status).toBe(403);
  });
});

describe('/metrics behind proxies given by address or hop count', () => {
  let byAddress: TestApp;
  let twoHops: TestApp;
  beforeAll(async () => {
    byAddress = await startTestApp({ env: { TRUST_PROXY: '127.0.0.1, 10.20.0.0/16' } });
    twoHops = await startTestApp({ env: { TRUST_PROXY: '2' } });
  });
  afterAll(async () => {
    await byAddress?.stop();
    await twoHops?.stop();
  });

  it('judges the address the trusted proxies saw; a relay it does not know is refused', async () => {
    expect((await scrape(byAddress, '127.0.0.1', { 'x-forwarded-for': '10.0.0.7' })).status).toBe(200);
    expect((await scrape(byAddress, '127.0.0.1', { 'x-forwarded-for': '203.0.113.9, 10.20.1.1' })).status).toBe(403);
    expect((await scrape(byAddress, '10.9.9.9', { 'x-forwarded-for': '10.0.0.7' })).status).toBe(403);
    expect((await scrape(twoHops, '127.0.0.1', { 'x-forwarded-for': '10.0.0.7, 10.0.0.8' })).status).toBe(200);
    expect((await scrape(twoHops, '127.0.0.1', { 'x-forwarded-for': '203.0.113.9, 10.0.0.8' })).status).toBe(403);
  });
});

describe('/metrics with METRICS_TOKEN', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp({ env: { METRICS_TOKEN: TOKEN } })));
  afterAll(async () => await t?.stop());

  it('requires the bearer token from everyone, local or not, and then answers from anywhere', async () => {
    const none = await scrape(t, '127.0.0.1');
    expect(none.status).toBe(401);
    expect(JSON.parse(none.body).error.code).toBe('unauthenticated');
    expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
    expect((await scrape(t, '127.0.0.1', { authorization: `Bearer ${TOKEN}x` })).status).toBe(401);
    expect((await scrape(t, '127.0.0.1', { authorization: `Basic ${TOKEN}` })).status).toBe(401);

    const ok = await scrape(t, '203.0.113.9', { authorization: `Bearer ${TOKEN}` });
    expect(ok.status).toBe(200);
    expect(ok.body).toContain('http_request_duration_seconds');
  });

  it('a token shorter than 16 characters stops the server at boot, naming the variable', () => {
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN: must be at least 16 characters/);
  });
});
