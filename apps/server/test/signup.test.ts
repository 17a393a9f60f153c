import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestApp, type TestApp } from './support/harness.js';
import { startSmtpSink, type SmtpSink } from './support/mail-servers.js';

let t: TestApp;
let smtp: SmtpSink;

beforeAll(async () => {
  smtp = await startSmtpSink();
  t = await startTestApp({
    env: {
      SIGNUP_ENABLED: 'true',
      TRUST_PROXY: 'true',
      SMTP_URL: `smtp://${encodeURIComponent(smtp.user)}:${encodeURIComponent(smtp.password)}@${smtp.host}:${smtp.port}`,
      MAIL_FROM: 'Switchboard <hello@shop.test>',
    },
  });
});
afterAll(async () => {
  await t?.stop();
  await smtp?.stop();
});

const SIGNUP = { accountName: 'Golf Store', name: 'Gleb', email: 'Gleb@golf.test', password: 'golf-password-2026' };

/** The confirmation link e-mailed to an address. */
async function linkFor(email: string): Promise<string> {
  const mail = await eventually(() => smtp.received.find((m) => m.to.includes(email)), 10_000, 'the sign-up e-mail');
  const link = /https?:\/\/\S+\/signup\?token=[\w-]+/.exec(mail.parsed.text ?? '')?.[0];
  if (!link) throw new Error('no link in the e-mail');
  return new URL(link).searchParams.get('token')!;
}

describe('self-service sign-up', () => {
  it('a verified e-mail creates the account with its owner, signed in; the link works once', async () => {
    expect((await t.anonymous().get('/api/signup')).body).toEqual({ enabled: true });
    const res = await t.anonymous().post('/api/signup', SIGNUP);
    expect(res.status).toBe(202);
    const token = await linkFor('gleb@golf.test');
    // Nothing exists before the link comes back.
    expect((await t.anonymous().login('gleb@golf.test', SIGNUP.password)).status).toBe(401);

    const client = t.anonymous();
    const confirmed = await client.post('/api/signup/confirm', { token });
    expect(confirmed.status).toBe(201);
    expect(confirmed.body.user).toMatchObject({ email: 'gleb@golf.test', name: 'Gleb', role: 'owner', platformAdmin: false });
    expect(confirmed.body.accounts).toEqual([{ id: confirmed.body.user.accountId, name: 'Golf Store', role: 'owner', status: 'active' }]);
    expect((await t.anonymous().login('gleb@golf.test', SIGNUP.password)).status).toBe(200);
    const listed = (await t.owner.get('/api/platform/accounts?q=Golf')).body.items;
    expect(listed).toHaveLength(1);
    expect(listed[0].owners).toEqual(['gleb@golf.test']);

    const again = await t.anonymous().post('/api/signup/confirm', { token });
    expect(again.status).toBe(410);
    expect(again.body.error.code).toBe('signup_link_invalid');
    expect((await t.anonymous().post('/api/signup/confirm', { token: 'x'.repeat(43) })).status).toBe(410);
  });

  it('refuses weak passwords and bad input, and limits requests per address and per IP', async () => {
    const weak = await t.anonymous().post('/api/signup', { ...SIGNUP, email: 'weak@golf.test', password: 'password123' });
    expect(weak.status).toBe(422);
    expect(weak.body.error.code).toBe('weak_password');
    expect((await t.anonymous().post('/api/signup', { ...SIGNUP, email: 'not-an-address' })).status).toBe(400);
    const from = (ip: string) => ({ 'x-forwarded-for': ip });
    const codes: number[] = [];
    for (let i = 0; i < 4; i++)
      codes.push((await t.anonymous().post('/api/signup', { ...SIGNUP, email: 'same@golf.test' }, from(`203.0.113.${i + 1}`))).status);
    expect(codes).toEqual([202, 202, 202, 429]);
    const perIp: number[] = [];
    for (let i = 0; i < 6; i++)
      perIp.push((await t.anonymous().post('/api/signup', { ...SIGNUP, email: `ip${i}@golf.test` }, from('198.51.100.7'))).status);
    expect(perIp).toEqual([202, 202, 202, 202, 202, 429]);
  });
});

describe('sign-up switched off (the default)', () => {
  let off: TestApp;
  beforeAll(async () => {
    off = await startTestApp();
  });
  afterAll(async () => off?.stop());

  it('answers 403 signup_disabled and creates nothing', async () => {
    expect((await off.anonymous().get('/api/signup')).body).toEqual({ enabled: false });
    const res = await off.anonymous().post('/api/signup', SIGNUP);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('signup_disabled');
    expect((await off.anonymous().post('/api/signup/confirm', { token: 'x'.repeat(43) })).body.error.code).toBe('signup_disabled');
  });
});
