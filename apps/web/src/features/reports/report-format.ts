import type { TFunction } from 'i18next';

/** "45 s", "12 min", "3 h 05 min", "2 d 4 h"; a dash when nothing was measured. */
export function formatSeconds(seconds: number | null | undefined, t: TFunction): string {
  if (seconds === null || seconds === undefined) return '—';
  const s = Math.round(seconds);
  if (s < 60) return t('reports.units.seconds', { n: s });
  const m = Math.round(s / 60);
  if (m < 60) return t('reports.units.minutes', { n: m });
  const h = Math.floor(m / 60);
  if (h < 48) return t('reports.units.hoursMinutes', { h, m: String(m % 60).padStart(2, '0') });
  return t('reports.units.daysHours', { d: Math.floor(h / 24), h: h % 24 });
}

/** Change against the previous period as a signed share, or null when there is nothing to compare. */
export function change(now: number | null, before: number | null): number | null {
  if (now === null || before === null || before === 0) return null;
  return (now - before) / before;
}

const pad = (n: number) => String(n).padStart(2, '0');
export const isoDay = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

/** The last `days` whole days up to today. */
export function lastDays(days: number, today = new Date()): { from: string; to: string } {
  const from = new Date(today);
  from.setDate(from.getDate() - (days - 1));
  return { from: isoDay(from), to: isoDay(today) };
}
