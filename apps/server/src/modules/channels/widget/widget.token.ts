import { createHmac } from 'node:crypto';
import { safeEqual } from '../../../platform/crypto/secret-box.js';

const VERSION = 'v1';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

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
  if (version !== VERSION || !visitorId || !signature || rest.length > 0 || !UUID.test(visitorId)) return null;
  return safeEqual(signature, mac(key, channelId, visitorId)) ? visitorId : null;
}

function mac(key: string, channelId: string, visitorId: string): string {
  return createHmac('sha256', key).update(`${VERSION}:${channelId}:${visitorId}`).digest('base64url');
}
