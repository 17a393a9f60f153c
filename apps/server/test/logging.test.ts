import { PassThrough } from 'node:stream';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type Database } from '../src/platform/db/client.js';
import { runMigrations } from '../src/platform/db/migrate.js';
import { accounts, apiTokens, users } from '../src/platform/db/schema.js';
import { createHttpServer, type App } from '../src/platform/http/server.js';
import { createLogger } from '../src/platform/logging.js';
import { createTestDatabase } from './support/harness.js';

// Values a failed query must never write to the log.
const EMAIL = 'owner-secret@example.com';
const HASH = '$argon2id$v=19$m=19456,t=2,p=1$c2VjcmV0LXNhbHQ$SECRETHASHSECRETHASHSECRETHASH';
const TOKEN_HASH = 'c0ffee5ecrettokenhash0123456789abcdef0123456789abcdef0123456789ab';
const CUSTOMER_TEXT = 'my card number is 4111-1111-1111-1111';

let testDb: Awaited<ReturnType<typeof createTestDatabase>>;
let database: Database;
let app: App;
const lines: Record<string, unknown>[] = [];
let raw = '';

beforeAll(async () => {
  testDb = await createTestDatabase();
  await runMigrations(testDb.url);
  database = connectDatabase(testDb.url, 2);
  const [account] = await database.db.insert(accounts).values({ name: 'Shop' }).returning();
  const [user] = await database.db.insert(users).values({ email: EMAIL, name: 'Owner', passwordHash: HASH }).returning();
  const token = { accountId: account!.id, userId: user!.id, name: CUSTOMER_TEXT, tokenHash: TOKEN_HASH, prefix: 'sbt_c0ff' };
  await database.db.insert(apiTokens).values(token);

  const out = new PassThrough();
  out.on('data', (chunk: Buffer) => {
    raw += chunk.toString();
    for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
  });
  app = await createHttpServer({
    logger: createLogger('info', out),
    trustProxy: false,
    apiRateLimitPerMin: 1000,
    publicUrl: 'http://localhost',
  });
  // Three real failures through the app's error handler: a duplicate key, a NOT NULL, a bad uuid.
  app.post('/duplicate', { config: { public: true } }, async () => {
    await database.db.insert(apiTokens).values(token);
  });
  app.post('/not-null', { config: { public: true } }, async () => {
    await database.db.insert(users).values({ email: EMAIL, name: null as unknown as string, passwordHash: HASH });
  });
  app.post('/bad-uuid', { config: { public: true } }, async () => {
    await database.db.select().from(users).where(eq(users.id, CUSTOMER_TEXT));
  });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await database?.close();
  await testDb?.drop();
});

/** A unique-key race is answered 409 (and logged as a warning); other failed queries are 500. */
async function failedQueryLine(url: string, requestId: string, status = 500) {
  const res = await app.inject({ method: 'POST', url, headers: { 'x-request-id': requestId } });
  expect(res.statusCode).toBe(status);
  expect(res.body).not.toContain(EMAIL);
  const line = lines.find((l) => l.reqId === requestId && l.err);
  expect(line, `an error line for ${requestId}`).toBeTruthy();
  return { line: line!, text: JSON.stringify(line), err: line!.err as Record<string, unknown> };
}

describe('failed-query log lines', () => {
  it('a duplicate key logs the SQLSTATE, constraint, table and request id, not the token hash or text bound to it', async () => {
    const { text, err } = await failedQueryLine('/duplicate', 'req-duplicate-1', 409);
    for (const secret of [TOKEN_HASH, 'c0ffee5ecret', CUSTOMER_TEXT, '4111']) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/already exists|params: \S/);
    expect(err.type).toBe('DrizzleQueryError');
    expect(err.query).toMatch(/insert into "api_tokens" .*\$1/);
    expect(err.cause).toMatchObject({ code: '23505', constraint: 'api_tokens_token_hash_unique', table: 'api_tokens' });
  });

  it('a NOT NULL violation logs the column, not the failing row', async () => {
    const { text, err } = await failedQueryLine('/not-null', 'req-not-null-1');
    for (const secret of [EMAIL, HASH, 'SECRETHASH']) expect(text).not.toContain(secret);
    expect(text).not.toContain('Failing row');
    expect(err.cause).toMatchObject({ code: '23502', table: 'users', column: 'name' });
  });

  it('a data exception keeps its SQLSTATE but not the quoted input', async () => {
    const { text, err } = await failedQueryLine('/bad-uuid', 'req-bad-uuid-1');
    expect(text).not.toContain('4111');
    expect(err.cause).toMatchObject({ code: '22P02', message: 'invalid input syntax for type uuid: "[redacted]"' });
    for (const secret of [EMAIL, HASH, TOKEN_HASH, '4111']) expect(raw, 'no line of the whole log').not.toContain(secret);
  });

  it('other errors keep their fields, cause chain and stack', () => {
    const buffer = new PassThrough();
    let written = '';
    buffer.on('data', (c: Buffer) => (written += c.toString()));
    const inner = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    createLogger('info', buffer).warn({ err: Object.assign(new Error('send failed', { cause: inner }), { kind: 'network' }) }, 'x');
    const err = (JSON.parse(written) as { err: Record<string, unknown> }).err;
    expect(err).toMatchObject({
      type: 'Error',
      message: 'send failed',
      kind: 'network',
      cause: { message: 'socket hang up', code: 'ECONNRESET' },
    });
    expect(err.stack).toMatch(/^Error: send failed\n\s+at /);
  });
});
