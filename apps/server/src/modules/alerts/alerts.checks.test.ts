import { describe, expect, it } from 'vitest';
import { detectProblems, type ChannelFacts } from './alerts.checks.js';

const now = new Date('2026-11-23T12:00:00Z');
const ago = (min: number) => new Date(now.getTime() - min * 60_000);
const healthy: ChannelFacts = {
  status: 'connected',
  statusReason: null,
  polls: false,
  lastPolledAt: null,
  lastInboundAt: ago(1),
  createdAt: ago(600),
  silenceAlertMinutes: null,
  failedRecently: 0,
  lastOutboundAt: null,
};
const kinds = (f: Partial<ChannelFacts>) => detectProblems({ ...healthy, ...f }, now).map((p) => p.kind);

describe('channel health checks', () => {
  it('a connected, quiet webhook channel without a silence alert has no problems', () => {
    expect(kinds({ lastInboundAt: ago(10_000) })).toEqual([]);
  });

  it('reports auth failure and a missing webhook with the provider reason', () => {
    const [p] = detectProblems({ ...healthy, status: 'auth_failed', statusReason: 'Avito: invalid client' }, now);
    expect(p?.kind).toBe('auth_failed');
    expect(p?.message).toContain('Avito: invalid client');
    expect(kinds({ status: 'webhook_not_set' })).toEqual(['webhook_not_set']);
  });

  it('a poller is lagging after 10 quiet minutes, or 2 minutes after a failure', () => {
    expect(kinds({ polls: true, lastPolledAt: ago(5) })).toEqual([]);
    expect(kinds({ polls: true, lastPolledAt: ago(11) })).toEqual(['poller_lagging']);
    expect(kinds({ polls: true, lastPolledAt: ago(1), status: 'poller_lagging' })).toEqual([]);
    expect(kinds({ polls: true, lastPolledAt: ago(3), status: 'poller_lagging' })).toEqual(['poller_lagging']);
    // a channel whose credentials fail is reported as such, not twice
    expect(kinds({ polls: true, lastPolledAt: ago(60), status: 'auth_failed' })).toEqual(['auth_failed']);
  });

  it('silence counts from the last inbound message, or from creation', () => {
    expect(kinds({ silenceAlertMinutes: 60, lastInboundAt: ago(59) })).toEqual([]);
    expect(kinds({ silenceAlertMinutes: 60, lastInboundAt: ago(61) })).toEqual(['no_inbound']);
    expect(kinds({ silenceAlertMinutes: 60, lastInboundAt: null, createdAt: ago(30) })).toEqual([]);
  });

  it('failing sends alert only when nothing went through meanwhile', () => {
    expect(kinds({ failedRecently: 3, lastOutboundAt: ago(30) })).toEqual(['delivery_failing']);
    expect(kinds({ failedRecently: 3, lastOutboundAt: ago(2) })).toEqual([]);
    expect(kinds({ failedRecently: 2 })).toEqual([]);
  });
});
