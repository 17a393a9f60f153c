import { z } from 'zod';
import {
  apiToken,
  changeRoleRequest,
  createTokenRequest,
  createUserRequest,
  createdToken,
  idParams,
  loginRequest,
  loginResponse,
  sessionResponse,
  signOutEverywhereRequest,
  switchAccountRequest,
  twoFactorChallenge,
  userSummary,
} from '@switchboard/shared';
import type { App } from '../../platform/http/server.js';
import type { AppContext } from '../../context.js';
import { actorOf, SESSION_COOKIE } from './identity.auth.js';
import { KNOWN_DEVICE_COOKIE, KNOWN_DEVICE_DAYS, REMEMBERED_2FA_COOKIE, REMEMBERED_2FA_DAYS } from './known-device.js';
import type { IdentityService, LoginResult } from './identity.service.js';
import type { FastifyReply } from 'fastify';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/**
 * Sets the cookies of a new session (and the known-device cookie, and a remembered second factor when
 * asked) and answers the signed-in user: sign-in, its second step and an accepted invitation alike.
 */
export async function answerSignIn(
  ctx: AppContext,
  identity: IdentityService,
  reply: FastifyReply,
  result: LoginResult & { rememberedTwoFactor?: string },
) {
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
  if (result.rememberedTwoFactor) {
    void reply.setCookie(REMEMBERED_2FA_COOKIE, result.rememberedTwoFactor, {
      httpOnly: true,
      sameSite: 'lax',
      secure,
      path: '/api/auth',
      maxAge: REMEMBERED_2FA_DAYS * 86_400,
    });
  }
  const me = await identity.me(result.actor);
  return { user: me, csrfToken: result.csrfToken, accounts: result.accounts, permissions: [...result.actor.permissions] };
}

export function identityRoutes(app: App, ctx: AppContext, identity: IdentityService): void {
  app.post(
    '/api/auth/login',
    {
      // Limited per IP, per address and IP, and per address by `LoginThrottle` instead.
      config: { public: true, rateLimit: false },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with e-mail and password',
        description:
          'Answers the signed-in user, or — when the person uses two-factor sign-in (or must enrol) — `{ twoFactorRequired: true, challenge }` for `POST /api/auth/login/2fa`.',
        body: loginRequest,
        response: { 200: z.union([loginResponse, twoFactorChallenge]) },
      },
    },
    async (req, reply) => {
      const result = await identity.login(req.body.email, req.body.password, {
        ip: req.ip,
        userAgent: req.headers['user-agent'],
        knownDevice: req.cookies[KNOWN_DEVICE_COOKIE],
        rememberedTwoFactor: req.cookies[REMEMBERED_2FA_COOKIE],
      });
      if ('twoFactorRequired' in result) return result;
      return answerSignIn(ctx, identity, reply, result);
    },
  );

  app.get(
    '/api/auth/session',
    {
      config: { permission: 'signed_in' },
      schema: { tags: ['auth'], summary: 'The signed-in user and CSRF token', response: { 200: sessionResponse } },
    },
    async (req) => {
      const actor = actorOf(req);
      return {
        user: await identity.me(actor),
        csrfToken: req.csrfToken ?? null,
        accounts: await identity.accountsOf(actor),
        permissions: [...actor.permissions],
      };
    },
  );

  app.post(
    '/api/auth/switch-account',
    {
      config: { permission: 'signed_in' },
      schema: {
        tags: ['auth'],
        summary: 'Switch this browser session to another account I belong to',
        body: switchAccountRequest,
        response: { 200: loginResponse },
      },
    },
    async (req, reply) => {
      const result = await identity.switchAccount(actorOf(req), req.body.accountId, { ip: req.ip, userAgent: req.headers['user-agent'] });
      void reply.setCookie(SESSION_COOKIE, result.sessionToken, {
        httpOnly: true,
        sameSite: 'lax',
        secure: ctx.config.publicUrl.startsWith('https:'),
        path: '/',
        maxAge: Math.floor(ctx.config.sessionAbsoluteMs / 1000),
      });
      return {
        user: await identity.me(result.actor),
        csrfToken: result.csrfToken,
        accounts: result.accounts,
        permissions: [...result.actor.permissions],
      };
    },
  );

  app.post(
    '/api/auth/logout',
    { config: { permission: 'signed_in' }, schema: { tags: ['auth'], summary: 'Sign out this session' } },
    async (req, reply) => {
      await identity.logout(actorOf(req));
      void reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/auth/logout-all',
    {
      config: { permission: 'signed_in' },
      schema: {
        tags: ['auth'],
        summary: 'Sign out all my sessions (in every account); with includeTokens, my API tokens stop working too',
        body: signOutEverywhereRequest.nullish(),
      },
    },
    async (req, reply) => {
      await identity.logoutEverywhere(actorOf(req), { includeTokens: req.body?.includeTokens ?? false });
      void reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/tokens',
    {
      config: { permission: 'token.manage' },
      schema: { tags: ['tokens'], summary: 'My API tokens', response: { 200: z.object({ items: z.array(apiToken) }) } },
    },
    async (req) => {
      const rows = await identity.listTokens(actorOf(req));
      return {
        items: rows.map((t) => ({
          ...t,
          createdAt: t.createdAt.toISOString(),
          lastUsedAt: iso(t.lastUsedAt),
          expiresAt: iso(t.expiresAt),
        })),
      };
    },
  );

  app.post(
    '/api/tokens',
    {
      config: { permission: 'token.manage' },
      schema: { tags: ['tokens'], summary: 'Create an API token (shown once)', body: createTokenRequest, response: { 201: createdToken } },
    },
    async (req, reply) => {
      const t = await identity.createToken(actorOf(req), req.body.name, { scopes: req.body.scopes, expiresAt: req.body.expiresAt });
      return reply
        .status(201)
        .send({ id: t.id, name: t.name, token: t.token, prefix: t.prefix, scopes: t.scopes, expiresAt: iso(t.expiresAt) });
    },
  );

  app.delete(
    '/api/tokens/:id',
    { config: { permission: 'token.manage' }, schema: { tags: ['tokens'], summary: 'Revoke an API token', params: idParams } },
    async (req, reply) => {
      await identity.revokeToken(actorOf(req), req.params.id);
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/users',
    {
      config: { permission: 'user.read' },
      schema: { tags: ['users'], summary: 'Members of my account', response: { 200: z.object({ items: z.array(userSummary) }) } },
    },
    async (req) => ({
      items: await identity.listUsers(actorOf(req)),
    }),
  );

  app.post(
    '/api/users',
    {
      config: { permission: 'user.manage' },
      schema: { tags: ['users'], summary: 'Add a teammate (owners and admins)', body: createUserRequest, response: { 201: userSummary } },
    },
    async (req, reply) => reply.status(201).send(await identity.createMember(actorOf(req), req.body)),
  );

  app.get(
    '/api/users/:id',
    { config: { permission: 'user.read' }, schema: { tags: ['users'], params: idParams, response: { 200: userSummary } } },
    async (req) => identity.getUser(actorOf(req), req.params.id),
  );

  app.patch(
    '/api/users/:id',
    {
      config: { permission: 'user.manage' },
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
}
