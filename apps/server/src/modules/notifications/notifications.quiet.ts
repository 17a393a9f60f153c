import type { NotificationSettings } from '@switchboard/shared';

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** The wall-clock minute of the day in `timeZone` (UTC when the zone is unknown). */
export function localMinute(now: Date, timeZone: string): number {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(now);
  } catch {
    return now.getUTCHours() * 60 + now.getUTCMinutes();
  }
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return get('hour') * 60 + get('minute');
}

/**
 * When the person's quiet hours end, if `now` falls inside them; undefined otherwise. `from` after `to`
 * spans midnight (22:00–08:00). The zone is the one set with the quiet hours, else the profile's, else UTC.
 */
export function quietUntil(quiet: NotificationSettings['quietHours'], profileZone: string | null, now = new Date()): Date | undefined {
  if (!quiet.enabled) return undefined;
  const from = minutesOf(quiet.from);
  const to = minutesOf(quiet.to);
  if (from === to) return undefined;
  const m = localMinute(now, quiet.timeZone ?? profileZone ?? 'UTC');
  const inside = from < to ? m >= from && m < to : m >= from || m < to;
  if (!inside) return undefined;
  const minutesLeft = (to - m + 1440) % 1440;
  const end = new Date(now.getTime() + minutesLeft * 60_000);
  end.setSeconds(0, 0);
  return end;
}
