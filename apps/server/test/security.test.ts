import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import SwaggerParser from '@apidevtools/swagger-parser';
import { type ApiClient } from './support/api-client.js';
import { OWNER, signInNewAccount, startTestApp, type TestApp } from './support/harness.js';

let t: TestApp;
let other: ApiClient; // owner of account B
let otherToken: ApiClient; // API token of account B
let conversationId: string;
let channelId: string;
let botToken: string;

beforeAll(async () => {
  t = await startTestApp();
  other = await signInNewAccount(t, { email: 'b-owner@example.com', password: 'b-password-123', accountName: 'Other Co' });
  const token = await other.post('/api/tokens', { name: 'b script' });
  otherToken = other.withToken(token.body.token);

  botToken = t.telegram.addBot();
  const ch = await t.owner.post('/api/channels', { type: 'telegram', name: 'A bot', config: { botToken, mode: 'webhook' } });
  channelId = ch.body.id;
  await t.telegram.deliver(botToken, t.telegram.textUpdate(botToken, { chatId: 7001, text: 'private to A' }));
  conversationId = (await t.owner.get('/api/conversations')).body.items[0].id;
});
afterAll(async () => t?.stop());

describe('tenant isolation', () => {
  it('a user or token of account B gets 404 for every resource of account A', async () => {
    const ownerA = (await t.owner.get('/api/auth/session')).body.user;
    const probes: [string, string, unknown?][] = [
      ['GET', `/api/conversations/${conversationId}`],
      ['PATCH', `/api/conversations/${conversationId}`, { status: 'resolved' }],
      ['GET', `/api/conversations/${conversationId}/messages`],
      ['POST', `/api/conversations/${conversationId}/messages`, { text: 'injected' }],
      ['POST', `/api/conversations/${conversationId}/read`],
      ['GET', `/api/channels/${channelId}`],
      ['PATCH', `/api/channels/${channelId}`, { name: 'stolen' }],
      ['DELETE', `/api/channels/${channelId}`],
      ['GET', `/api/users/${ownerA.id}`],
      ['PATCH', `/api/users/${ownerA.id}`, { role: 'agent' }],
    ];
    for (const client of [other, otherToken]) {
      for (const [method, path, body] of probes) {
        const res = await client.request(method, path, body);
        expect({ method, path, status: res.status }).toEqual({ method, path, status: 404 });
        expect(res.body.error.code).toBe('not_found');
      }
      expect((await client.get('/api/conversations?status=all')).body.items).toEqual([]);
      expect((await client.get('/api/channels')).body.items).toEqual([]);
      expect((await client.get('/api/users')).body.items.map((u: { email: string }) => u.email)).toEqual(['b-owner@example.com']);
    }
    // Nothing changed in A.
    expect((await t.owner.get(`/api/conversations/${conversationId}`)).body.status).toBe('queued');
    expect((await t.owner.get(`/api/channels/${channelId}`)).body.name).toBe('A bot');
    expect((await t.owner.get(`/api/conversations/${conversationId}/messages`)).body.items).toHaveLength(1);
  });

  it('account B does not see account A events on its stream', async () => {
    const res = await fetch(`${t.url}/api/events`, { headers: { authorization: `Bearer ${otherToken.bearer}`, 'last-event-id': '1' } });
    const reader = res.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    expect(first).not.toContain(conversationId);
  });
});

