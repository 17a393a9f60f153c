import { describe, expect, it } from 'vitest';
import { backupsToKeep } from './backup.retention.js';

/** One backup a day at 02:30 UTC for `days` days ending on 2026-12-07 (a Monday), newest first. */
function daily(days: number) {
  return Array.from({ length: days }, (_, i) => {
    const startedAt = new Date(Date.UTC(2026, 11, 7 - i, 2, 30));
    return { id: startedAt.toISOString().slice(0, 10), startedAt };
  });
}

describe('backupsToKeep', () => {
  it('keeps 7 daily, 4 weekly and 6 monthly out of a year of daily backups', () => {
    const kept = [...backupsToKeep(daily(365), { daily: 7, weekly: 4, monthly: 6 })].sort().reverse();
    expect(kept).toEqual([
      // the last 7 days
      '2026-12-07',
      '2026-12-06',
      '2026-12-05',
      '2026-12-04',
      '2026-12-03',
      '2026-12-02',
      '2026-12-01',
      // newest of each of the last 6 months: November's is its last day
      '2026-11-30',
      // newest of each of the last 4 weeks (Monday-based): 12-07 and 12-06 above, then the Sundays before
      '2026-11-29',
      '2026-11-22',
      // the months before
      '2026-10-31',
      '2026-09-30',
      '2026-08-31',
      '2026-07-31',
    ]);
  });

  it('keeps only the newest of several backups of one day', () => {
    const a = { id: 'morning', startedAt: new Date('2026-12-07T02:30:00Z') };
    const b = { id: 'evening', startedAt: new Date('2026-12-07T20:00:00Z') };
    expect([...backupsToKeep([a, b], { daily: 7, weekly: 0, monthly: 0 })]).toEqual(['evening']);
  });

  it('always keeps the newest backup, even with a policy of zero', () => {
    expect([...backupsToKeep(daily(3), { daily: 0, weekly: 0, monthly: 0 })]).toEqual(['2026-12-07']);
  });

  it('keeps everything while there are fewer backups than the policy allows', () => {
    expect(backupsToKeep(daily(5), { daily: 7, weekly: 4, monthly: 6 }).size).toBe(5);
  });
});
