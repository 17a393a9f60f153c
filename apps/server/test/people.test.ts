import pg from 'pg';
import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { type ApiClient } from './support/api-client.js';
import { eventually, OWNER, startTestApp, type TestApp } from './support/harness.js';
import { startSmtpSink, type SmtpSink } from './support/mail-servers.js';
import { SseReader } from './support/sse.js';

let t: TestApp;
let smtp: SmtpSink;
let db: pg.Client;

beforeAll(async () => {
  smtp = await startSmtpSink();
  t = await startTestApp({
    env: {
      SMTP_URL: `smtp://${encodeURIComponent(smtp.user)}:${encodeURIComponent(smtp.password)}@${smtp.host}:${smtp.port}`,
      MAIL_FROM: 'Switchboard <team@shop.test>',
      // Every sign-in here comes from 127.0.0.1: the per-IP limit is raised (one test pushes past it on purpose).
      LOGIN_IP_LIMIT_PER_MIN: '1000',
    },
  });
  db = new pg.Client({ connectionString: t.databaseUrl });
  await db.connect();
});
afterAll(async () => {
  await db?.end();
  await t?.stop();
  await smtp?.stop();
});

const GOOD_PASSWORD = 'violet-harbour-lantern-42';

/** The link (and its token) of the last e-mail to an address. */
async function mailedLink(to: string, path: '/invite' | '/reset-password', after = 0) {
  const mail = await eventually(
    () => smtp.received.slice(after).find((m) => m.to.includes(to) && (m.parsed.text ?? '').includes(path)),
    10_000,
    `an e-mail to ${to}`,
  );
  const link = (mail.parsed.text ?? '').match(/https?:\/\/\S+/)![0];
  return { link, token: new URL(link).searchParams.get('token')!, mail };
}

async function invite(email: string, role = 'agent') {
  const before = smtp.received.length;
  const res = await t.owner.post('/api/invitations', { email, role });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { res, ...(await mailedLink(email, '/invite', before)) };
}

/** Invites, accepts and returns a signed-in client of the new member. */
async function newMember(email: string, role = 'agent') {
  const { token } = await invite(email, role);
  const client = t.anonymous();
  const accepted = await client.request('POST', '/api/invitations/accept', { token, name: email.split('@')[0], password: GOOD_PASSWORD });
  expect(accepted.status, JSON.stringify(accepted.body)).toBe(201);
  adoptSession(client, accepted);
  return { client, id: accepted.body.user.id as string };
}

function adoptSession(client: ApiClient, res: { body: { csrfToken: string }; headers: Headers }) {
  client.csrfToken = res.body.csrfToken;
  client.cookie = res.headers
    .getSetCookie()
    .find((c) => c.startsWith('sb_session='))!
    .split(';')[0];
}

const codeAt = (secret: string, steps = 0) => generate({ secret, epoch: Math.floor(Date.now() / 1000) + steps * 30 });

describe('mail settings', () => {
  it('SMTP_URL and MAIL_FROM, with the former alert names still read as a fallback', () => {
    const base = { DATABASE_URL: 'postgres://x@127.0.0.1/x' };
    const old = loadConfig({ ...base, ALERT_SMTP_URL: 'smtp://old.test:25', ALERT_EMAIL_FROM: 'Old <a@old.test>' }, []);
    expect([old.smtpUrl, old.mailFrom]).toEqual(['smtp://old.test:25', 'Old <a@old.test>']);
    const both = loadConfig(
      { ...base, SMTP_URL: 'smtp://new.test:587', ALERT_SMTP_URL: 'smtp://old.test:25', MAIL_FROM: 'New <n@new.test>' },
      [],
    );
    expect([both.smtpUrl, both.mailFrom]).toEqual(['smtp://new.test:587', 'New <n@new.test>']);
    expect(loadConfig(base, []).smtpUrl).toBeUndefined();
  });
});

