import { Writable } from 'node:stream';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEnvelope, parseDsn, scrubText, type ErrorEvent } from '@switchboard/shared';
import { FakeSentryIngest } from './fakes/sentry-ingest.js';
import { eventually, startTestApp, type TestApp } from './support/harness.js';
import { createHttpServer } from '../src/platform/http/server.js';
import { createLogger } from '../src/platform/logging.js';
import { startErrorTracking } from '../src/platform/error-tracking.js';

const PHONE = '+7 916 123-45-67';
const EMAIL = 'ivan.petrov@example.com';
const TOKEN = 'sk-abcdef1234567890abcdef1234567890abcd';
const BOT_TOKEN = '123456789:AAE-abcdefghijklmnopqrstuvwxyz012345';
const CUSTOMER_TEXT = 'Привет, перезвоните мне завтра утром';

let ingest: FakeSentryIngest;
beforeAll(async () => {
  ingest = await new FakeSentryIngest().start();
});
afterAll(async () => {
  await ingest?.stop();
});

const silentSink = () =>
  new Writable({
    write(_c, _e, cb) {
      cb();
    },
  });

describe('error reports (Sentry-compatible DSN)', () => {
  it('reports an unexpected server error with its route and request id, without secrets or personal data', async () => {
    const stop = startErrorTracking({ dsn: ingest.dsn(), environment: 'test' });
    const app = await createHttpServer({
      logger: createLogger('error', silentSink()),
      trustProxy: false,
      apiRateLimitPerMin: 1000,
      publicUrl: 'http://localhost',
    });
    app.post('/boom/:id', { config: { public: true } }, () => {
      throw new Error(`could not deliver "${CUSTOMER_TEXT}" to ${EMAIL} or ${PHONE} with ${TOKEN} via /bot${BOT_TOKEN}/sendMessage`, {
        cause: new Error(`Authorization: Bearer ${TOKEN}`),
      });
    });
    const res = await app.inject({
      method: 'POST',
      url: '/boom/7?email=ivan.petrov@example.com',
      headers: { 'x-request-id': 'req-boom-1', cookie: 'sb_session=secret-session', authorization: `Bearer ${TOKEN}` },
      payload: { text: CUSTOMER_TEXT },
    });
    expect(res.statusCode).toBe(500);
    const envelope = await eventually(
      () => ingest.envelopes.find((e) => e.events[0]?.tags?.request_id === 'req-boom-1'),
      10_000,
      'the report',
    );
    await app.close();
    await stop();

    expect(envelope.path).toBe('/api/42/envelope/');
    expect(envelope.contentType).toBe('application/x-sentry-envelope');
    expect(envelope.auth).toContain('sentry_key=publickey0123');
    const event = envelope.events[0]!;
    expect(event.level).toBe('error');
    expect(event.platform).toBe('node');
    expect(event.environment).toBe('test');
    expect(event.tags).toMatchObject({ route: '/boom/:id', method: 'POST', request_id: 'req-boom-1' });
    const [cause, top] = event.exception!.values;
    expect(top!.type).toBe('Error');
    expect(top!.value).toContain('could not deliver');
    expect(top!.value).toContain('[email]');
    expect(top!.value).toContain('[phone]');
    expect(top!.value).toContain('/bot[Filtered]/sendMessage');
    expect(cause!.value).toBe('Authorization: Bearer [Filtered]');
    expect(top!.stacktrace!.frames.length).toBeGreaterThan(0);
    for (const secret of [PHONE, EMAIL, TOKEN, BOT_TOKEN, CUSTOMER_TEXT, 'secret-session']) expect(envelope.raw).not.toContain(secret);
  });

  it('reports a failed query with its SQL but without the values it was run with', async () => {
    const stop = startErrorTracking({ dsn: ingest.dsn('7'), environment: 'test' });
    const log = createLogger('error', silentSink());
    const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/postgres' });
    await client.connect().catch(() => undefined);
    const err = await client.query('select $1::uuid as id', [EMAIL]).catch((e: unknown) => e);
    await client.end().catch(() => undefined);
    log.error({ err, job: 'message.send' }, 'job failed');
    const envelope = await eventually(() => ingest.envelopes.find((e) => e.path === '/api/7/envelope/'), 10_000, 'the report');
    await stop();
    expect(envelope.events[0]!.tags).toMatchObject({ job: 'message.send' });
    expect(envelope.events[0]!.message?.formatted).toBe('job failed');
    expect(envelope.raw).not.toContain(EMAIL);
    expect(envelope.raw).not.toContain('ivan.petrov');
  });

  it('scrubs texts on its own: e-mails, phones, bearer tokens, JWTs, query values; ids stay', () => {
    expect(scrubText(`mail ${EMAIL}, call ${PHONE}`)).toBe('mail [email], call [phone]');
    expect(scrubText('Bearer abc.def-123')).toBe('Bearer [Filtered]');
    expect(scrubText('jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig')).toBe('jwt [Filtered]');
    expect(scrubText('/api/x?token=abc&limit=5')).toBe('/api/x?token=[Filtered]&limit=[Filtered]');
    expect(scrubText('conversation 3f1c2a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b')).toBe('conversation 3f1c2a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b');
  });
});

