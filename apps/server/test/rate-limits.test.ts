import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
