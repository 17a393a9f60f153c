import { describe, expect, it } from 'vitest';
import { DEFAULT_WEEK, wallToInstant, workingSeconds } from './business-hours.js';

const at = (iso: string) => new Date(iso);

describe('working seconds', () => {
  it('counts everything around the clock', () => {
    expect(workingSeconds(at('2026-03-02T10:00:00Z'), at('2026-03-02T11:30:00Z'), { timeZone: 'UTC', week: null })).toBe(5400);
  });

  it('counts only opening hours in the account zone, across a night and a weekend', () => {
    const hours = { timeZone: 'Europe/Moscow', week: DEFAULT_WEEK };
    // Friday 17:30 Moscow (14:30Z) → Monday 09:30 Moscow (06:30Z): 30 min Friday + 30 min Monday.
    expect(workingSeconds(at('2026-03-06T14:30:00Z'), at('2026-03-09T06:30:00Z'), hours)).toBe(3600);
    // Saturday only: nothing.
    expect(workingSeconds(at('2026-03-07T08:00:00Z'), at('2026-03-07T12:00:00Z'), hours)).toBe(0);
  });

  it('follows daylight saving time', () => {
    // Berlin moves to summer time on 2026-03-29; Monday 30 March 09:00 local is 07:00Z.
    expect(new Date(wallToInstant(Date.UTC(2026, 2, 30, 9), 'Europe/Berlin')).toISOString()).toBe('2026-03-30T07:00:00.000Z');
    expect(new Date(wallToInstant(Date.UTC(2026, 2, 27, 9), 'Europe/Berlin')).toISOString()).toBe('2026-03-27T08:00:00.000Z');
    const hours = { timeZone: 'Europe/Berlin', week: DEFAULT_WEEK };
    expect(workingSeconds(at('2026-03-27T16:00:00Z'), at('2026-03-30T08:00:00Z'), hours)).toBe(2 * 3600);
  });
});
