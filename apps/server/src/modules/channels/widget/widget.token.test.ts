import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signVisitorToken, verifyVisitorToken } from './widget.token.js';

const key = 'k'.repeat(43);
const channel = randomUUID();
const visitor = randomUUID();

describe('visitor tokens', () => {
  it('verifies its own token and names the visitor', () => {
    expect(verifyVisitorToken(key, channel, signVisitorToken(key, channel, visitor))).toBe(visitor);
  });

  it('refuses a token of another channel, another key, or with a swapped visitor id', () => {
    const token = signVisitorToken(key, channel, visitor);
    expect(verifyVisitorToken(key, randomUUID(), token)).toBeNull();
    expect(verifyVisitorToken('x'.repeat(43), channel, token)).toBeNull();
    const [v, , sig] = token.split('.');
    expect(verifyVisitorToken(key, channel, `${v}.${randomUUID()}.${sig}`)).toBeNull();
  });

  it('refuses malformed and unversioned tokens', () => {
    const token = signVisitorToken(key, channel, visitor);
    for (const bad of [
      undefined,
      42,
      '',
      'v1',
      `v2${token.slice(2)}`,
      `${token}.x`,
      token.slice(0, -2),
      `v1.not-a-uuid.${token.split('.')[2]}`,
    ]) {
      expect(verifyVisitorToken(key, channel, bad)).toBeNull();
    }
  });
});
