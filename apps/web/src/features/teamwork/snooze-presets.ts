import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';

dayjs.extend(utc);
dayjs.extend(timezone);

export type SnoozePreset = 'oneHour' | 'tomorrow' | 'nextMonday';
export const SNOOZE_PRESETS: SnoozePreset[] = ['oneHour', 'tomorrow', 'nextMonday'];

/** The person's time zone: chosen in the profile, else the browser's. */
export function personTimeZone(profileTimeZone: string | null | undefined): string {
  return profileTimeZone || Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** When a preset wakes, read in the person's time zone ("tomorrow 9:00" is 9:00 where they are). */
export function snoozePresetTime(preset: SnoozePreset, now: Date, timeZone: string): Date {
  if (preset === 'oneHour') return new Date(now.getTime() + 3600_000);
  const local = dayjs(now).tz(timeZone);
  const nineAm = (d: dayjs.Dayjs) => d.hour(9).minute(0).second(0).millisecond(0);
  if (preset === 'tomorrow') return nineAm(local.add(1, 'day')).toDate();
  // Next Monday: 1–7 days ahead (a Monday gives the one after).
  const isoDay = local.day() === 0 ? 7 : local.day();
  return nineAm(local.add(8 - isoDay, 'day')).toDate();
}

/** A wall-clock date-time picked in the person's zone (the picker knows only the browser's), as an instant. */
export function fromZonedWallClock(picked: Date, timeZone: string): Date {
  const wall = dayjs(picked).format('YYYY-MM-DDTHH:mm:ss');
  return dayjs.tz(wall, timeZone).toDate();
}

export function formatInZone(at: string | Date, timeZone: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(at));
}
