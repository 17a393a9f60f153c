import { safeEqual, type SecretBox } from '../../platform/crypto/secret-box.js';

/**
 * A "known device" cookie: a browser a user signed in with before counts as one of their usual places,
 * so a new IP (mobile networks, travel) does not make its owner queue behind a guesser. The value is
 * `<user id>.<issued, unix seconds>.<HMAC>`, keyed by SECRET_KEY and bound to the user.
 */
export const KNOWN_DEVICE_COOKIE = 'sb_device';
export const KNOWN_DEVICE_DAYS = 180;
const PURPOSE = 'known-device';

export function knownDeviceCookie(secrets: SecretBox, userId: string, now = Date.now()): string {
  const payload = `${userId}.${Math.floor(now / 1000)}`;
  return `${payload}.${secrets.mac(PURPOSE, payload)}`;
}

/** The user a cookie was issued to, when its signature holds and it is younger than 180 days. */
export function knownDeviceUser(secrets: SecretBox, value: string | undefined, now = Date.now()): string | undefined {
  const [userId, issued, mac, ...rest] = (value ?? '').split('.');
  if (!userId || !issued || !mac || rest.length > 0 || !/^\d{1,12}$/.test(issued)) return undefined;
  if (!safeEqual(mac, secrets.mac(PURPOSE, `${userId}.${issued}`))) return undefined;
  const ageSeconds = now / 1000 - Number(issued);
  return ageSeconds >= 0 && ageSeconds < KNOWN_DEVICE_DAYS * 86_400 ? userId : undefined;
}
