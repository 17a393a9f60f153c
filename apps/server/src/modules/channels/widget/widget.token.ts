import { createHmac } from 'node:crypto';
import { safeEqual } from '../../../platform/crypto/secret-box.js';
import { isUuid } from '../../../platform/ids.js';

const VERSION = 'v1';

/**
 * A visitor's token: `v1.<visitorId>.<HMAC-SHA256(channel key, "v1:<channelId>:<visitorId>")>`.
 * The key is the channel's own random secret (sealed with its credentials), so a token opens one
 * visitor's conversation on one channel only and cannot be minted without the server. Tokens do not
 * expire (a visitor's history stays theirs); the version prefix allows a new scheme later.
 */
export function signVisitorToken(key: string, channelId: string, visitorId: string): string {
  return `${VERSION}.${visitorId}.${mac(key, channelId, visitorId)}`;
}

/** The visitor id a token names, or null when it is malformed, of another channel or forged. */
export function verifyVisitorToken(key: string, channelId: string, token: unknown): string | null {
  if (typeof token !== 'string' || token.length > 300) return null;
  const [version, visitorId, signature, ...rest] = token.split('.');
  if (version !== VERSION || !visitorId || !signature || rest.length > 0 || !isUuid(visitorId)) return null;
  return safeEqual(signature, mac(key, channelId, visitorId)) ? visitorId : null;
}

function mac(key: string, channelId: string, visitorId: string): string {
  return createHmac('sha256', key).update(`${VERSION}:${channelId}:${visitorId}`).digest('base64url');
}

const TICKET_VERSION = 's1';
/** Long enough to open a stream (and for clock skew between processes), short enough to be useless in a log. */
export const STREAM_TICKET_TTL_MS = 60_000;

/**
 * A stream ticket: `s1.<visitorId>.<expires, unix s>.<HMAC-SHA256(channel key, "s1:<channelId>:<visitorId>:<expires>")>`.
 * EventSource cannot send headers, so the event stream takes this in its URL instead of the visitor
 * token: it opens that stream only, for a minute, and cannot be used as (or turned into) a token.
 */
export function signStreamTicket(key: string, channelId: string, visitorId: string, expiresAtMs: number): string {
  const expires = String(Math.floor(expiresAtMs / 1000));
  return `${TICKET_VERSION}.${visitorId}.${expires}.${ticketMac(key, channelId, visitorId, expires)}`;
}

/** The visitor id a ticket names, or null when it is malformed, expired, of another channel or forged. */
export function verifyStreamTicket(key: string, channelId: string, ticket: unknown, nowMs = Date.now()): string | null {
  if (typeof ticket !== 'string' || ticket.length > 300) return null;
  const [version, visitorId, expires, signature, ...rest] = ticket.split('.');
  if (version !== TICKET_VERSION || !visitorId || !expires || !signature || rest.length > 0) return null;
  if (!isUuid(visitorId) || !/^\d{1,12}$/.test(expires) || Number(expires) * 1000 <= nowMs) return null;
  return safeEqual(signature, ticketMac(key, channelId, visitorId, expires)) ? visitorId : null;
}

function ticketMac(key: string, channelId: string, visitorId: string, expires: string): string {
  return createHmac('sha256', key).update(`${TICKET_VERSION}:${channelId}:${visitorId}:${expires}`).digest('base64url');
}
