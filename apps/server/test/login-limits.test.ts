import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { LoginThrottle } from '../src/modules/identity/login-throttle.js';
import { LoginThrottleRepository } from '../src/modules/identity/login-throttle.repository.js';
import { eventually, OWNER, startTestApp, type TestApp } from './support/harness.js';
import { startSmtpSink, type SmtpSink } from './support/mail-servers.js';

let t: TestApp;
let smtp: SmtpSink;
let db: pg.Client;

beforeAll(async () => {
  smtp = await startSmtpSink();
  t = await startTestApp({
    env: {
      TRUST_PROXY: 'true',
      ALERT_SMTP_URL: `smtp://${encodeURIComponent(smtp.user)}:${encodeURIComponent(smtp.password)}@${smtp.host}:${smtp.port}`,
      ALERT_EMAIL_FROM: 'Switchboard <alerts@shop.test>',
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

const login = (email: string, ip: string, password = 'wrong-password-1') =>
  t.anonymous().request('POST', '/api/auth/login', { email, password }, { 'x-forwarded-for': ip });

async function addMember(email: string, password: string) {
  const res = await t.owner.post('/api/users', { email, name: email.split('@')[0], password, role: 'agent' });
  expect(res.status).toBe(201);
  return res.body as { id: string };
}

/** Puts an address deep into a failure streak (waits of a minute), as hours of guessing would. */
const longStreak = (email: string) =>
  db.query(`update login_failures set failures = 12, blocked_until = null, last_failed_at = now() where email = $1`, [email]);

const auditOf = async (action: string) =>
  ((await t.owner.get('/api/audit?limit=200')).body.items as { action: string; details: Record<string, unknown> }[]).filter(
    (e) => e.action === action,
  );

describe('sign-in back-off per address', () => {
  it('guessing from many IPs slows down only the new places; the owner still signs in from a usual one', async () => {
    const email = 'anna@example.com';
    await addMember(email, 'anna-secret-sofa-7');
    expect((await login(email, '10.2.0.1', 'anna-secret-sofa-7')).status).toBe(200);

    // Five failures cost nothing; the sixth attempt from a new place takes the first back-off slot.
    for (let i = 1; i <= 6; i++) expect((await login(email, `10.2.1.${i}`)).status).toBe(401);
    await longStreak(email);
    // One attempt at a time gets through; the rest learn how long to wait (a minute at most).
    const burst = await Promise.all([1, 2, 3, 4].map((i) => login(email, `10.2.2.${i}`)));
    expect(burst.map((r) => r.status).sort()).toEqual([401, 429, 429, 429]);
    for (const r of burst.filter((r) => r.status === 429)) {
      expect(r.body.error.code).toBe('too_many_attempts');
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(30);
      expect(Number(r.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    }
    // The right password from a new place waits too; from the usual place it gets in at once.
    expect((await login(email, '10.2.3.1', 'anna-secret-sofa-7')).status).toBe(429);
    expect((await login(email, '10.2.0.1', 'anna-secret-sofa-7')).status).toBe(200);
    // No lock: once the wait is over, the new place gets in with the right password.
    await db.query(`update login_failures set blocked_until = now() - interval '1 second' where email = $1`, [email]);
    expect((await login(email, '10.2.3.1', 'anna-secret-sofa-7')).status).toBe(200);
  });

  it('attempts sent in parallel are counted before their passwords are checked: five go freely, then one at a time', async () => {
    const email = 'parallel@example.com';
    await addMember(email, 'parallel-lantern-gate');
    const burst = await Promise.all(Array.from({ length: 12 }, (_, i) => login(email, `10.7.1.${i + 1}`)));
    const statuses = burst.map((r) => r.status);
    // Five free attempts and the first back-off slot (one second; a slow machine may free a second one).
    expect(statuses.filter((s) => s === 401).length, statuses.join()).toBeGreaterThanOrEqual(6);
    expect(statuses.filter((s) => s === 401).length, statuses.join()).toBeLessThanOrEqual(7);
    expect(statuses.filter((s) => s === 429).length + statuses.filter((s) => s === 401).length).toBe(12);
  });

  it('a streak of thousands of attempts waits a minute (no overflow), and a success ends it', async () => {
    const email = 'endless@example.com';
    await addMember(email, 'endless-quartz-meadow');
    expect((await login(email, '10.8.0.1')).status).toBe(401);
    await db.query(`update login_failures set failures = 5000, blocked_until = null, last_failed_at = now() where email = $1`, [email]);
    expect((await login(email, '10.8.0.2')).status).toBe(401);
    const waiting = await login(email, '10.8.0.3', 'endless-quartz-meadow');
    expect(waiting.status).toBe(429);
    expect(Number(waiting.headers.get('retry-after'))).toBe(60);
    await db.query(`update login_failures set blocked_until = now() - interval '1 second' where email = $1`, [email]);
    expect((await login(email, '10.8.0.3', 'endless-quartz-meadow')).status).toBe(200);
    const { rows } = await db.query<{ failures: number }>('select failures from login_failures where email = $1', [email]);
    expect(rows[0]!.failures).toBe(0);
  });

  it('a browser the owner signed in with before gets in at once from a new IP; without its cookie, it waits', async () => {
    const email = 'dana@example.com';
    await addMember(email, 'dana-travel-compass');
    const deviceOf = (res: Awaited<ReturnType<typeof login>>) =>
      res.headers
        .getSetCookie()
        .find((c) => c.startsWith('sb_device='))!
        .split(';')[0]!;
    const first = await login(email, '10.9.0.1', 'dana-travel-compass');
    expect(first.status).toBe(200);
    const setCookie = first.headers.getSetCookie().find((c) => c.startsWith('sb_device='))!;
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/Max-Age=15552000/);
    const device = deviceOf(first);
    const someoneElses = deviceOf(await login(OWNER.email, '10.9.0.2', OWNER.password));

    expect((await login(email, '10.9.1.1')).status).toBe(401);
    await longStreak(email);
    expect((await login(email, '10.9.1.2')).status).toBe(401); // the attacker holds the next minute
    const fromPhone = (cookie?: string) =>
      t
        .anonymous()
        .request(
          'POST',
          '/api/auth/login',
          { email, password: 'dana-travel-compass' },
          { 'x-forwarded-for': '10.9.2.1', ...(cookie ? { cookie } : {}) },
        );
    expect((await fromPhone()).status).toBe(429);
    expect((await fromPhone(someoneElses)).status).toBe(429);
    expect((await fromPhone(`${device.slice(0, -2)}xx`)).status).toBe(429);
    expect((await fromPhone(device)).status).toBe(200);
  });

  it('an unknown address is slowed down exactly like a real one (no hint that it exists)', async () => {
    const email = 'nobody-here@example.com';
    for (let i = 1; i <= 6; i++) expect((await login(email, `10.3.1.${i}`)).status).toBe(401);
    await longStreak(email);
    expect((await login(email, '10.3.2.1')).status).toBe(401);
    const res = await login(email, '10.3.2.2');
    expect(res.status).toBe(429);
    expect(res.body.error.code).toBe('too_many_attempts');
  });
});

describe('maintenance', () => {
  it('the hourly prune forgets day-old streaks (kept by the throttle repository) and keeps recent ones', async () => {
    await db.query(
      `insert into login_failures (email, failures, last_failed_at) values ('old@example.com', 3, now() - interval '2 days'),
         ('recent@example.com', 3, now() - interval '2 hours') on conflict (email) do nothing`,
    );
    await new LoginThrottleRepository(t.running.ctx.db).pruneEnded();
    const { rows } = await db.query<{ email: string }>(
      `select email from login_failures where email in ('old@example.com', 'recent@example.com')`,
    );
    expect(rows.map((r) => r.email)).toEqual(['recent@example.com']);
  });
});

describe('failed sign-in alerts', () => {
  it('tells the owner of an address by e-mail after 10 failures, once an hour, and audits it', async () => {
    const email = 'boris@example.com';
    await addMember(email, 'boris-long-passphrase');
    expect((await login(email, '10.4.0.1', 'boris-long-passphrase')).status).toBe(200);
    expect((await login(email, '10.4.0.2', 'boris-long-passphrase')).status).toBe(200);
    // From the usual places (no back-off), within each place's 10 a minute.
    for (let i = 0; i < 9; i++) expect((await login(email, '10.4.0.1')).status).toBe(401);
    expect(smtp.received.filter((m) => m.to.includes(email))).toHaveLength(0);
    expect((await login(email, '10.4.0.2')).status).toBe(401);

    const mail = await eventually(() => smtp.received.find((m) => m.to.includes(email)), 10_000, 'the alert e-mail');
    expect(mail.parsed.subject).toBe('Failed sign-ins to your Switchboard account');
    expect(mail.parsed.text).toContain(`as ${email} with a wrong password 10 times`);
    expect(mail.parsed.text).toContain('10.4.0.2');
    expect(mail.from).toBe('alerts@shop.test');

    for (let i = 0; i < 3; i++) expect((await login(email, '10.4.0.2')).status).toBe(401);
    const alerts = (await auditOf('login.failures_alert')).filter((e) => e.details.email === email);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.details).toMatchObject({ failures: 10, emailed: true });
  });

  it('sends nothing for an address no one uses', async () => {
    const email = 'ghost@example.com';
    expect((await login(email, '10.5.0.1')).status).toBe(401);
    await db.query('update login_failures set failures = 9, blocked_until = null where email = $1', [email]);
    expect((await login(email, '10.5.0.2')).status).toBe(401);
    const { rows } = await db.query<{ failures: number; alerted_at: Date | null }>(
      'select failures, alerted_at from login_failures where email = $1',
      [email],
    );
    expect(rows[0]).toEqual({ failures: 10, alerted_at: null });
  });

  it('without SMTP_URL, records the alert in the audit log (not e-mailed)', async () => {
    const email = 'carol@example.com';
    await addMember(email, 'carol-long-passphrase');
    const noSmtp = new LoginThrottle({ ...t.running.ctx, config: { ...t.running.ctx.config, smtpUrl: undefined } });
    const accountId = (await t.owner.get('/api/auth/session')).body.user.accountId as string;
    for (let i = 0; i < 10; i++) {
      await noSmtp.claim(email, false);
      await noSmtp.failed(email, '10.6.0.1', [accountId]);
    }
    const alerts = (await auditOf('login.failures_alert')).filter((e) => e.details.email === email);
    expect(alerts.map((e) => e.details)).toEqual([{ email, failures: 10, emailed: false }]);
    expect(smtp.received.filter((m) => m.to.includes(email))).toHaveLength(0);
  });
});

describe('passwords', () => {
  it('refuses common, repetitive, sequential and personal passwords with weak_password and the reason', async () => {
    for (const password of ['aaaaaaaaaaaa', '1234567890', 'qwertyuiop', 'password123', 'P@ssw0rd2024', 'dmitry.k1985']) {
      const res = await t.owner.post('/api/users', { email: 'dmitry.k1985@example.com', name: 'Dmitry', password, role: 'agent' });
      expect(res.status, password).toBe(422);
      expect(res.body.error.code).toBe('weak_password');
      expect(res.body.error.message).toMatch(/^This password cannot be used: \S/);
    }
    const short = await t.owner.post('/api/users', {
      email: 'dmitry.k1985@example.com',
      name: 'Dmitry',
      password: 'x7#Kq!2',
      role: 'agent',
    });
    expect(short.status).toBe(400);
    const ok = await t.owner.post('/api/users', {
      email: 'dmitry.k1985@example.com',
      name: 'Dmitry',
      password: 'velvet-otter-lamp',
      role: 'agent',
    });
    expect(ok.status).toBe(201);
  });

  it('holds for every password set: ADMIN_PASSWORD needs 10 characters, a new account owner a strong password', async () => {
    expect(() => loadConfig({ ADMIN_PASSWORD: 'nine-char' })).toThrow(/ADMIN_PASSWORD: must be at least 10 characters/);
    await expect(
      t.running.services.identity.createAccountWithOwner({
        accountName: 'Weak Co',
        email: 'weak@example.com',
        name: 'W',
        password: 'qwerty123456',
      }),
    ).rejects.toMatchObject({ code: 'weak_password' });
  });
});

describe("another account's addresses", () => {
  it('adding a teammate whose address another account uses looks like adding anyone; each signs in to their own account', async () => {
    const elsewhere = 'shared-person@example.com';
    await t.running.services.identity.createAccountWithOwner({
      accountName: 'Other Co',
      email: elsewhere,
      name: 'Other owner',
      password: 'other-company-pass',
    });
    const fresh = await t.owner.post('/api/users', {
      email: 'fresh-person@example.com',
      name: 'Fresh',
      password: 'fresh-lilac-harbour',
      role: 'agent',
    });
    const taken = await t.owner.post('/api/users', {
      email: elsewhere,
      name: 'Shared',
      password: 'our-own-pass-for-them',
      role: 'agent',
    });
    expect(taken.status).toBe(fresh.status);
    expect(Object.keys(taken.body).sort()).toEqual(Object.keys(fresh.body).sort());
    expect(taken.body).toMatchObject({ email: elsewhere, name: 'Shared', role: 'agent' });

    const ours = t.anonymous();
    expect((await ours.login(elsewhere, 'our-own-pass-for-them')).status).toBe(200);
    const mine = (await ours.get('/api/auth/session')).body.user;
    expect(mine.accountId).toBe((await t.owner.get('/api/auth/session')).body.user.accountId);
    const theirs = t.anonymous();
    expect((await theirs.login(elsewhere, 'other-company-pass')).status).toBe(200);
    expect((await theirs.get('/api/auth/session')).body.user.accountId).not.toBe(mine.accountId);
    expect((await theirs.get('/api/users')).body.items.map((u: { name: string }) => u.name)).toEqual(['Other owner']);

    // Within one account an address stays unique (the account sees its own members anyway).
    const again = await t.owner.post('/api/users', { email: elsewhere, name: 'Again', password: 'our-own-pass-again', role: 'agent' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('conflict');
  });

  it('the owner of the harness still signs in', async () => {
    expect((await t.anonymous().login(OWNER.email, OWNER.password)).status).toBe(200);
  });
});
