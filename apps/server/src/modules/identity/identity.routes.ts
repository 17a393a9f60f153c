import { z } from 'zod';
import {
  apiToken,
  auditEntry,
  changeRoleRequest,
  createTokenRequest,
  createUserRequest,
  createdToken,
  idParams,
  loginRequest,
  loginResponse,
  page,
  pageQuery,
  sessionResponse,
  userSummary,
} from '@switchboard/shared';
import type { App } from '../../platform/http/server.js';
import type { AppContext } from '../../context.js';
import { decodeSeqCursor } from '../../platform/http/cursor.js';
import { actorOf, SESSION_COOKIE } from './identity.auth.js';
import { KNOWN_DEVICE_COOKIE, KNOWN_DEVICE_DAYS } from './known-device.js';
import type { IdentityService } from './identity.service.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function identityRoutes(app: App, ctx: AppContext, identity: IdentityService): void {
  app.post(
    '/api/auth/login',
    {
      // Limited per IP, per address and IP, and per address by `LoginThrottle` instead.
      config: { public: true, rateLimit: false },
      schema: { tags: ['auth'], summary: 'Sign in with e-mail and password', body: loginRequest, response: { 200: loginResponse } },
    },
    async (req, reply) => {
      const result = await identity.login(req.body.email, req.body.password, {
        ip: req.ip,
        userAgent: req.headers['user-agent'],
        knownDevice: req.cookies[KNOWN_DEVICE_COOKIE],
      });
      const secure = ctx.config.publicUrl.startsWith('https:');
      void reply.setCookie(SESSION_COOKIE, result.sessionToken, {
        httpOnly: true,
        sameSite: 'lax',
        secure,
        path: '/',
        maxAge: Math.floor(ctx.config.sessionAbsoluteMs / 1000),
      });
      // Only sign-in reads it; it outlives sessions (and sign-out) on purpose.
      void reply.setCookie(KNOWN_DEVICE_COOKIE, result.knownDevice, {
        httpOnly: true,
        sameSite: 'lax',
        secure,
        path: '/api/auth',
        maxAge: KNOWN_DEVICE_DAYS * 86_400,
      });
      const me = await identity.me(result.actor);
      return { user: me, csrfToken: result.csrfToken };
    },
  );

  app.get(
    '/api/auth/session',
    { schema: { tags: ['auth'], summary: 'The signed-in user and CSRF token', response: { 200: sessionResponse } } },
    async (req) => {
      const actor = actorOf(req);
      return { user: await identity.me(actor), csrfToken: req.csrfToken ?? null };
    },
  );

  app.post('/api/auth/logout', { schema: { tags: ['auth'], summary: 'Sign out this session' } }, async (req, reply) => {
    await identity.logout(actorOf(req));
    void reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.status(204).send();
  });

  app.post('/api/auth/logout-all', { schema: { tags: ['auth'], summary: 'Sign out all my sessions' } }, async (req, reply) => {
    await identity.logoutEverywhere(actorOf(req));
    void reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.status(204).send();
  });

  app.get(
    '/api/tokens',
    { schema: { tags: ['tokens'], summary: 'My API tokens', response: { 200: z.object({ items: z.array(apiToken) }) } } },
    async (req) => {
      const rows = await identity.listTokens(actorOf(req));
      return { items: rows.map((t) => ({ ...t, createdAt: t.createdAt.toISOString(), lastUsedAt: iso(t.lastUsedAt) })) };
    },
  );

  app.post(
    '/api/tokens',
    {
      schema: { tags: ['tokens'], summary: 'Create an API token (shown once)', body: createTokenRequest, response: { 201: createdToken } },
    },
    async (req, reply) => {
      const t = await identity.createToken(actorOf(req), req.body.name);
      return reply.status(201).send({ id: t.id, name: t.name, token: t.token, prefix: t.prefix });
    },
  );

  app.delete('/api/tokens/:id', { schema: { tags: ['tokens'], summary: 'Revoke an API token', params: idParams } }, async (req, reply) => {
    await identity.revokeToken(actorOf(req), req.params.id);
    return reply.status(204).send();
  });

  app.get(
    '/api/users',
    { schema: { tags: ['users'], summary: 'Members of my account', response: { 200: z.object({ items: z.array(userSummary) }) } } },
    async (req) => ({
      items: await identity.listUsers(actorOf(req)),
    }),
  );

  app.post(
    '/api/users',
    { schema: { tags: ['users'], summary: 'Add a teammate (owners and admins)', body: createUserRequest, response: { 201: userSummary } } },
    async (req, reply) => reply.status(201).send(await identity.createMember(actorOf(req), req.body)),
  );

  app.get('/api/users/:id', { schema: { tags: ['users'], params: idParams, response: { 200: userSummary } } }, async (req) =>
    identity.getUser(actorOf(req), req.params.id),
  );

  app.patch(
    '/api/users/:id',
    {
      schema: {
        tags: ['users'],
        summary: "Change a member's role",
        params: idParams,
        body: changeRoleRequest,
        response: { 200: userSummary },
      },
    },
    async (req) => identity.changeRole(actorOf(req), req.params.id, req.body.role),
  );

  app.get(
    '/api/audit',
    {
      schema: {
        tags: ['audit'],
        summary: 'Security audit log (owners and admins)',
        querystring: pageQuery,
        response: { 200: page(auditEntry) },
      },
    },
    async (req) => {
      const cursor = req.query.cursor ? decodeSeqCursor(req.query.cursor) : undefined;
      const result = await identity.listAudit(actorOf(req), req.query.limit, cursor);
      return { ...result, items: result.items.map((e) => ({ ...e, createdAt: e.createdAt.toISOString() })) };
    },
  );
}
