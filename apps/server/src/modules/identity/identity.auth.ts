import type { FastifyRequest } from 'fastify';
import type { App } from '../../platform/http/server.js';
import { AppError } from '../../platform/http/errors.js';
import { safeEqual } from '../../platform/crypto/secret-box.js';
import type { IdentityService } from './identity.service.js';
import { requirePermission, type Actor } from './permissions.js';

export const SESSION_COOKIE = 'sb_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

declare module 'fastify' {
  interface FastifyRequest {
    actor?: Actor;
    csrfToken?: string;
  }
}

/** The signed-in actor of a route that requires one. */
export function actorOf(req: FastifyRequest): Actor {
  if (!req.actor) throw new AppError('unauthenticated', 'Sign in or send an API token');
  return req.actor;
}

/**
 * Resolves `Authorization: Bearer` or the session cookie for every non-public `/api` route, requires
 * `x-csrf-token` on cookie-authenticated mutations, and enforces the permission the route declares in
 * `config.permission` (a route declaring none is refused: access is never granted by omission).
 */
export function registerAuthentication(app: App, identity: IdentityService): void {
  app.addHook('onRequest', async (req) => {
    if (!req.url.startsWith('/api/') || !req.routeOptions.url || req.routeOptions.config.public || req.url.startsWith('/api/docs')) return;
    const auth = req.headers.authorization;
    if (auth) {
      const [scheme, token] = auth.split(' ');
      const actor = scheme?.toLowerCase() === 'bearer' && token ? await identity.authenticateToken(token) : undefined;
      if (!actor) throw new AppError('unauthenticated', 'The API token is invalid or revoked');
      req.actor = { ...actor, ip: req.ip };
    } else {
      const cookie = req.cookies[SESSION_COOKIE];
      const session = cookie ? await identity.authenticateSession(cookie) : undefined;
      if (!session) throw new AppError('unauthenticated', 'Your session has expired; please sign in');
      if (!SAFE_METHODS.has(req.method)) {
        const given = req.headers['x-csrf-token'];
        if (typeof given !== 'string' || !safeEqual(given, session.csrfToken)) {
          throw new AppError('csrf_token_invalid', 'Missing or wrong x-csrf-token header; reload the page');
        }
      }
      req.actor = { ...session.actor, ip: req.ip };
      req.csrfToken = session.csrfToken;
    }
    req.log = req.log.child({ accountId: req.actor.accountId, userId: req.actor.userId });
    const needed = req.routeOptions.config.permission;
    if (needed === undefined) {
      req.log.error({ route: req.routeOptions.url }, 'route declares no permission');
      throw new AppError('forbidden', 'This route declares no permission', { permission: null });
    }
    if (needed !== 'signed_in') requirePermission(req.actor, needed);
  });
}
