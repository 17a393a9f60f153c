import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { OWNER, startTestApp, type TestApp } from './support/harness.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ env: { TRUST_PROXY: 'true', API_RATE_LIMIT_PER_MIN: '30' } });
});
afterAll(async () => t?.stop());

const login = (email: string, ip: string, password = 'wrong-password') =>
  t.anonymous().request('POST', '/api/auth/login', { email, password }, { 'x-forwarded-for': ip });

describe('rate limits', () => {
  it('login: 10 attempts a minute per address and IP, then 429 too_many_attempts with Retry-After', async () => {
    // From the owner's usual IP the per-address back-off does not apply: only this window does.
    expect((await login(OWNER.email, '10.0.0.1', OWNER.password)).status).toBe(200);
    for (let i = 0; i < 9; i++) expect((await login(OWNER.email, '10.0.0.1')).status).toBe(401);
    const limited = await login(OWNER.email, '10.0.0.1');
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('too_many_attempts');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another address from that IP, and the address from another place the owner used, still get in.
    expect((await login('someone-else@example.com', '10.0.0.1')).status).toBe(401);
    expect((await login(OWNER.email, '10.0.0.2', OWNER.password)).status).toBe(200);
  });

  it('login: behind one proxy, the address it saw counts; entries a client writes further out do not', async () => {
    // Rotating the forged entries neither escapes the per-IP window…
    for (let i = 0; i < 30; i++) expect((await login(`rotate${i}@example.com`, `203.0.113.${i}, 10.0.3.1`)).status).toBe(401);
    const limited = await login('rotate-more@example.com', '203.0.113.99, 10.0.3.1');
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('too_many_attempts');
    // …nor passes for the owner's usual place (10.0.0.1, above): a streak makes a new place wait.
    for (let i = 0; i < 6; i++) expect((await login(OWNER.email, `10.0.4.${i}`)).status).toBe(401);
    expect((await login(OWNER.email, '10.0.0.1, 10.0.4.9', OWNER.password)).status).toBe(429);
  });

  it('TRUST_PROXY: true is one hop, a number that many hops, or the proxies addresses and CIDR ranges', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 192.168.1.5,::1' }).trustProxy).toEqual(['10.0.0.0/8', '192.168.1.5', '::1']);
    expect(() => loadConfig({ TRUST_PROXY: 'proxy.local' })).toThrow(/TRUST_PROXY: must be true, false, a hop count/);
  });

  it('login: 30 attempts a minute per IP, whatever the addresses', async () => {
    for (let i = 0; i < 30; i++) expect((await login(`user${i}@example.com`, '10.1.0.1')).status).toBe(401);
    const limited = await login('someone@example.com', '10.1.0.1');
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('too_many_attempts');
    expect((await login(OWNER.email, '10.1.0.1', OWNER.password)).status).toBe(429);
  });

  it('API: limited per session or token, with Retry-After', async () => {
    const token = (await t.owner.post('/api/tokens', { name: 'busy script' })).body.token as string;
    const script = t.owner.withToken(token);
    const statuses: number[] = [];
    for (let i = 0; i < 35; i++) statuses.push((await script.get('/api/conversations')).status);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(28);
    const limited = await script.get('/api/conversations');
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('rate_limited');
    expect(limited.headers.get('retry-after')).toBeTruthy();
    // The owner's own session has its own budget.
    expect((await t.owner.get('/api/channels')).status).toBe(200);
  });
});
