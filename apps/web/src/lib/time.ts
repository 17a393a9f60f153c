import { useEffect, useState } from 'react';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

function startOfDay(d: Date): number {
  return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
}

/** Re-renders every `everyMs` so relative times stay true while the screen is open. */
export function useNow(everyMs = MINUTE): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

/** Compact list time: "now", "5m", "14:32", "Tue", "12 Mar", "12.03.2023". */
export function formatListTime(iso: string, now: number, locale: string, justNow: string): string {
  const date = new Date(iso);
  const diff = now - date.getTime();
  if (diff < MINUTE) return justNow;
  if (diff < 60 * MINUTE)
    return new Intl.NumberFormat(locale, { style: 'unit', unit: 'minute', unitDisplay: 'narrow' }).format(Math.floor(diff / MINUTE));
  const today = startOfDay(new Date(now));
  if (date.getTime() >= today) return formatClock(iso, locale);
  if (date.getTime() >= today - 6 * DAY) return new Intl.DateTimeFormat(locale, { weekday: 'short' }).format(date);
  const sameYear = date.getFullYear() === new Date(now).getFullYear();
  return new Intl.DateTimeFormat(locale, sameYear ? { day: 'numeric', month: 'short' } : { dateStyle: 'short' }).format(date);
}

/** "3 minutes ago", "yesterday", "in 2 days": for activity columns. */
export function formatAgo(iso: string, now: number, locale: string): string {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const abs = Math.abs(seconds);
  if (abs < 60) return rtf.format(seconds, 'second');
  if (abs < 3600) return rtf.format(Math.round(seconds / 60), 'minute');
  if (abs < 86_400) return rtf.format(Math.round(seconds / 3600), 'hour');
  if (abs < 30 * 86_400) return rtf.format(Math.round(seconds / 86_400), 'day');
  return formatDateTime(iso, locale);
}

export function formatClock(iso: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
}

export function formatDateTime(iso: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

/** Day heading in a conversation: "Today", "Yesterday" (given by the caller), or a date. */
export function dayKey(iso: string): number {
  return startOfDay(new Date(iso));
}

export function formatDay(iso: string, now: number, locale: string, labels: { today: string; yesterday: string }): string {
  const day = dayKey(iso);
  const today = startOfDay(new Date(now));
  if (day === today) return labels.today;
  if (day === today - DAY) return labels.yesterday;
  const sameYear = new Date(day).getFullYear() === new Date(now).getFullYear();
  return new Intl.DateTimeFormat(locale, sameYear ? { day: 'numeric', month: 'long', weekday: 'short' } : { dateStyle: 'long' }).format(
    new Date(day),
  );
}
