import { describe, expect, it } from 'vitest';
import { fetchText, retryAfterSeconds } from './channels.http.js';

describe('retryAfterSeconds', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');

  it('reads seconds, rounding up', () => {
    expect(retryAfterSeconds(new Headers({ 'retry-after': '7' }), now)).toBe(7);
    expect(retryAfterSeconds(new Headers({ 'retry-after': '0.2' }), now)).toBe(1);
  });

  it('reads an HTTP date, waiting at least a second', () => {
    expect(retryAfterSeconds(new Headers({ 'retry-after': new Date(now + 3_000).toUTCString() }), now)).toBe(3);
    expect(retryAfterSeconds(new Headers({ 'retry-after': new Date(now - 60_000).toUTCString() }), now)).toBe(1);
  });

  it('gives nothing when the header is absent or unreadable', () => {
    expect(retryAfterSeconds(new Headers(), now)).toBeUndefined();
    expect(retryAfterSeconds(new Headers({ 'retry-after': 'soon' }), now)).toBeUndefined();
  });
});

describe('fetchText', () => {
  it('throws the caller’s own error when nothing answers', async () => {
    class Down extends Error {}
    const call = fetchText('http://127.0.0.1:1/', { timeoutMs: 5_000 }, (reason) => new Down(`down: ${reason}`));
    await expect(call).rejects.toBeInstanceOf(Down);
    await expect(call).rejects.toThrow(/^down: /);
  });
});
