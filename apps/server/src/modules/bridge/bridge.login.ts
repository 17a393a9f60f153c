import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { TelegramLoginRequest } from '@switchboard/shared';

/** The widget's data is accepted for one day after Telegram signed it. */
export const LOGIN_MAX_AGE_SECONDS = 24 * 60 * 60;

export type LoginCheck = 'ok' | 'bad_hash' | 'stale';

/**
 * Checks Telegram Login Widget data: `hash` must be hex(HMAC-SHA256(key = SHA256(bot token),
 * data_check_string)), where data_check_string is every other field as `key=value`, sorted, joined
 * by newlines; and `auth_date` must be recent.
 */
export function checkTelegramLogin(data: TelegramLoginRequest, botToken: string, nowSeconds = Math.floor(Date.now() / 1000)): LoginCheck {
  const { hash, ...fields } = data;
  const dataCheckString = Object.entries(fields)
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => `${k}=${String(v)}`)
    .sort()
    .join('\n');
  const key = createHash('sha256').update(botToken).digest();
  const expected = createHmac('sha256', key).update(dataCheckString).digest();
  const given = Buffer.from(hash, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'bad_hash';
  if (nowSeconds - data.auth_date > LOGIN_MAX_AGE_SECONDS) return 'stale';
  return 'ok';
}

/** Signs widget fields the way Telegram does (tests and local tools). */
export function signTelegramLogin(fields: Omit<TelegramLoginRequest, 'hash'>, botToken: string): TelegramLoginRequest {
  const dataCheckString = Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${String(v)}`)
    .sort()
    .join('\n');
  const key = createHash('sha256').update(botToken).digest();
  return { ...fields, hash: createHmac('sha256', key).update(dataCheckString).digest('hex') };
}