describe('error reports of the web app (through the server)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { SENTRY_DSN: ingest.dsn('99', 'webkey0123'), SENTRY_ENVIRONMENT: 'staging' } });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('gives the web app the DSN from the server configuration', async () => {
    const res = await t.anonymous().get('/api/error-reports/config');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ dsn: ingest.dsn('99', 'webkey0123'), environment: 'staging', tunnel: '/api/error-reports' });
  });

  it('forwards a browser report scrubbed: no message text, e-mail, phone, token, cookie or user details', async () => {
    const dsn = parseDsn(ingest.dsn('99', 'webkey0123'))!;
    const event = {
      event_id: 'a'.repeat(32),
      timestamp: Date.now() / 1000,
      platform: 'javascript',
      level: 'error',
      message: { formatted: `TypeError while sending "${CUSTOMER_TEXT}" for ${EMAIL}` },
      exception: {
        values: [
          {
            type: 'TypeError',
            value: `Cannot read properties of undefined (reading 'text') at ${PHONE}`,
            stacktrace: {
              frames: [{ filename: `http://localhost/assets/index.js?token=${TOKEN}`, function: 'send', lineno: 1, colno: 2 }],
            },
          },
        ],
      },
      request: {
        url: `http://localhost/inbox?email=${EMAIL}`,
        headers: { Cookie: 'sb_session=abc', Authorization: `Bearer ${TOKEN}`, 'User-Agent': 'UA' },
      },
      user: { id: 'u1', email: EMAIL, ip_address: '10.1.2.3', username: 'Ivan' },
      extra: { draftText: CUSTOMER_TEXT, phone: PHONE, nested: { apiToken: TOKEN, note: `see ${EMAIL}` } },
      breadcrumbs: [{ message: CUSTOMER_TEXT }],
    } as unknown as ErrorEvent;
    const res = await fetch(`${t.url}/api/error-reports`, { method: 'POST', body: buildEnvelope(event, dsn, 'switchboard.web') });
    expect(res.status).toBe(202);
    const envelope = await eventually(() => ingest.envelopes.find((e) => e.path === '/api/99/envelope/'), 10_000, 'the forwarded report');
    const got = envelope.events[0]!;
    expect(got.exception!.values[0]!.type).toBe('TypeError');
    expect(got.environment).toBe('staging');
    expect(got.user).toEqual({ id: 'u1' });
    expect(got.request).toEqual({ url: 'http://localhost/inbox', headers: { 'User-Agent': 'UA' } });
    expect(got.extra).toEqual({ draftText: '[Filtered]', phone: '[Filtered]', nested: { apiToken: '[Filtered]', note: 'see [email]' } });
    expect(got.exception!.values[0]!.stacktrace!.frames[0]!.filename).toBe('http://localhost/assets/index.js');
    for (const secret of [PHONE, EMAIL, TOKEN, CUSTOMER_TEXT, 'sb_session', '10.1.2.3', 'Ivan']) expect(envelope.raw).not.toContain(secret);
  });

  it('refuses an envelope for another DSN and one that is not an envelope', async () => {
    const other = parseDsn('https://otherkey@sentry.example.com/5')!;
    const event = { event_id: 'b'.repeat(32), timestamp: 1, platform: 'javascript', level: 'error' } as ErrorEvent;
    const res = await fetch(`${t.url}/api/error-reports`, { method: 'POST', body: buildEnvelope(event, other, 'x') });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('validation_failed');
    const junk = await fetch(`${t.url}/api/error-reports`, { method: 'POST', body: 'not an envelope' });
    expect(junk.status).toBe(400);
    expect(ingest.envelopes.some((e) => e.events[0]?.event_id === 'b'.repeat(32))).toBe(false);
  });
});
