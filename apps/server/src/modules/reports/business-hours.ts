import type { BusinessDay } from '@switchboard/shared';

export interface WorkingTime {
  timeZone: string;
  /** Seven days, Monday first; null = around the clock. */
  week: BusinessDay[] | null;
}

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock fields of an instant in a zone, as if that wall time were UTC (ms). */
function wallAsUtc(t: number, timeZone: string): number {
  const p: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(t)) if (part.type !== 'literal') p[part.type] = Number(part.value);
  return Date.UTC(p.year!, p.month! - 1, p.day, p.hour, p.minute, p.second);
}

/** The zone's offset from UTC at an instant (ms, east positive). */
export function zoneOffset(t: number, timeZone: string): number {
  return wallAsUtc(Math.floor(t / 1000) * 1000, timeZone) - Math.floor(t / 1000) * 1000;
}

/** The instant a wall time (given as if UTC, ms) happens in a zone; the usual two-pass guess across DST. */
export function wallToInstant(wall: number, timeZone: string): number {
  const first = wall - zoneOffset(wall, timeZone);
  return wall - zoneOffset(first, timeZone);
}

/** Midnight (local) of the day an instant falls on, as a wall time. */
const wallDay = (t: number, timeZone: string) => Math.floor(wallAsUtc(t, timeZone) / DAY_MS) * DAY_MS;

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * Seconds between two instants that fall within working hours (all of them when `week` is null).
 * Spans longer than a year count whole weeks after the first year.
 */
export function workingSeconds(start: Date, end: Date, working: WorkingTime): number {
  const a = start.getTime();
  const b = end.getTime();
  if (b <= a) return 0;
  if (!working.week) return Math.round((b - a) / 1000);
  const week = working.week;
  let total = 0;
  const lastDay = wallDay(b, working.timeZone);
  let dayWall = wallDay(a, working.timeZone);
  for (let i = 0; dayWall <= lastDay && i < 372; i++, dayWall += DAY_MS) {
    const spec = week[(new Date(dayWall).getUTCDay() + 6) % 7];
    if (!spec?.open) continue;
    const open = wallToInstant(dayWall + minutesOf(spec.start) * 60_000, working.timeZone);
    const close = wallToInstant(dayWall + minutesOf(spec.end) * 60_000, working.timeZone);
    const from = Math.max(open, a);
    const to = Math.min(close, b);
    if (to > from) total += to - from;
  }
  if (dayWall <= lastDay) {
    // More than a year: the rest in whole weeks of opening hours (rare; a rough tail is good enough).
    const weekly = week.reduce((s, d) => s + (d.open ? (minutesOf(d.end) - minutesOf(d.start)) * 60_000 : 0), 0);
    total += ((lastDay - dayWall) / (7 * DAY_MS)) * weekly;
  }
  return Math.round(total / 1000);
}

/** Mon–Fri 09:00–18:00: what a new account starts from. */
export const DEFAULT_WEEK: BusinessDay[] = [0, 1, 2, 3, 4, 5, 6].map((d) => ({ open: d < 5, start: '09:00', end: '18:00' }));
