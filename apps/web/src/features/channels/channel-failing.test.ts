import { describe, expect, it } from 'vitest';
import { isFailingToSend } from './channel-failing';

const now = Date.parse('2026-12-07T12:00:00Z');
const base = { status: 'connected' as const, errorCount: 1, lastErrorAt: '2026-12-07T11:50:00Z', lastOutboundAt: '2026-12-07T11:00:00Z' };

describe('a channel failing to send', () => {
  it('is one whose latest outbound activity, within the hour, was an error', () => {
    expect(isFailingToSend(base, now)).toBe(true);
    expect(isFailingToSend({ ...base, lastOutboundAt: null }, now)).toBe(true);
  });
  it('is not one that sent successfully since, or whose error is old, or that shows another status', () => {
    expect(isFailingToSend({ ...base, lastOutboundAt: '2026-12-07T11:55:00Z' }, now)).toBe(false);
    expect(isFailingToSend({ ...base, lastErrorAt: '2026-12-07T10:00:00Z' }, now)).toBe(false);
    expect(isFailingToSend({ ...base, status: 'auth_failed' }, now)).toBe(false);
    expect(isFailingToSend({ ...base, errorCount: 0 }, now)).toBe(false);
  });
});