describe('invitations', () => {
  it('invite → e-mailed link → accept with name and password → signed in with the invited role', async () => {
    const { res, mail, token } = await invite('ivan@example.com', 'supervisor');
    expect(res.body).toMatchObject({ email: 'ivan@example.com', role: 'supervisor', status: 'pending', mailed: true, link: null });
    expect(mail.from).toBe('team@shop.test');
    const preview = await t.anonymous().post('/api/invitations/preview', { token });
    expect(preview.body).toMatchObject({ email: 'ivan@example.com', role: 'supervisor' });

    const client = t.anonymous();
    const accepted = await client.post('/api/invitations/accept', { token, name: 'Ivan Petrov', password: GOOD_PASSWORD });
    expect(accepted.status).toBe(201);
    expect(accepted.body.user).toMatchObject({ email: 'ivan@example.com', name: 'Ivan Petrov', role: 'supervisor' });
    adoptSession(client, accepted);
    expect((await client.get('/api/auth/session')).body.user.name).toBe('Ivan Petrov');
    // The link is single use.
    const again = await t.anonymous().post('/api/invitations/accept', { token, name: 'Someone', password: GOOD_PASSWORD });
    expect([again.status, again.body.error.code]).toEqual([410, 'invitation_invalid']);
    // And the password works from the sign-in page.
    expect((await t.anonymous().login('ivan@example.com', GOOD_PASSWORD)).status).toBe(200);
    const audit = (await t.owner.get('/api/audit?limit=50')).body.items.map((e: { action: string }) => e.action);
    expect(audit).toEqual(expect.arrayContaining(['invitation.created', 'invitation.accepted']));
  });

  it('refuses expired, revoked and replaced links, weak passwords, and a second invitation of a member', async () => {
    const first = await invite('olga@example.com');
    const weak = await t.anonymous().post('/api/invitations/accept', { token: first.token, name: 'Olga', password: 'password123' });
    expect([weak.status, weak.body.error.code]).toEqual([422, 'weak_password']);
    // Resend: a new link, the old one stops working.
    const resent = await t.owner.post(`/api/invitations/${first.res.body.id}/resend`);
    expect(resent.status).toBe(200);
    const second = await mailedLink('olga@example.com', '/invite', smtp.received.indexOf(first.mail) + 1);
    expect(second.token).not.toBe(first.token);
    expect(
      (await t.anonymous().post('/api/invitations/accept', { token: first.token, name: 'Olga', password: GOOD_PASSWORD })).status,
    ).toBe(410);
    // Revoked.
    expect((await t.owner.delete(`/api/invitations/${first.res.body.id}`)).status).toBe(204);
    expect(
      (await t.anonymous().post('/api/invitations/accept', { token: second.token, name: 'Olga', password: GOOD_PASSWORD })).status,
    ).toBe(410);
    // Expired.
    const third = await invite('olga@example.com');
    await db.query(`update invitations set expires_at = now() - interval '1 second' where id = $1`, [third.res.body.id]);
    const expired = await t.anonymous().post('/api/invitations/accept', { token: third.token, name: 'Olga', password: GOOD_PASSWORD });
    expect([expired.status, expired.body.error.code]).toEqual([410, 'invitation_invalid']);
    const listed = (await t.owner.get('/api/invitations')).body.items.find((i: { id: string }) => i.id === third.res.body.id);
    expect(listed.status).toBe('expired');
    // Someone already in the account.
    const dup = await t.owner.post('/api/invitations', { email: OWNER.email, role: 'agent' });
    expect([dup.status, dup.body.error.code]).toEqual([409, 'conflict']);
    // Unknown token.
    expect(
      (await t.anonymous().post('/api/invitations/accept', { token: 'x'.repeat(43), name: 'X', password: GOOD_PASSWORD })).status,
    ).toBe(410);
  });

  it('nobody invites with a role above their own; agents cannot invite at all', async () => {
    const sup = await newMember('sup@example.com', 'supervisor');
    const byAgent = await newMember('agent1@example.com', 'agent');
    const agentTry = await byAgent.client.post('/api/invitations', { email: 'x@example.com', role: 'agent' });
    expect([agentTry.status, agentTry.body.error.code]).toEqual([403, 'forbidden']);
    const supTry = await sup.client.post('/api/invitations', { email: 'x@example.com', role: 'owner' });
    expect(supTry.status).toBe(403);
  });

  it('without a mail server the inviter gets the link to pass on', async () => {
    const bare = await startTestApp({ telegram: t.telegram });
    try {
      const res = await bare.owner.post('/api/invitations', { email: 'nomail@example.com', role: 'agent' });
      expect(res.status).toBe(201);
      expect(res.body.mailed).toBe(false);
      expect(res.body.link).toMatch(/\/invite\?token=/);
      const token = new URL(res.body.link).searchParams.get('token')!;
      const accepted = await bare.anonymous().post('/api/invitations/accept', { token, name: 'No Mail', password: GOOD_PASSWORD });
      expect(accepted.status).toBe(201);
    } finally {
      await bare.stop({ keepDatabase: false });
    }
  });

  it('the platform cabinet can invite a new account owner inside its own transaction', async () => {
    const { transaction } = await import('../src/platform/db/transaction.js');
    const before = smtp.received.length;
    const sent = await transaction(t.running.ctx.pool, async (tx) => {
      const { rows } = await tx.client.query<{ id: string }>(`insert into accounts (name) values ('Cabinet Co') returning id`);
      return t.running.services.invitations.inviteToAccount(tx, {
        accountId: rows[0]!.id,
        email: 'boss@cabinet.test',
        role: 'owner',
        invitedBy: null,
      });
    });
    expect(sent.link).toMatch(/\/invite\?token=/);
    const { token } = await mailedLink('boss@cabinet.test', '/invite', before);
    const accepted = await t.anonymous().post('/api/invitations/accept', { token, name: 'Boss', password: GOOD_PASSWORD });
    expect(accepted.body.user).toMatchObject({ role: 'owner', email: 'boss@cabinet.test' });
  });
});