describe('sessions, CSRF and tokens', () => {
  it('requires the CSRF token on cookie-authenticated mutations, not on reads or bearer calls', async () => {
    const res = await t.owner.post('/api/tokens', { name: 'x' }, { 'x-csrf-token': 'forged' });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('csrf_token_invalid');
    const noHeader = await fetch(`${t.url}/api/tokens`, {
      method: 'POST',
      headers: { cookie: t.owner.cookie!, 'content-type': 'application/json' },
      body: '{"name":"y"}',
    });
    expect(noHeader.status).toBe(403);
    expect((await t.owner.get('/api/tokens')).status).toBe(200);
    // A token does not mint tokens (unless its scopes name the tokens area): 403 naming the permission.
    const minted = await otherToken.post('/api/tokens', { name: 'from script' });
    expect([minted.status, minted.body.error.details?.permission]).toEqual([403, 'token.manage']);
  });

  it('sets an httpOnly SameSite=Lax session cookie and returns the CSRF token', async () => {
    const res = await fetch(`${t.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(OWNER),
    });
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^sb_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(((await res.json()) as { csrfToken: string }).csrfToken.length).toBeGreaterThan(20);
  });

  it('stores sessions and tokens hashed', async () => {
    const created = await t.owner.post('/api/tokens', { name: 'ci' });
    expect(created.status).toBe(201);
    expect(created.body.token).toMatch(/^sbt_/);
    const db = new pg.Client({ connectionString: t.databaseUrl });
    await db.connect();
    const dump =
      JSON.stringify((await db.query('select * from api_tokens')).rows) + JSON.stringify((await db.query('select * from sessions')).rows);
    await db.end();
    expect(dump).not.toContain(created.body.token);
    expect(dump).not.toContain(t.owner.cookie!.split('=')[1]);
  });

  it('an API token works until revoked, and is shown only once', async () => {
    const created = await t.owner.post('/api/tokens', { name: 'to revoke' });
    const script = t.owner.withToken(created.body.token);
    expect((await script.get('/api/conversations')).status).toBe(200);
    const list = await t.owner.get('/api/tokens');
    expect(JSON.stringify(list.body)).not.toContain(created.body.token);
    expect((await t.owner.delete(`/api/tokens/${created.body.id}`)).status).toBe(204);
    const after = await script.get('/api/conversations');
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('unauthenticated');
  });

  it('logout ends this session; logout-all ends every session of the user', async () => {
    const a = t.anonymous();
    const b = t.anonymous();
    await a.login(OWNER.email, OWNER.password);
    await b.login(OWNER.email, OWNER.password);
    expect((await a.post('/api/auth/logout')).status).toBe(204);
    expect((await a.get('/api/auth/session')).status).toBe(401);
    expect((await b.get('/api/auth/session')).status).toBe(200);
    const c = t.anonymous();
    await c.login(OWNER.email, OWNER.password);
    expect((await c.post('/api/auth/logout-all')).status).toBe(204);
    expect((await b.get('/api/auth/session')).status).toBe(401);
    expect((await c.get('/api/auth/session')).status).toBe(401);
    await t.owner.login(OWNER.email, OWNER.password);
  });

  it('wrong password → 401 invalid_credentials, without saying which part was wrong', async () => {
    const wrong = await t.anonymous().login(OWNER.email, 'nope-nope-nope');
    const unknown = await t.anonymous().login('nobody@example.com', 'nope-nope-nope');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.error.code).toBe('invalid_credentials');
    expect(wrong.body.error.message).toBe(unknown.body.error.message);
  });
});

describe('roles and audit', () => {
  it('an operator cannot manage channels or read the audit log; an owner can change roles (audited)', async () => {
    const created = await t.owner.post('/api/users', {
      email: 'op@example.com',
      name: 'Olga',
      password: 'operator-pass-1',
      role: 'agent',
    });
    expect(created.status).toBe(201);
    expect(
      (await t.owner.post('/api/users', { email: 'op@example.com', name: 'Again', password: 'operator-pass-1', role: 'agent' })).status,
    ).toBe(409);
    const op = t.anonymous();
    expect((await op.login('op@example.com', 'operator-pass-1')).status).toBe(200);
    const denied = await op.post('/api/channels', {
      type: 'telegram',
      name: 'x',
      config: { botToken: t.telegram.addBot(), mode: 'webhook' },
    });
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe('forbidden');
    expect((await op.get('/api/audit')).status).toBe(403);
    expect((await op.post('/api/users', { email: 'x@example.com', name: 'X', password: 'operator-pass-1', role: 'admin' })).status).toBe(
      403,
    );
    expect((await op.get(`/api/conversations/${conversationId}`)).status).toBe(200);

    const promoted = await t.owner.patch(`/api/users/${created.body.id}`, { role: 'supervisor' });
    expect(promoted.body.role).toBe('supervisor');
    const audit = (await t.owner.get('/api/audit?limit=200')).body.items as {
      action: string;
      ip: string | null;
      actorUserId: string | null;
    }[];
    const actions = audit.map((e) => e.action);
    for (const a of [
      'login.succeeded',
      'login.failed',
      'logout',
      'logout.all',
      'token.created',
      'token.revoked',
      'user.role_changed',
      'channel.created',
      'user.created',
    ]) {
      expect(actions, a).toContain(a);
    }
    expect(audit.find((e) => e.action === 'user.role_changed')!.ip).toBe('127.0.0.1');
  });

  it('the last owner cannot be demoted', async () => {
    const me = (await t.owner.get('/api/auth/session')).body.user;
    const res = await t.owner.patch(`/api/users/${me.id}`, { role: 'admin' });
    expect(res.status).toBe(409);
  });
});

describe('HTTP edge cases', () => {
  it('malformed JSON → 400 invalid_json in the one error shape, with the request id echoed', async () => {
    const res = await fetch(`${t.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'req-abc-123' },
      body: '{"email":',
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('x-request-id')).toBe('req-abc-123');
    expect(await res.json()).toEqual({ error: { code: 'invalid_json', message: expect.any(String), requestId: 'req-abc-123' } });
  });

  it('a body over 1 MiB → 413; a non-JSON content type → 415', async () => {
    const big = await t.owner.post(`/api/conversations/${conversationId}/messages`, JSON.stringify({ text: 'x'.repeat(1024 * 1024 + 10) }));
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('payload_too_large');
    const xml = await t.owner.request('POST', '/api/tokens', '<name/>', { 'content-type': 'application/xml' });
    expect(xml.status).toBe(415);
    expect(xml.body.error.code).toBe('unsupported_media_type');
  });

  it('validation errors name the field', async () => {
    const res = await t.owner.post(`/api/conversations/${conversationId}/messages`, { text: '   ' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.message).toMatch(/text/);
    const badId = await t.owner.get('/api/conversations/not-a-uuid');
    expect(badId.status).toBe(400);
  });

  it('sets helmet security headers', async () => {
    const res = await fetch(`${t.url}/health`);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
  });

  it('unknown routes → 404 in the error shape; unauthenticated API → 401', async () => {
    const res = await t.anonymous().get('/api/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
    const anon = await t.anonymous().get('/api/conversations');
    expect(anon.status).toBe(401);
  });

  it('serves a valid OpenAPI 3 document and the docs UI', async () => {
    const doc = (await t.anonymous().get('/api/openapi.json')).body;
    expect(doc.openapi).toMatch(/^3\./);
    await SwaggerParser.validate(structuredClone(doc));
    for (const path of [
      '/api/auth/login',
      '/api/tokens',
      '/api/channels',
      '/api/conversations',
      '/api/conversations/{id}/messages',
      '/api/events',
    ]) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    const ui = await fetch(`${t.url}/api/docs/`);
    expect(ui.status).toBe(200);
  });

  it('exposes Prometheus metrics', async () => {
    const text = await (await fetch(`${t.url}/metrics`)).text();
    for (const name of [
      'http_request_duration_seconds_bucket',
      'messages_total',
      'job_failures_total',
      'job_queue_depth',
      'sse_connections',
    ]) {
      expect(text).toContain(name);
    }
    expect(text).toMatch(/messages_total\{[^}]*channel_type="telegram"[^}]*direction="in"/);
  });
});
