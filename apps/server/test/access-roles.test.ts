import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { permissionNames, SYSTEM_ROLES } from '@switchboard/shared';
import type { ApiClient } from './support/api-client.js';
import { signInNewAccount, startTestApp, type TestApp } from './support/harness.js';

/** Custom roles, granting rules, token scopes and the audit log, through the HTTP API. */

let t: TestApp;
let accountId: string;
let seq = 0;

async function member(role: string): Promise<{ client: ApiClient; id: string; email: string }> {
  const email = `m${++seq}-${Date.now()}@example.com`;
  const password = 'member-password-long';
  const user = await t.running.services.identity.addUser(accountId, { email, name: `Member ${seq}`, password, role });
  const client = t.anonymous();
  expect((await client.login(email, password)).status).toBe(200);
  return { client, id: user.id, email };
}

async function token(client: ApiClient, body: Record<string, unknown>): Promise<ApiClient> {
  const res = await client.post('/api/tokens', { name: `t${++seq}`, ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return client.withToken(res.body.token);
}

beforeAll(async () => {
  t = await startTestApp();
  accountId = (await t.owner.get('/api/auth/session')).body.user.accountId;
}, 120_000);

afterAll(async () => {
  await t?.stop();
});

describe('permission catalogue and roles', () => {
  it('lists every permission with English and Russian descriptions, and the eight system roles', async () => {
    const perms = await t.owner.get('/api/permissions');
    expect(perms.status).toBe(200);
    expect(perms.body.items.map((p: { name: string }) => p.name)).toEqual(permissionNames);
    for (const p of perms.body.items) {
      expect(p.description.en.length).toBeGreaterThan(5);
      expect(p.description.ru).toMatch(/[а-яё]/i);
    }
    const roles = await t.owner.get('/api/roles');
    expect(roles.body.items.filter((r: { system: boolean }) => r.system).map((r: { key: string }) => r.key)).toEqual([
      'owner',
      'admin',
      'supervisor',
      'agent',
      'collaborator',
      'knowledge_editor',
      'analyst',
      'client',
    ]);
    expect(roles.body.items.find((r: { key: string }) => r.key === 'owner').members).toBe(1);
  });

  it('a custom role gives exactly its permissions; a change applies on the next request; it is deleted only when unused', async () => {
    const created = await t.owner.post('/api/roles', { name: 'Night shift', permissions: ['conversation.read', 'knowledge.read'] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ system: false, name: 'Night shift', members: 0 });
    const roleId = created.body.key;
    expect((await t.owner.post('/api/roles', { name: 'night SHIFT', permissions: [] })).body.error.code).toBe('conflict');

    const m = await member(roleId);
    expect((await m.client.get('/api/conversations')).status).toBe(200);
    const refused = await m.client.get('/api/channels');
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ code: 'forbidden', details: { permission: 'channel.read' } });
    expect(refused.body.error.message).toContain('channel.read');

    // The same session, next request: the new permission is there, a removed one is gone.
    const updated = await t.owner.request('PUT', `/api/roles/${roleId}`, { name: 'Night shift', permissions: ['channel.read'] });
    expect(updated.status).toBe(200);
    expect(updated.body.members).toBe(1);
    expect((await m.client.get('/api/channels')).status).toBe(200);
    expect((await m.client.get('/api/conversations')).status).toBe(403);
    expect((await m.client.get('/api/auth/session')).body.permissions).toEqual(['channel.read']);

    const inUse = await t.owner.delete(`/api/roles/${roleId}`);
    expect(inUse.status).toBe(409);
    expect((await t.owner.patch(`/api/users/${m.id}`, { role: 'agent' })).status).toBe(200);
    expect((await t.owner.delete(`/api/roles/${roleId}`)).status).toBe(204);
    expect((await t.owner.delete(`/api/roles/${roleId}`)).status).toBe(404);
  });

  it('nobody grants what they do not hold: creating, editing or assigning a role beyond their own permissions', async () => {
    const admin = await member('admin');
    // An admin lacks account.owners: no role with it, and not the owner role.
    const beyond = await admin.client.post('/api/roles', { name: 'Too much', permissions: ['account.owners'] });
    expect(beyond.status).toBe(403);
    expect(beyond.body.error.details).toEqual({ permission: 'account.owners' });
    const victim = await member('agent');
    const toOwner = await admin.client.patch(`/api/users/${victim.id}`, { role: 'owner' });
    expect(toOwner.status).toBe(403);
    expect(toOwner.body.error.details).toEqual({ permission: 'account.owners' });
    expect((await admin.client.patch(`/api/users/${victim.id}`, { role: 'supervisor' })).status).toBe(200);

    // A custom role manager with only part of the catalogue.
    const rm = await t.owner.post('/api/roles', {
      name: 'Role manager',
      permissions: ['role.read', 'role.manage', 'user.manage', 'user.read', 'knowledge.read'],
    });
    const manager = await member(rm.body.key);
    const ok = await manager.client.post('/api/roles', { name: 'Readers', permissions: ['knowledge.read'] });
    expect(ok.status).toBe(201);
    const escalate = await manager.client.request('PUT', `/api/roles/${ok.body.key}`, {
      name: 'Readers',
      permissions: ['knowledge.read', 'knowledge.manage'],
    });
    expect(escalate.status).toBe(403);
    expect(escalate.body.error.details).toEqual({ permission: 'knowledge.manage' });
    // Editing a role more powerful than oneself (even to weaken it) is refused too.
    const agentsRole = await t.owner.post('/api/roles', { name: 'Senior', permissions: ['conversation.reply'] });
    const weaken = await manager.client.request('PUT', `/api/roles/${agentsRole.body.key}`, { name: 'Senior', permissions: [] });
    expect(weaken.status).toBe(403);
    // Assigning: an agent to the manager's own weaker role works, to the agent role (with conversation.reply) does not.
    const target = await member(ok.body.key);
    const toAgent = await manager.client.patch(`/api/users/${target.id}`, { role: 'agent' });
    expect(toAgent.status).toBe(403);
    expect((await manager.client.patch(`/api/users/${target.id}`, { role: 'no-such-role' })).status).toBe(400);

    // Every change is in the audit log.
    const log = await t.owner.get('/api/audit?action=role.');
    const actions = log.body.items.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['role.created', 'role.updated', 'role.deleted']));
  });

  it("another account's role cannot be read, changed, deleted or assigned", async () => {
    const other = await signInNewAccount(t, { email: `other-${Date.now()}@example.com`, password: 'other-owner-password' });
    const theirs = await other.post('/api/roles', { name: 'Theirs', permissions: ['knowledge.read'] });
    expect(theirs.status).toBe(201);
    expect((await t.owner.request('PUT', `/api/roles/${theirs.body.key}`, { name: 'Mine', permissions: [] })).status).toBe(404);
    expect((await t.owner.delete(`/api/roles/${theirs.body.key}`)).status).toBe(404);
    const mine = (await t.owner.get('/api/roles')).body.items.map((r: { key: string }) => r.key);
    expect(mine).not.toContain(theirs.body.key);
    const m = await member('agent');
    expect((await t.owner.patch(`/api/users/${m.id}`, { role: theirs.body.key })).status).toBe(400);
  });
});

