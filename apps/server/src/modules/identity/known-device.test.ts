import { describe, expect, it } from 'vitest';
import { generateSecretKey, SecretBox } from '../../platform/crypto/secret-box.js';
import { knownDeviceCookie, knownDeviceUser, rememberedTwoFactor, rememberTwoFactorCookie } from './known-device.js';

const DAY = 86_400_000;

describe('known-device cookie', () => {
  const box = new SecretBox(generateSecretKey());
  const now = Date.UTC(2026, 0, 1);
  const cookie = knownDeviceCookie(box, 'user-1', now);

  it('names its user for 180 days, then nobody', () => {
    expect(knownDeviceUser(box, cookie, now + 179 * DAY)).toBe('user-1');
    expect(knownDeviceUser(box, cookie, now + 180 * DAY)).toBeUndefined();
  });

  it('is worthless when altered, re-addressed to another user, or signed with another key', () => {
    const [, issued, mac] = cookie.split('.');
    expect(knownDeviceUser(box, `user-2.${issued}.${mac}`, now)).toBeUndefined();
    expect(knownDeviceUser(box, `user-1.${Number(issued) + 1}.${mac}`, now)).toBeUndefined();
    expect(knownDeviceUser(new SecretBox(generateSecretKey()), cookie, now)).toBeUndefined();
    for (const junk of [undefined, '', 'a.b', 'a.b.c.d', `${cookie}.`]) expect(knownDeviceUser(box, junk, now)).toBeUndefined();
  });
});

describe('remembered two-factor browser', () => {
  const box = new SecretBox(generateSecretKey());
  const now = Date.UTC(2026, 0, 1);
  const enabledAt = new Date(now - DAY);
  const cookie = rememberTwoFactorCookie(box, 'user-1', enabledAt, now);

  it('skips the second step for 30 days, for its user and authenticator only', () => {
    expect(rememberedTwoFactor(box, cookie, 'user-1', enabledAt, now + 29 * DAY)).toBe(true);
    expect(rememberedTwoFactor(box, cookie, 'user-1', enabledAt, now + 30 * DAY)).toBe(false);
    expect(rememberedTwoFactor(box, cookie, 'user-2', enabledAt, now)).toBe(false);
    // A new authenticator (turned off and on again, or reset by a manager) forgets the browser.
    expect(rememberedTwoFactor(box, cookie, 'user-1', new Date(now), now)).toBe(false);
    // The sign-in known-device cookie is not a remembered second factor, and vice versa.
    expect(rememberedTwoFactor(box, knownDeviceCookie(box, 'user-1', now), 'user-1', enabledAt, now)).toBe(false);
    expect(knownDeviceUser(box, cookie, now)).toBeUndefined();
  });
});
