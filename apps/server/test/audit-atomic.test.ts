import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/harness.js';

let t: TestApp;
let db: pg.Client;
let channelId: string;
let endpointId: string;

/**
 * The audit log refuses the actions listed in `audit_refused` (a trigger on the test database): the
 * change an audited request makes must then be rolled back with it, and the client told it failed.
 */
beforeAll(async () => {
  t = await startTestApp();
  db = new pg.Client({ connectionString: t.databaseUrl });
  await db.connect();
  await db.query(`
    create table audit_refused (action text primary key);
    create function refuse_audit() returns trigger language plpgsql as $$
    begin
      if exists (select 1 from audit_refused where action = new.action) then raise exception 'audit entry refused'; end if;
      return new;
    end $$;
    create trigger refuse_audit before insert on audit_log for each row execute function refuse_audit();`);
  const channel = await t.owner.post('/api/channels', {
    type: 'telegram',
    name: 'Shop bot',
    config: { botToken: t.telegram.addBot(), mode: 'webhook' },
  });
  expect(channel.status).toBe(201);
  channelId = channel.body.id;
  const endpoint = await t.owner.post('/api/webhooks', {
    url: 'https://example.com/hook',
    events: ['message.created'],
    description: 'CRM',
  });
  expect(endpoint.status).toBe(201);
  endpointId = endpoint.body.id;
});
afterEach(async () => {
  await db.query('delete from audit_refused');
});
afterAll(async () => {
  await db?.end();
  await t?.stop();
});

const refuse = (action: string) => db.query('insert into audit_refused values ($1)', [action]);
const audited = async (action: string) =>
  ((await t.owner.get('/api/audit?limit=200')).body.items as { action: string }[]).filter((e) => e.action === action).length;

describe('a change and its audit entry are one transaction', () => {
  it('an API token whose audit entry fails is not created', async () => {
    await refuse('token.created');
    const res = await t.owner.post('/api/tokens', { name: 'backend' });
    expect(res.status).toBe(500);
    expect(JSON.stringify(res.body)).not.toContain('sbt_');
    expect((await t.owner.get('/api/tokens')).body.items).toEqual([]);
    const { rows } = await db.query('select count(*)::int as n from api_tokens');
    expect(rows[0].n).toBe(0);
  });

  it('a revoked token stays valid when the revocation cannot be audited', async () => {
    const created = await t.owner.post('/api/tokens', { name: 'kept' });
    expect(created.status).toBe(201);
    await refuse('token.revoked');
    expect((await t.owner.delete(`/api/tokens/${created.body.id}`)).status).toBe(500);
    expect((await t.owner.withToken(created.body.token).get('/api/channels')).status).toBe(200);
  });

  it('a channel rename and delete are undone with their audit entry', async () => {
    const before = await audited('channel.updated');
    await refuse('channel.updated');
    expect((await t.owner.patch(`/api/channels/${channelId}`, { name: 'Renamed' })).status).toBe(500);
    expect((await t.owner.get(`/api/channels/${channelId}`)).body.name).toBe('Shop bot');
    await refuse('channel.deleted');
    expect((await t.owner.delete(`/api/channels/${channelId}`)).status).toBe(500);
    expect((await t.owner.get(`/api/channels/${channelId}`)).status).toBe(200);
    await db.query('delete from audit_refused');
    expect((await t.owner.patch(`/api/channels/${channelId}`, { name: 'Renamed' })).body.name).toBe('Renamed');
    expect(await audited('channel.updated')).toBe(before + 1);
  });

  it('a webhook endpoint change, delete and creation are undone with their audit entry', async () => {
    await refuse('webhook.updated');
    expect((await t.owner.patch(`/api/webhooks/${endpointId}`, { description: 'Renamed', enabled: false })).status).toBe(500);
    const after = (await t.owner.get(`/api/webhooks/${endpointId}`)).body;
    expect([after.description, after.enabled]).toEqual(['CRM', true]);
    await refuse('webhook.deleted');
    expect((await t.owner.delete(`/api/webhooks/${endpointId}`)).status).toBe(500);
    expect((await t.owner.get(`/api/webhooks/${endpointId}`)).status).toBe(200);
    await refuse('webhook.created');
    expect((await t.owner.post('/api/webhooks', { url: 'https://example.com/second', events: ['message.created'] })).status).toBe(500);
    expect((await t.owner.get('/api/webhooks')).body.items).toHaveLength(1);
  });

  it('a teammate and a role change are not written without their audit entry', async () => {
    await refuse('user.created');
    const teammate = { email: 'op@example.com', name: 'Op', password: 'Quiet-Harbour-7391', role: 'agent' };
    expect((await t.owner.post('/api/users', teammate)).status).toBe(500);
    expect(((await t.owner.get('/api/users')).body.items as { email: string }[]).map((u) => u.email)).not.toContain(teammate.email);
    await db.query('delete from audit_refused');
    const created = await t.owner.post('/api/users', teammate);
    expect(created.status).toBe(201);
    await refuse('user.role_changed');
    expect((await t.owner.patch(`/api/users/${created.body.id}`, { role: 'admin' })).status).toBe(500);
    expect((await t.owner.get(`/api/users/${created.body.id}`)).body.role).toBe('agent');
  });
  it('AI settings are not changed without their audit entry', async () => {
    const before = (await t.owner.get('/api/ai/settings')).body.confidenceThreshold;
    await refuse('ai.settings_changed');
    expect((await t.owner.request('PUT', '/api/ai/settings', { confidenceThreshold: 0.93 })).status).toBe(500);
    expect((await t.owner.get('/api/ai/settings')).body.confidenceThreshold).toBe(before);
    const { rows } = await db.query(`select settings->>'confidenceThreshold' as v from ai_settings`);
    expect(rows.map((r: { v: string | null }) => r.v)).not.toContain('0.93');
  });

  it('a sign-in whose audit entry fails leaves no live session', async () => {
    const sessions = async () => (await db.query('select count(*)::int as n from sessions')).rows[0].n as number;
    const before = await sessions();
    await refuse('login.succeeded');
    const res = await t.anonymous().login('owner@example.com', 'correct-horse-battery');
    expect(res.status).toBe(500);
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(await sessions()).toBe(before);
  });
});