describe('API token scopes', () => {
  it('a read-only token keeps only read permissions of its owner, and is refused writes naming the permission', async () => {
    const ro = await token(t.owner, { scopes: { access: 'read' } });
    expect((await ro.get('/api/knowledge/articles')).status).toBe(200);
    const write = await ro.post('/api/knowledge/articles', { question: 'Q?', answer: 'A.' });
    expect(write.status).toBe(403);
    expect(write.body.error.details).toEqual({ permission: 'knowledge.manage' });
  });

  it('a token limited to areas is refused outside them; the owner role still caps it', async () => {
    const kb = await token(t.owner, { scopes: { access: 'full', areas: ['knowledge'] } });
    expect((await kb.get('/api/knowledge/articles')).status).toBe(200);
    expect((await kb.get('/api/conversations')).body.error.details).toEqual({ permission: 'conversation.read' });
    const agent = await member('agent');
    const agentToken = await token(agent.client, { scopes: { access: 'full' } });
    expect((await agentToken.get('/api/webhooks')).body.error.details).toEqual({ permission: 'webhook.manage' });
  });

  it('minting a token with a token needs the tokens area, and gives no more than the minting token', async () => {
    const plain = await token(t.owner, {});
    const mint = await plain.post('/api/tokens', { name: 'child' });
    expect(mint.status).toBe(403);
    expect(mint.body.error.details).toEqual({ permission: 'token.manage' });
    const minter = await token(t.owner, { scopes: { access: 'full', areas: ['tokens', 'knowledge'] } });
    const wider = await minter.post('/api/tokens', { name: 'wider', scopes: { access: 'full', areas: ['conversations'] } });
    expect(wider.status).toBe(403);
    expect(wider.body.error.details.permission).toMatch(/^conversation\./);
    const narrower = await minter.post('/api/tokens', { name: 'narrower', scopes: { access: 'read', areas: ['knowledge'] } });
    expect(narrower.status).toBe(201);
    expect(narrower.body.scopes).toEqual({ access: 'read', areas: ['knowledge'] });
  });

  it('an expiry must lie ahead; an expired token no longer authenticates', async () => {
    const past = await t.owner.post('/api/tokens', { name: 'past', expiresAt: '2020-01-01T00:00:00Z' });
    expect(past.status).toBe(400);
    expect(past.body.error.code).toBe('validation_failed');
    const soon = new Date(Date.now() + 3_600_000).toISOString();
    const created = await t.owner.post('/api/tokens', { name: 'soon', expiresAt: soon });
    expect(created.status).toBe(201);
    const client = t.owner.withToken(created.body.token);
    expect((await client.get('/api/knowledge/articles')).status).toBe(200);
    const listed = (await t.owner.get('/api/tokens')).body.items.find((x: { id: string }) => x.id === created.body.id);
    expect(listed.expiresAt).toBe(soon);
    const db = new pg.Client({ connectionString: t.databaseUrl });
    await db.connect();
    await db.query(`update api_tokens set expires_at = now() - interval '1 second' where id = $1`, [created.body.id]);
    await db.end();
    expect((await client.get('/api/knowledge/articles')).status).toBe(401);
  });
});

