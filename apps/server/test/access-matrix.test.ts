import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { permissionNames, SYSTEM_ROLES, systemRoleKeys, type Permission, type SystemRole } from '@switchboard/shared';
import { routeAccessOf, type RouteAccess } from '../src/modules/access/route-access.js';
import { registerAuthentication } from '../src/modules/identity/identity.auth.js';
import { createHttpServer } from '../src/platform/http/server.js';
import { createLogger } from '../src/platform/logging.js';
import type { ApiClient } from './support/api-client.js';
import { OWNER, startTestApp, type TestApp } from './support/harness.js';

/**
 * Every route Fastify has × every system role, against the permission catalogue: each non-public route
 * declares one permission (or `signed_in`), and each role without it is refused with 403 `forbidden` naming it.
 */

const NOTHING = '6f1c2b9e-4d3a-4f5b-8c7d-0e1f2a3b4c5d';
const KNOWN = new Set<string>([...permissionNames, 'signed_in']);
/** Streams that stay open while allowed (their refusal is still checked). */
const STREAMING = new Set(['GET /api/events']);

let t: TestApp;
let routes: readonly RouteAccess[];
const clients = {} as Record<SystemRole, ApiClient>;

const pathOf = (url: string) => url.replace(/:(\w+)/g, (_m, name: string) => (name === 'index' ? '0' : NOTHING));

beforeAll(async () => {
  t = await startTestApp();
  routes = routeAccessOf(t.running.http);
  const me = (await t.owner.get('/api/auth/session')).body.user;
  clients.owner = t.owner;
  for (const role of systemRoleKeys.filter((r) => r !== 'owner')) {
    const email = `${role}@example.com`;
    const password = `${role}-password-long-enough`;
    await t.running.services.identity.addUser(me.accountId, { email, name: role, password, role });
    const c = t.anonymous();
    const res = await c.login(email, password);
    expect(res.status, `${role} signs in`).toBe(200);
    clients[role] = c;
  }
}, 120_000);

afterAll(async () => {
  await t?.stop();
});

describe('route access declarations', () => {
  it('Fastify lists the routes of every module, and each one declares public or a permission from the catalogue', () => {
    expect(routes.length).toBeGreaterThan(80);
    for (const probe of ['GET /api/conversations', 'POST /api/roles', 'GET /api/audit/export', 'POST /webhooks/telegram/:channelId']) {
      expect(routes.map((r) => `${r.method} ${r.url}`)).toContain(probe);
    }
    const undeclared = routes.filter((r) => !r.public && (r.permission === undefined || !KNOWN.has(r.permission)));
    expect(undeclared.map((r) => `${r.method} ${r.url} → ${String(r.permission)}`)).toEqual([]);
    // Outside /api only public endpoints (probes, provider webhooks, the widget) exist; none skips the check by accident.
    expect(routes.filter((r) => !r.url.startsWith('/api/') && !r.public).map((r) => `${r.method} ${r.url}`)).toEqual([]);
  });

  it('the OpenAPI document names the permission of each operation', async () => {
    const doc = (await t.anonymous().get('/api/openapi.json')).body as { paths: Record<string, Record<string, { description?: string }>> };
    expect(doc.paths['/api/roles']!.post!.description).toContain('`role.manage`');
    expect(doc.paths['/api/audit/export']!.get!.description).toContain('`audit.read`');
    expect(doc.paths['/api/auth/session']!.get!.description).toContain('Any signed-in member');
  });

  it('a route declaring no permission is refused at run time, not let through', async () => {
    const app = await createHttpServer({ logger: createLogger('silent'), trustProxy: false, apiRateLimitPerMin: 1000, publicUrl: t.url });
    registerAuthentication(app, t.running.services.identity);
    app.get('/api/undeclared', () => Promise.resolve({ ok: true }));
    app.get('/api/declared', { config: { permission: 'signed_in' } }, () => Promise.resolve({ ok: true }));
    app.get('/api/webhooks-only', { config: { permission: 'webhook.manage' } }, () => Promise.resolve({ ok: true }));
    await app.ready();
    const as = (url: string, c: ApiClient) => app.inject({ method: 'GET', url, headers: { cookie: c.cookie! } });
    expect((await as('/api/declared', t.owner)).statusCode).toBe(200);
    const bare = await as('/api/undeclared', t.owner);
    expect(bare.statusCode).toBe(403);
    expect(bare.json().error.code).toBe('forbidden');
    expect((await as('/api/webhooks-only', t.owner)).statusCode).toBe(200);
    const agent = await as('/api/webhooks-only', clients.agent);
    expect(agent.statusCode).toBe(403);
    expect(agent.json().error).toMatchObject({ code: 'forbidden', details: { permission: 'webhook.manage' } });
    await app.close();
  });
});

