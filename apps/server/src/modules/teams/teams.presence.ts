import type { Presence, PresenceStatus } from '@switchboard/shared';
import type { PresenceRow } from './teams.repository.js';

/** Signs of life count this long: an open event stream touches every minute, API calls at most twice a minute. */
export const ALIVE_MS = 2 * 60_000;
/** Connected but without a request this long: away (the tab is open, the person is not at it). */
export const IDLE_MS = 15 * 60_000;

/** Where the presence windows start at `now` (auto-assignment's query uses the same). */
export function presenceWindow(now: Date) {
  return { aliveSince: new Date(now.getTime() - ALIVE_MS), activeSince: new Date(now.getTime() - IDLE_MS) };
}

/** A person's presence: chosen by hand (away, offline — invisible) or from activity. Without a connection nobody is online. */
export function effectiveStatus(row: Pick<PresenceRow, 'manual' | 'lastStreamAt' | 'lastActiveAt'> | undefined, now: Date): PresenceStatus {
  if (!row) return 'offline';
  const { aliveSince, activeSince } = presenceWindow(now);
  const newest = Math.max(row.lastStreamAt?.getTime() ?? 0, row.lastActiveAt?.getTime() ?? 0);
  if (row.manual === 'offline' || newest < aliveSince.getTime()) return 'offline';
  if (row.manual === 'away') return 'away';
  return (row.lastActiveAt?.getTime() ?? 0) >= activeSince.getTime() ? 'online' : 'away';
}

export function toPresence(userId: string, row: PresenceRow | undefined, now: Date): Presence {
  return { userId, status: effectiveStatus(row, now), manual: row?.manual ?? null };
}