describe('audit log', () => {
  it('filters by person, action, object and date, pages with a cursor, and exports CSV', async () => {
    const a = await member('admin');
    for (let i = 0; i < 3; i++) await a.client.post('/api/roles', { name: `Audit ${i}`, permissions: ['knowledge.read'] });
    const byPerson = await t.owner.get(`/api/audit?actorUserId=${a.id}&action=role.created&limit=2`);
    expect(byPerson.status).toBe(200);
    expect(byPerson.body.items).toHaveLength(2);
    expect(byPerson.body.items[0]).toMatchObject({ action: 'role.created', actorUserId: a.id, actorEmail: a.email, targetType: 'role' });
    const next = await t.owner.get(`/api/audit?actorUserId=${a.id}&action=role.created&limit=2&cursor=${byPerson.body.nextCursor}`);
    expect(next.body.items).toHaveLength(1);
    expect(next.body.nextCursor).toBeNull();
    const target = byPerson.body.items[0].targetId;
    const byObject = await t.owner.get(`/api/audit?targetType=role&targetId=${target}`);
    expect(byObject.body.items.map((e: { targetId: string }) => e.targetId)).toEqual([target]);
    const future = await t.owner.get(`/api/audit?from=${encodeURIComponent(new Date(Date.now() + 86_400_000).toISOString())}`);
    expect(future.body.items).toEqual([]);
    expect((await t.owner.get('/api/audit?cursor=abc')).body.error.code).toBe('invalid_cursor');

    const csv = await fetch(`${t.url}/api/audit/export?actorUserId=${a.id}`, { headers: { cookie: t.owner.cookie! } });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines[0]).toContain('id,createdAt,actorEmail');
    expect(lines.filter((l) => l.includes('role.created'))).toHaveLength(3);
    expect(lines.slice(1).every((l) => l.includes(a.email))).toBe(true);
  });

  it('is refused to roles without audit.read, the export too', async () => {
    const sup = await member('supervisor');
    expect(SYSTEM_ROLES.supervisor).not.toContain('audit.read');
    for (const path of ['/api/audit', '/api/audit/export']) {
      const res = await sup.client.get(path);
      expect(res.status).toBe(403);
      expect(res.body.error.details).toEqual({ permission: 'audit.read' });
    }
  });
});
