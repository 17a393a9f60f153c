import { describe, expect, it } from 'vitest';
import { generateSecretKey, safeEqual, SecretBox } from './secret-box.js';

describe('SecretBox', () => {
  const box = new SecretBox(generateSecretKey());

  it('round-trips a value and never shows the plaintext', () => {
    const sealed = box.seal({ botToken: '123456:AAH-secret-token-value' });
    expect(sealed).toMatch(/^v1\./);
    expect(sealed).not.toContain('secret-token');
    expect(box.open(sealed)).toEqual({ botToken: '123456:AAH-secret-token-value' });
  });

  it('uses a fresh IV each time', () => {
    expect(box.seal('x')).not.toBe(box.seal('x'));
  });

  it('rejects tampered ciphertext and the wrong key', () => {
    const sealed = box.seal({ a: 1 });
    const parts = sealed.split('.');
    const data = Buffer.from(parts[3]!, 'base64url');
    data[0] = data[0]! ^ 1;
    parts[3] = data.toString('base64url');
    expect(() => box.open(parts.join('.'))).toThrow();
    expect(() => new SecretBox(generateSecretKey()).open(sealed)).toThrow();
    expect(() => box.open('v0.a.b.c')).toThrow(/unrecognised/);
  });

  it('accepts hex or base64 keys of 32 bytes only', () => {
    expect(() => new SecretBox('ab'.repeat(32))).not.toThrow();
    expect(() => new SecretBox(Buffer.alloc(16).toString('base64'))).toThrow(/32 bytes/);
  });

  it('opens values sealed with a previous key and re-seals them with the current one', () => {
    const oldKey = generateSecretKey();
    const sealedBefore = new SecretBox(oldKey).seal({ token: 't' });
    const rotating = new SecretBox(generateSecretKey(), [oldKey]);
    expect(rotating.open(sealedBefore)).toEqual({ token: 't' });
    const resealed = rotating.reseal(sealedBefore)!;
    expect(resealed).not.toBe(sealedBefore);
    expect(rotating.reseal(resealed)).toBeUndefined(); // already current
    expect(() => new SecretBox(oldKey).open(resealed)).toThrow(/wrong key/);
    expect(rotating.previousKeyIds).toEqual([new SecretBox(oldKey).keyId]);
  });

  it('compares strings of any length in constant time', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abcd')).toBe(false);
  });
});
