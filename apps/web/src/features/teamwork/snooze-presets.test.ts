import { describe, expect, it } from 'vitest';
import { fromZonedWallClock, snoozePresetTime } from './snooze-presets';

describe('snooze presets', () => {
  // Wednesday 2026-12-09 23:30 in Moscow (20:30 UTC).
  const now = new Date('2026-12-09T20:30:00Z');

  it('read "tomorrow 9:00" and "next Monday 9:00" in the person’s time zone', () => {
    expect(snoozePresetTime('tomorrow', now, 'Europe/Moscow').toISOString()).toBe('2026-12-10T06:00:00.000Z');
    expect(snoozePresetTime('tomorrow', now, 'UTC').toISOString()).toBe('2026-12-10T09:00:00.000Z');
    expect(snoozePresetTime('nextMonday', now, 'Europe/Moscow').toISOString()).toBe('2026-12-14T06:00:00.000Z');
    expect(snoozePresetTime('oneHour', now, 'Asia/Tokyo').toISOString()).toBe('2026-12-09T21:30:00.000Z');
  });

  it('a Monday snoozes to the Monday after', () => {
    expect(snoozePresetTime('nextMonday', new Date('2026-12-14T08:00:00Z'), 'UTC').toISOString()).toBe('2026-12-21T09:00:00.000Z');
  });

  it('a picked wall-clock time is read in the person’s zone', () => {
    const picked = new Date(2026, 11, 10, 15, 0); // 15:00 on the browser's clock
    expect(fromZonedWallClock(picked, 'Asia/Vladivostok').toISOString()).toBe('2026-12-10T05:00:00.000Z');
  });
});