describe('routes × system roles', () => {
  it.each(systemRoleKeys)('%s is refused exactly the routes whose permission the role lacks, with the permission named', async (role) => {
    const held = new Set<Permission>(SYSTEM_ROLES[role]);
    const wrong: string[] = [];
    let refused = 0;
    let allowed = 0;
    for (const r of routes) {
      if (r.public || !r.url.startsWith('/api/') || r.permission === 'signed_in' || r.permission === undefined) continue;
      const perm = r.permission as Permission;
      const key = `${r.method} ${r.url}`;
      const mayCall = held.has(perm);
      // Allowed mutations with made-up input are not sent (they could change the account under the other checks).
      if (mayCall && (r.method !== 'GET' || STREAMING.has(key))) continue;
      const res = await clients[role].request(r.method, pathOf(r.url), r.method === 'GET' || r.method === 'DELETE' ? undefined : {});
      const err = (res.body as { error?: { code: string; message: string; details?: { permission?: string } } } | undefined)?.error;
      if (mayCall) {
        allowed++;
        if (res.status === 403 && err?.details?.permission === perm) wrong.push(`${key}: refused although ${role} holds ${perm}`);
        if (res.status === 401 || res.status >= 500) wrong.push(`${key}: ${res.status} for ${role}`);
      } else {
        refused++;
        if (res.status !== 403 || err?.code !== 'forbidden' || err.details?.permission !== perm || !err.message.includes(perm)) {
          wrong.push(`${key}: ${res.status} ${err?.code ?? ''} ${JSON.stringify(err?.details ?? null)} (expected 403 naming ${perm})`);
        }
      }
    }
    expect(wrong).toEqual([]);
    // Each role is both refused something and (but the client) allowed something here.
    if (role !== 'owner') expect(refused).toBeGreaterThan(0);
    if (role !== 'client') expect(allowed).toBeGreaterThan(0);
  });

  it('every role may ask who it is and what it may do; the client role may do nothing else in the inbox', async () => {
    for (const role of systemRoleKeys) {
      const res = await clients[role].get('/api/auth/session');
      expect(res.status).toBe(200);
      expect([...res.body.permissions].sort()).toEqual([...SYSTEM_ROLES[role]].sort());
    }
    const conv = await clients.client.get('/api/conversations');
    expect(conv.status).toBe(403);
    expect(conv.body.error.details).toEqual({ permission: 'conversation.read' });
  });

  it('a collaborator writes internal notes but never answers the customer', async () => {
    const refusedReply = await clients.collaborator.post(`/api/conversations/${NOTHING}/messages`, { text: 'hello', private: false });
    expect(refusedReply.status).toBe(403);
    expect(refusedReply.body.error.details).toEqual({ permission: 'conversation.reply' });
    const note = await clients.collaborator.post(`/api/conversations/${NOTHING}/messages`, { text: 'internal', private: true });
    expect(note.status).toBe(404); // allowed: only the made-up conversation is missing
  });

  it('the owner is the bootstrap user and holds every permission', async () => {
    const res = await t.owner.get('/api/auth/session');
    expect(res.body.user.email).toBe(OWNER.email);
    expect(res.body.user.role).toBe('owner');
    expect(res.body.permissions).toHaveLength(permissionNames.length);
  });
});
