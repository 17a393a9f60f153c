import { describe, expect, it } from 'vitest';
import { quietUntil } from './notifications.quiet.js';

const q = (from: string, to: string, timeZone: string | null = null) => ({ enabled: true, from, to, timeZone });

describe('quiet hours', () => {
  it('spans midnight in the person’s zone and ends at its local end', () => {
    // 23:30 in Moscow (UTC+3) is 20:30 UTC.
    const now = new Date('2026-12-07T20:30:00Z');
    expect(quietUntil(q('22:00', '08:00'), 'Europe/Moscow', now)?.toISOString()).toBe('2026-12-08T05:00:00.000Z');
    // The same moment is 20:30 in UTC: not quiet.
    expect(quietUntil(q('22:00', '08:00'), 'UTC', now)).toBeUndefined();
    // The zone of the quiet hours wins over the profile's.
    expect(quietUntil(q('22:00', '08:00', 'Europe/Moscow'), 'UTC', now)).toBeDefined();
  });

  it('a daytime window, an off switch, an empty window and an unknown zone', () => {
    const now = new Date('2026-12-07T12:15:00Z');
    expect(quietUntil(q('12:00', '13:00'), null, now)?.toISOString()).toBe('2026-12-07T13:00:00.000Z');
    expect(quietUntil({ ...q('12:00', '13:00'), enabled: false }, null, now)).toBeUndefined();
    expect(quietUntil(q('12:00', '12:00'), null, now)).toBeUndefined();
    expect(quietUntil(q('12:00', '13:00'), 'Mars/Olympus', now)).toBeDefined();
  });
});
