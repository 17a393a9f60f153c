import { describe, expect, it } from 'vitest';
import { generateSecretKey, SecretBox } from '../../platform/crypto/secret-box.js';
import { knownDeviceCookie, knownDeviceUser } from './known-device.js';

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
