import { describe, expect, it } from 'vitest';
import { pickAssignee } from './teams.assignment.js';
import { withinWorkingHours } from './teams.hours.js';
import { effectiveStatus } from './teams.presence.js';

const hours = { timeZone: 'Europe/Moscow', days: { '1': [{ from: '09:00', to: '18:00' }], '5': [{ from: '22:00', to: '02:00' }] } };

describe('working hours', () => {
  it('are read in the team’s time zone', () => {
    // Monday 2026-12-07 08:30 UTC = 11:30 in Moscow: open; 15:30 UTC = 18:30 in Moscow: closed.
    expect(withinWorkingHours(hours, new Date('2026-12-07T08:30:00Z'))).toBe(true);
    expect(withinWorkingHours(hours, new Date('2026-12-07T15:30:00Z'))).toBe(false);
    // 05:30 UTC Monday = 08:30 Moscow: not yet.
    expect(withinWorkingHours(hours, new Date('2026-12-07T05:30:00Z'))).toBe(false);
    // Tuesday has no hours.
    expect(withinWorkingHours(hours, new Date('2026-12-08T08:30:00Z'))).toBe(false);
    expect(withinWorkingHours(null, new Date())).toBe(true);
  });

  it('an interval past midnight runs into the next day', () => {
    // Friday 2026-12-11 23:00 Moscow (20:00 UTC) and Saturday 01:00 Moscow (22:00 UTC Friday): open; Saturday 03:00: closed.
    expect(withinWorkingHours(hours, new Date('2026-12-11T20:00:00Z'))).toBe(true);
    expect(withinWorkingHours(hours, new Date('2026-12-11T22:00:00Z'))).toBe(true);
    expect(withinWorkingHours(hours, new Date('2026-12-12T00:00:00Z'))).toBe(false);
  });
});

describe('who gets the next conversation', () => {
  const c = (userId: string, load: number, lastAssignedAt: string | null, capacity: number | null = null) => ({
    userId,
    load,
    capacity,
    lastAssignedAt: lastAssignedAt ? new Date(lastAssignedAt) : null,
  });

  it('round-robin: whoever got one longest ago (never first), skipping the full', () => {
    const people = [c('a', 0, '2026-12-07T10:00:00Z'), c('b', 1, null), c('c', 0, '2026-12-07T09:00:00Z')];
    expect(pickAssignee({ assignment: 'round_robin', capacity: null }, people)?.userId).toBe('b');
    expect(pickAssignee({ assignment: 'round_robin', capacity: 1 }, people)?.userId).toBe('c');
  });

  it('least busy: the smallest load; a personal capacity overrides the team’s', () => {
    const people = [c('a', 3, null), c('b', 1, null, 1), c('c', 2, null)];
    expect(pickAssignee({ assignment: 'least_busy', capacity: 5 }, people)?.userId).toBe('c');
    expect(pickAssignee({ assignment: 'least_busy', capacity: 2 }, [c('a', 2, null)])).toBeUndefined();
  });
});

describe('presence', () => {
  const now = new Date('2026-12-07T12:00:00Z');
  const ago = (ms: number) => new Date(now.getTime() - ms);
  it('comes from activity unless chosen by hand', () => {
    expect(effectiveStatus({ manual: null, lastStreamAt: ago(30_000), lastActiveAt: ago(60_000) }, now)).toBe('online');
    expect(effectiveStatus({ manual: null, lastStreamAt: ago(30_000), lastActiveAt: ago(20 * 60_000) }, now)).toBe('away');
    expect(effectiveStatus({ manual: null, lastStreamAt: ago(5 * 60_000), lastActiveAt: ago(5 * 60_000) }, now)).toBe('offline');
    expect(effectiveStatus({ manual: 'away', lastStreamAt: ago(1000), lastActiveAt: ago(1000) }, now)).toBe('away');
    expect(effectiveStatus({ manual: 'offline', lastStreamAt: ago(1000), lastActiveAt: ago(1000) }, now)).toBe('offline');
    // Online by hand still needs a connection.
    expect(effectiveStatus({ manual: 'online', lastStreamAt: ago(10 * 60_000), lastActiveAt: null }, now)).toBe('offline');
    expect(effectiveStatus(undefined, now)).toBe('offline');
  });
});
