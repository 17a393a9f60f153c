import type { WorkingHours } from '../../platform/db/schema.teamwork.js';

/** The weekday (1 = Monday … 7 = Sunday) and minute of the day at `at` in `timeZone`. */
export function localTime(at: Date, timeZone: string): { weekday: number; minute: number } {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    .formatToParts(at)
    .reduce<Record<string, string>>((acc, p) => ({ ...acc, [p.type]: p.value }), {});
  const weekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(parts.weekday!) + 1;
  return { weekday, minute: Number(parts.hour) * 60 + Number(parts.minute) };
}

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Whether a team works at `at` (no hours set = always). An interval ending before it starts runs past midnight. */
export function withinWorkingHours(hours: WorkingHours | null, at: Date): boolean {
  if (!hours) return true;
  const { weekday, minute } = localTime(at, hours.timeZone);
  const today = hours.days[String(weekday) as keyof WorkingHours['days']] ?? [];
  if (
    today.some((i) => (minutes(i.from) <= minutes(i.to) ? minute >= minutes(i.from) && minute < minutes(i.to) : minute >= minutes(i.from)))
  ) {
    return true;
  }
  // Yesterday's overnight interval may still run.
  const yesterday = hours.days[String(weekday === 1 ? 7 : weekday - 1) as keyof WorkingHours['days']] ?? [];
  return yesterday.some((i) => minutes(i.from) > minutes(i.to) && minute < minutes(i.to));
}