describe('forgot password', () => {
  it('202 for any address; the link sets a new password once and ends every earlier session and token', async () => {
    const m = await newMember('reset-me@example.com');
    const other = t.anonymous();
    expect((await other.login('reset-me@example.com', GOOD_PASSWORD)).status).toBe(200);
    const token = (await m.client.post('/api/tokens', { name: 'script' })).body.token as string;
    const stream = await SseReader.open(`${t.url}/api/events`, { cookie: other.cookie! });
    expect(stream.status).toBe(200);

    const before = smtp.received.length;
    const known = await t.anonymous().post('/api/auth/password-reset', { email: 'Reset-Me@example.com' });
    const unknown = await t.anonymous().post('/api/auth/password-reset', { email: 'nobody-here@example.com' });
    expect([known.status, unknown.status]).toEqual([202, 202]);
    expect(known.body).toEqual(unknown.body);
    const { token: resetToken } = await mailedLink('reset-me@example.com', '/reset-password', before);

    const weak = await t.anonymous().post('/api/auth/password-reset/confirm', { token: resetToken, password: 'qwerty12345' });
    expect([weak.status, weak.body.error.code]).toEqual([422, 'weak_password']);
    const ok = await t.anonymous().post('/api/auth/password-reset/confirm', { token: resetToken, password: 'brand-new-quiet-meadow-9' });
    expect(ok.status).toBe(200);
    // Every earlier session and the API token end; the open stream closes.
    expect((await m.client.get('/api/auth/session')).status).toBe(401);
    expect((await other.get('/api/auth/session')).status).toBe(401);
    expect((await t.anonymous().withToken(token).get('/api/auth/session')).status).toBe(401);
    await eventually(() => stream.ended, 15_000, 'the stream of the old session to close');
    // Single use; the old password no longer works, the new one does.
    const reused = await t.anonymous().post('/api/auth/password-reset/confirm', { token: resetToken, password: 'another-quiet-meadow-10' });
    expect([reused.status, reused.body.error.code]).toEqual([410, 'reset_link_invalid']);
    expect((await t.anonymous().login('reset-me@example.com', GOOD_PASSWORD)).status).toBe(401);
    expect((await t.anonymous().login('reset-me@example.com', 'brand-new-quiet-meadow-9')).status).toBe(200);
    // Nothing was mailed to the unknown address.
    expect(smtp.received.some((r) => r.to.includes('nobody-here@example.com'))).toBe(false);
  });

  it('an expired link is refused; requests are rate-limited per IP with the same answer for everyone', async () => {
    await newMember('expire@example.com');
    const before = smtp.received.length;
    await t.anonymous().post('/api/auth/password-reset', { email: 'expire@example.com' }, { 'x-forwarded-for': '10.9.9.9' });
    const { token } = await mailedLink('expire@example.com', '/reset-password', before);
    await db.query(`update password_resets set expires_at = now() - interval '1 second' where used_at is null`);
    const res = await t.anonymous().post('/api/auth/password-reset/confirm', { token, password: 'brand-new-quiet-meadow-9' });
    expect([res.status, res.body.error.code]).toEqual([410, 'reset_link_invalid']);

    const burst = [];
    for (let i = 0; i < 7; i++) burst.push((await t.anonymous().post('/api/auth/password-reset', { email: `x${i}@example.com` })).status);
    expect(burst).toContain(429);
  });
});

