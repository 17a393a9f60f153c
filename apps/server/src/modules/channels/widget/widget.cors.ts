import type { FastifyReply } from 'fastify';
import { AppError } from '../../../platform/http/errors.js';

const ALLOW_HEADERS = 'content-type, x-widget-token, x-request-id, last-event-id';

/**
 * Whether a browser on `origin` may use a channel's widget API. No Origin header means no
 * cross-origin browser request (a same-origin GET, a script): the visitor token is what protects
 * the data, the origin list only keeps other sites from embedding the chat. The product's own pages
 * (the demo) always may, under `PUBLIC_URL` or whatever host the request was addressed to.
 */
export function originAllowed(
  origin: string | undefined,
  allowed: readonly string[],
  own: { origin: string; host?: string | undefined },
): boolean {
  if (origin === undefined || origin === own.origin || allowed.length === 0) return true;
  if (own.host && hostOf(origin) === own.host.toLowerCase()) return true;
  const given = origin.toLowerCase();
  return allowed.some((a) => a.replace(/\/+$/, '').toLowerCase() === given);
}

/**
 * CORS headers of every widget response. The caller's origin is echoed even on errors (a refused
 * origin included) so the widget can read why; no cookies are involved, so echoing is safe.
 */
export function corsHeaders(reply: FastifyReply, origin: string | undefined): void {
  void reply.header('vary', 'Origin');
  // The widget lives on other sites: its responses may be read there (helmet defaults to same-origin).
  void reply.header('cross-origin-resource-policy', 'cross-origin');
  if (origin === undefined) return;
  void reply.header('access-control-allow-origin', origin);
  void reply.header('access-control-expose-headers', 'retry-after, x-request-id');
}

/** `origin_not_allowed` (403) unless the channel lets `origin` embed its chat. */
export function assertOrigin(
  origin: string | undefined,
  allowed: readonly string[],
  own: { origin: string; host?: string | undefined },
): void {
  if (originAllowed(origin, allowed, own)) return;
  throw new AppError(
    'origin_not_allowed',
    `This chat cannot be embedded on ${origin}: add the site to the channel's allowed origins (allowedOrigins)`,
    { origin },
  );
}

/** The rest of a preflight answer, for an allowed origin. */
export function preflightHeaders(reply: FastifyReply): void {
  void reply.header('access-control-allow-methods', 'GET, POST, OPTIONS');
  void reply.header('access-control-allow-headers', ALLOW_HEADERS);
  void reply.header('access-control-max-age', '600');
}

function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).host.toLowerCase();
  } catch {
    return undefined;
  }
}
