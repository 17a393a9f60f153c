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

/**
 * "Remember this browser for 30 days" after a second factor: the same signed-cookie scheme, bound to the
 * user and to when their authenticator was enabled, so turning two-factor off and on again (or a manager's
 * reset) forgets every remembered browser. Value: `<user id>.<issued>.<HMAC>` in `sb_device_2fa`.
 */
export const REMEMBERED_2FA_COOKIE = 'sb_device_2fa';
export const REMEMBERED_2FA_DAYS = 30;
const PURPOSE_2FA = 'two-factor-device';

const twoFactorPayload = (userId: string, issued: string, enabledAt: Date) => `${userId}.${issued}.${enabledAt.getTime()}`;

export function rememberTwoFactorCookie(secrets: SecretBox, userId: string, enabledAt: Date, now = Date.now()): string {
  const issued = String(Math.floor(now / 1000));
  return `${userId}.${issued}.${secrets.mac(PURPOSE_2FA, twoFactorPayload(userId, issued, enabledAt))}`;
}

/** Whether the cookie remembers this browser for this user's current authenticator (younger than 30 days). */
export function rememberedTwoFactor(
  secrets: SecretBox,
  value: string | undefined,
  userId: string,
  enabledAt: Date,
  now = Date.now(),
): boolean {
  const [who, issued, mac, ...rest] = (value ?? '').split('.');
  if (who !== userId || !issued || !mac || rest.length > 0 || !/^\d{1,12}$/.test(issued)) return false;
  if (!safeEqual(mac, secrets.mac(PURPOSE_2FA, twoFactorPayload(userId, issued, enabledAt)))) return false;
  const ageSeconds = now / 1000 - Number(issued);
  return ageSeconds >= 0 && ageSeconds < REMEMBERED_2FA_DAYS * 86_400;
}