describe('password reset: limits and the manager fallback', () => {
  it('at most 3 links an hour per person, answered alike; a manager gets a link for a teammate', async () => {
    const m = await newMember('limits@example.com');
    await db.query(`delete from rate_limit_hits where key like 'reset-ip:%'`);
    await db.query(
      `insert into password_resets (token_hash, user_id, expires_at) select md5(random()::text), $1, now() + interval '1 hour' from generate_series(1, 3)`,
      [m.id],
    );
    const before = smtp.received.length;
    expect((await t.anonymous().post('/api/auth/password-reset', { email: 'limits@example.com' })).status).toBe(202);
    // A later request for another address is mailed, so this one had its chance to be too.
    await newMember('limits-control@example.com');
    await t.anonymous().post('/api/auth/password-reset', { email: 'limits-control@example.com' });
    await mailedLink('limits-control@example.com', '/reset-password', before);
    expect(
      smtp.received.slice(before).some((r) => r.to.includes('limits@example.com') && (r.parsed.text ?? '').includes('/reset-password')),
    ).toBe(false);

    // The manager's fallback: mailed here (SMTP is set), audited; agents may not.
    const byOwner = await t.owner.post(`/api/users/${m.id}/password-reset`);
    expect(byOwner.body).toEqual({ link: null, mailed: true });
    const agent = await newMember('limits-agent@example.com');
    expect((await agent.client.post(`/api/users/${m.id}/password-reset`)).status).toBe(403);
    await db.query(`delete from rate_limit_hits where key like 'reset-ip:%'`);
  });
});

describe('two-factor sign-in', () => {
  it('enrol with a QR secret, sign in with a code, then with a recovery code once; wrong codes refused', async () => {
    const m = await newMember('totp@example.com');
    const setup = await m.client.post('/api/profile/two-factor/setup');
    expect(setup.body.uri).toMatch(/^otpauth:\/\/totp\//);
    const secret = setup.body.secret as string;
    const wrong = await m.client.post('/api/profile/two-factor/confirm', { code: '000000' });
    expect(wrong.body.error.code).toBe('invalid_two_factor_code');
    const confirmed = await m.client.post('/api/profile/two-factor/confirm', { code: await codeAt(secret, -1) });
    expect(confirmed.status).toBe(200);
    const codes = confirmed.body.recoveryCodes as string[];
    expect(codes).toHaveLength(10);
    const stored = await db.query(`select secret_sealed from two_factor where user_id = $1`, [m.id]);
    expect(stored.rows[0].secret_sealed).not.toContain(secret);

    // Password alone is not enough.
    const step1 = await t.anonymous().request('POST', '/api/auth/login', { email: 'totp@example.com', password: GOOD_PASSWORD });
    expect(step1.status).toBe(200);
    expect(step1.body).toMatchObject({ twoFactorRequired: true, enrolmentRequired: false });
    expect(step1.headers.getSetCookie().some((c) => c.startsWith('sb_session='))).toBe(false);
    const bad = await t.anonymous().post('/api/auth/login/2fa', { challenge: step1.body.challenge, code: '123456' });
    expect([bad.status, bad.body.error.code]).toEqual([401, 'invalid_two_factor_code']);
    const good = await t.anonymous().post('/api/auth/login/2fa', { challenge: step1.body.challenge, code: await codeAt(secret, 0) });
    expect(good.status).toBe(200);
    expect(good.body.user.email).toBe('totp@example.com');
    // The same code again (a replay) and a used challenge are refused.
    const step1b = await t.anonymous().request('POST', '/api/auth/login', { email: 'totp@example.com', password: GOOD_PASSWORD });
    const replay = await t.anonymous().post('/api/auth/login/2fa', { challenge: step1b.body.challenge, code: await codeAt(secret, 0) });
    expect(replay.body.error.code).toBe('invalid_two_factor_code');
    const usedChallenge = await t
      .anonymous()
      .post('/api/auth/login/2fa', { challenge: step1.body.challenge, code: await codeAt(secret, 1) });
    expect(usedChallenge.body.error.code).toBe('two_factor_challenge_invalid');

    // A recovery code works once.
    const viaRecovery = await t
      .anonymous()
      .post('/api/auth/login/2fa', { challenge: step1b.body.challenge, recoveryCode: codes[0]!.toUpperCase() });
    expect(viaRecovery.status).toBe(200);
    const step1c = await t.anonymous().request('POST', '/api/auth/login', { email: 'totp@example.com', password: GOOD_PASSWORD });
    const reuse = await t.anonymous().post('/api/auth/login/2fa', { challenge: step1c.body.challenge, recoveryCode: codes[0] });
    expect(reuse.body.error.code).toBe('invalid_two_factor_code');
    expect((await m.client.get('/api/profile/two-factor')).body).toMatchObject({ enabled: true, recoveryCodesLeft: 9 });
  });

  it('new recovery codes and turning off need a current code', async () => {
    const m = await newMember('renew@example.com');
    const { secret } = (await m.client.post('/api/profile/two-factor/setup')).body;
    const first = (await m.client.post('/api/profile/two-factor/confirm', { code: await codeAt(secret, -1) })).body.recoveryCodes;
    expect((await m.client.post('/api/profile/two-factor/recovery-codes', { code: '999999' })).body.error.code).toBe(
      'invalid_two_factor_code',
    );
    const renewed = await m.client.post('/api/profile/two-factor/recovery-codes', { code: await codeAt(secret, 0) });
    expect(renewed.body.recoveryCodes).toHaveLength(10);
    // The old codes stopped working.
    const step1 = await t.anonymous().request('POST', '/api/auth/login', { email: 'renew@example.com', password: GOOD_PASSWORD });
    expect((await t.anonymous().post('/api/auth/login/2fa', { challenge: step1.body.challenge, recoveryCode: first[0] })).status).toBe(401);
    // A token cannot change two-factor sign-in; the session turns it off with a code.
    const token = (await m.client.post('/api/tokens', { name: 'x' })).body.token as string;
    expect(
      (
        await t
          .anonymous()
          .withToken(token)
          .post('/api/profile/two-factor/disable', { code: await codeAt(secret, 1) })
      ).status,
    ).toBe(403);
    expect((await m.client.post('/api/profile/two-factor/disable', { code: await codeAt(secret, 1) })).status).toBe(204);
    const plain = await t.anonymous().login('renew@example.com', GOOD_PASSWORD);
    expect(plain.body.user.email).toBe('renew@example.com');
  });

  it('a challenge allows five tries, then the password step is needed again', async () => {
    const m = await newMember('five@example.com');
    const { secret } = (await m.client.post('/api/profile/two-factor/setup')).body;
    await m.client.post('/api/profile/two-factor/confirm', { code: await codeAt(secret, -1) });
    const step1 = await t.anonymous().request('POST', '/api/auth/login', { email: 'five@example.com', password: GOOD_PASSWORD });
    for (let i = 0; i < 5; i++)
      expect((await t.anonymous().post('/api/auth/login/2fa', { challenge: step1.body.challenge, code: '111111' })).status).toBe(401);
    const sixth = await t.anonymous().post('/api/auth/login/2fa', { challenge: step1.body.challenge, code: await codeAt(secret, 0) });
    expect(sixth.body.error.code).toBe('two_factor_challenge_invalid');
  });

  it('codes count against the per-IP sign-in limit like passwords do', async () => {
    const m = await newMember('ip-limit@example.com');
    const { secret } = (await m.client.post('/api/profile/two-factor/setup')).body;
    await m.client.post('/api/profile/two-factor/confirm', { code: await codeAt(secret, -1) });
    const step1 = await t.anonymous().request('POST', '/api/auth/login', { email: 'ip-limit@example.com', password: GOOD_PASSWORD });
    // This app does not trust proxies: every attempt comes from 127.0.0.1, as if a thousand had been made this minute.
    await db.query(`update rate_limit_hits set count = 100000, window_start = now() where key = 'login-ip:127.0.0.1'`);
    const refused = await t.anonymous().post('/api/auth/login/2fa', { challenge: step1.body.challenge, code: await codeAt(secret, 0) });
    expect([refused.status, refused.body.error.code]).toEqual([429, 'too_many_attempts']);
    await db.query(`delete from rate_limit_hits where key = 'login-ip:127.0.0.1'`);
    const ok = await t.anonymous().post('/api/auth/login/2fa', { challenge: step1.body.challenge, code: await codeAt(secret, 0) });
    expect(ok.status).toBe(200);
  });

  it('a remembered browser skips the second step for 30 days', async () => {
    const m = await newMember('remember@example.com');
    const { secret } = (await m.client.post('/api/profile/two-factor/setup')).body;
    await m.client.post('/api/profile/two-factor/confirm', { code: await codeAt(secret, -1) });
    const step1 = await t.anonymous().request('POST', '/api/auth/login', { email: 'remember@example.com', password: GOOD_PASSWORD });
    const done = await t
      .anonymous()
      .post('/api/auth/login/2fa', { challenge: step1.body.challenge, code: await codeAt(secret, 0), rememberDevice: true });
    const remembered = done.headers
      .getSetCookie()
      .find((c) => c.startsWith('sb_device_2fa='))!
      .split(';')[0]!;
    const again = await t
      .anonymous()
      .request('POST', '/api/auth/login', { email: 'remember@example.com', password: GOOD_PASSWORD }, { cookie: remembered });
    expect(again.body.twoFactorRequired).toBeUndefined();
    expect(again.body.user.email).toBe('remember@example.com');
  });

  it('owners and admins must enrol at sign-in when the account requires it', async () => {
    const admin = await newMember('admin2fa@example.com', 'admin');
    expect((await t.owner.request('PUT', '/api/account/two-factor-policy', { requireTwoFactor: true })).status).toBe(200);
    try {
      // Agents are not obliged.
      await newMember('agent-no2fa@example.com', 'agent');
      expect((await t.anonymous().login('agent-no2fa@example.com', GOOD_PASSWORD)).body.twoFactorRequired).toBeUndefined();

      const step1 = await t.anonymous().request('POST', '/api/auth/login', { email: 'admin2fa@example.com', password: GOOD_PASSWORD });
      expect(step1.body).toMatchObject({ twoFactorRequired: true, enrolmentRequired: true });
      const setup = await t.anonymous().post('/api/auth/login/2fa/enrol', { challenge: step1.body.challenge });
      expect(setup.body.uri).toMatch(/^otpauth:/);
      const done = await t
        .anonymous()
        .post('/api/auth/login/2fa', { challenge: step1.body.challenge, code: await codeAt(setup.body.secret, 0) });
      expect(done.status).toBe(200);
      expect(done.body.recoveryCodes).toHaveLength(10);
      // Turning it off is refused while the account requires it.
      const off = await admin.client.post('/api/profile/two-factor/disable', { code: await codeAt(setup.body.secret, 1) });
      expect(off.body.error.code).toBe('two_factor_required');
      expect((await t.owner.get('/api/team/members')).body.items.find((x: { id: string }) => x.id === admin.id).twoFactor).toBe(true);
      // A manager resets a lost authenticator.
      expect((await t.owner.delete(`/api/users/${admin.id}/two-factor`)).status).toBe(204);
      const again = await t.anonymous().request('POST', '/api/auth/login', { email: 'admin2fa@example.com', password: GOOD_PASSWORD });
      expect(again.body.enrolmentRequired).toBe(true);
    } finally {
      await t.owner.request('PUT', '/api/account/two-factor-policy', { requireTwoFactor: false });
    }
  });
});

describe('cutting someone off', () => {
  it('deactivate: sessions, tokens, bridge links and streams end at once; conversations return to the queue; no sign-in', async () => {
    const m = await newMember('leaver@example.com');
    const token = (await m.client.post('/api/tokens', { name: 'leaver-script' })).body.token as string;
    const stream = await SseReader.open(`${t.url}/api/events`, { cookie: m.client.cookie! });
    const tokenStream = await SseReader.open(`${t.url}/api/events`, { authorization: `Bearer ${token}` });
    expect([stream.status, tokenStream.status]).toEqual([200, 200]);

    // A conversation they hold and a Telegram bridge link of theirs.
    const botToken = t.telegram.addBot();
    const channel = await t.owner.post('/api/channels', { type: 'telegram', name: 'Leaver bot', config: { botToken, mode: 'webhook' } });
    expect(channel.status).toBe(201);
    expect(await t.telegram.deliver(botToken, t.telegram.textUpdate(botToken, { chatId: 880011, text: 'hello' }))).toBe(200);
    const conv = await eventually(async () =>
      ((await t.owner.get('/api/conversations?status=all&limit=200')).body.items as { id: string; contact: { externalId: string } }[]).find(
        (c) => c.contact.externalId === '880011',
      ),
    );
    expect((await m.client.patch(`/api/conversations/${conv.id}`, { assigneeId: m.id })).status).toBe(200);
    const { accountId } = (await t.owner.get('/api/auth/session')).body.user;
    await db.query(
      `insert into operator_links (account_id, user_id, bot_channel_id, telegram_user_id, telegram_chat_id) values ($1, $2, $3, '5550001', '5550001')`,
      [accountId, m.id, channel.body.id],
    );

    const res = await t.owner.post(`/api/users/${m.id}/deactivate`);
    expect(res.status).toBe(200);
    const after = (await t.owner.get(`/api/conversations/${conv.id}`)).body;
    expect([after.assigneeId, after.status]).toEqual([null, 'queued']);
    // Listeners (notifications, reports) learn who lost it and who did it.
    const { rows: unassigned } = await db.query(
      `select payload from events where type = 'conversation.assigned' and payload->>'conversationId' = $1 order by id desc limit 1`,
      [conv.id],
    );
    const me = (await t.owner.get('/api/auth/session')).body.user.id as string;
    expect(unassigned[0]?.payload).toMatchObject({ assigneeId: null, previousAssigneeId: m.id, byUserId: me });
    expect((await db.query(`select 1 from operator_links where user_id = $1`, [m.id])).rowCount).toBe(0);
    // Nobody can hand them a conversation again, and assignee pickers no longer offer them.
    const reassign = await t.owner.patch(`/api/conversations/${conv.id}`, { assigneeId: m.id });
    expect([reassign.status, reassign.body.error.code]).toEqual([400, 'validation_failed']);
    expect(((await t.owner.get('/api/users')).body.items as { id: string }[]).some((u) => u.id === m.id)).toBe(false);
    // Their history stays: the member is listed, deactivated.
    expect((await t.owner.get('/api/team/members')).body.items.find((x: { id: string }) => x.id === m.id).status).toBe('deactivated');
    expect(res.body.status).toBe('deactivated');
    expect((await m.client.get('/api/auth/session')).status).toBe(401);
    expect((await t.anonymous().withToken(token).get('/api/auth/session')).status).toBe(401);
    await eventually(() => stream.ended && tokenStream.ended, 15_000, 'both streams to close');
    const signIn = await t.anonymous().login('leaver@example.com', GOOD_PASSWORD);
    expect([signIn.status, signIn.body.error.code]).toEqual([401, 'invalid_credentials']);
    const audit = (await t.owner.get('/api/audit?limit=20')).body.items.find((e: { action: string }) => e.action === 'user.deactivated');
    expect(audit.details).toMatchObject({ sessions: 1, tokens: 1, bridgeLinks: 1, conversationsReturned: 1 });

    // Reactivated, they sign in again; the token stays revoked.
    expect((await t.owner.post(`/api/users/${m.id}/reactivate`)).body.status).toBe('active');
    expect((await t.anonymous().login('leaver@example.com', GOOD_PASSWORD)).status).toBe(200);
    expect((await t.anonymous().withToken(token).get('/api/auth/session')).status).toBe(401);
  });

  it('nobody deactivates themselves or the last owner; agents cannot deactivate anyone', async () => {
    const me = (await t.owner.get('/api/auth/session')).body.user.id;
    expect((await t.owner.post(`/api/users/${me}/deactivate`)).status).toBe(409);
    const agent = await newMember('agent-cut@example.com');
    expect((await agent.client.post(`/api/users/${me}/deactivate`)).status).toBe(403);
  });

  it('sign out everywhere can include API tokens; managers list and revoke anyone’s tokens; a token cannot mint tokens', async () => {
    const m = await newMember('tokens@example.com');
    const keep = (await m.client.post('/api/tokens', { name: 'kept' })).body;
    const other = t.anonymous();
    await other.login('tokens@example.com', GOOD_PASSWORD);
    expect((await other.post('/api/auth/logout-all', {})).status).toBe(204);
    expect((await m.client.get('/api/auth/session')).status).toBe(401);
    expect((await t.anonymous().withToken(keep.token).get('/api/auth/session')).status).toBe(200);

    const minted = await t.anonymous().withToken(keep.token).post('/api/tokens', { name: 'child' });
    expect(minted.status).toBe(403);

    const all = await t.owner.get('/api/tokens/all');
    expect(all.body.items.find((x: { id: string }) => x.id === keep.id)).toMatchObject({ userName: 'tokens' });
    expect((await t.owner.delete(`/api/tokens/${keep.id}`)).status).toBe(204);
    expect((await t.anonymous().withToken(keep.token).get('/api/auth/session')).status).toBe(401);

    const again = t.anonymous();
    await again.login('tokens@example.com', GOOD_PASSWORD);
    const second = (await again.post('/api/tokens', { name: 'second' })).body;
    expect((await again.post('/api/auth/logout-all', { includeTokens: true })).status).toBe(204);
    expect((await t.anonymous().withToken(second.token).get('/api/auth/session')).status).toBe(401);
    // Agents do not see others' tokens.
    const agent = await newMember('agent-tokens@example.com');
    expect((await agent.client.get('/api/tokens/all')).status).toBe(403);
  });
});

describe('my profile', () => {
  it('name, language, time zone; avatar validated; password change ends my other sessions only', async () => {
    const m = await newMember('profile@example.com');
    const patched = await m.client.patch('/api/profile', { name: 'Мария Иванова', locale: 'ru', timeZone: 'Europe/Moscow' });
    expect(patched.body).toMatchObject({ name: 'Мария Иванова', locale: 'ru', timeZone: 'Europe/Moscow' });
    expect((await m.client.patch('/api/profile', { timeZone: 'Mars/Olympus' })).status).toBe(400);

    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
    const up = await m.client.upload('/api/profile/avatar', { name: 'me.png', content: png, type: 'image/png' });
    expect(up.status).toBe(204);
    const got = await fetch(`${t.url}/api/users/${m.id}/avatar`, { headers: { cookie: t.owner.cookie! } });
    expect([got.status, got.headers.get('content-type')]).toEqual([200, 'image/png']);
    const svg = await m.client.upload('/api/profile/avatar', { name: 'x.svg', content: '<svg onload="alert(1)"/>', type: 'image/svg+xml' });
    expect([svg.status, svg.body.error.code]).toEqual([422, 'invalid_image']);
    const big = await m.client.upload('/api/profile/avatar', { name: 'big.png', content: Buffer.concat([png, Buffer.alloc(600 * 1024)]) });
    expect(big.status).toBe(413);

    const elsewhere = t.anonymous();
    await elsewhere.login('profile@example.com', GOOD_PASSWORD);
    const sessions = (await m.client.get('/api/profile/sessions')).body.items;
    expect(sessions).toHaveLength(2);
    expect(sessions.filter((s: { current: boolean }) => s.current)).toHaveLength(1);

    const wrong = await m.client.post('/api/profile/password', {
      currentPassword: 'nope-nope-nope',
      newPassword: 'fresh-copper-kettle-77',
    });
    expect([wrong.status, wrong.body.error.code]).toEqual([422, 'wrong_password']);
    const changed = await m.client.post('/api/profile/password', { currentPassword: GOOD_PASSWORD, newPassword: 'fresh-copper-kettle-77' });
    expect(changed.body.sessionsEnded).toBe(1);
    expect((await m.client.get('/api/auth/session')).status).toBe(200);
    expect((await elsewhere.get('/api/auth/session')).status).toBe(401);
  });

  it('signs one of my sessions out; another person’s session id is not mine to end', async () => {
    const m = await newMember('sessions@example.com');
    const second = t.anonymous();
    await second.login('sessions@example.com', GOOD_PASSWORD);
    const list = (await m.client.get('/api/profile/sessions')).body.items as { id: string; current: boolean }[];
    const theOther = list.find((s) => !s.current)!;
    const ownerSessions = (await t.owner.get('/api/profile/sessions')).body.items as { id: string }[];
    expect((await m.client.delete(`/api/profile/sessions/${ownerSessions[0]!.id}`)).status).toBe(404);
    expect((await m.client.delete(`/api/profile/sessions/${theOther.id}`)).status).toBe(204);
    expect((await second.get('/api/auth/session')).status).toBe(401);
  });
});

describe('team list', () => {
  it('lists members with role, status, last activity, two-factor and (empty) teams', async () => {
    const m = await newMember('listed@example.com', 'analyst');
    const items = (await t.owner.get('/api/team/members')).body.items as { id: string }[];
    const row = items.find((x) => x.id === m.id);
    expect(row).toMatchObject({ email: 'listed@example.com', role: 'analyst', status: 'active', twoFactor: false, teams: [] });
    expect((row as unknown as { lastActiveAt: string }).lastActiveAt).not.toBeNull();
  });
});
