/** How many backups to keep: the newest of each of the last N days, weeks (Monday-based, UTC) and months. */
export interface RetentionPolicy {
  daily: number;
  weekly: number;
  monthly: number;
}

const dayKey = (d: Date) => d.toISOString().slice(0, 10);
const monthKey = (d: Date) => d.toISOString().slice(0, 7);
function weekKey(d: Date): string {
  const monday = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  monday.setUTCDate(monday.getUTCDate() - ((monday.getUTCDay() + 6) % 7));
  return dayKey(monday);
}

/**
 * The ids of good backups the policy keeps (grandfather-father-son): for each of the newest `daily` days
 * that have a backup, that day's newest; likewise per week and per month. The newest backup is always kept.
 */
export function backupsToKeep(good: readonly { id: string; startedAt: Date }[], policy: RetentionPolicy): Set<string> {
  const newestFirst = [...good].sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime());
  const keep = new Set<string>();
  if (newestFirst[0]) keep.add(newestFirst[0].id);
  for (const [limit, keyOf] of [
    [policy.daily, dayKey],
    [policy.weekly, weekKey],
    [policy.monthly, monthKey],
  ] as const) {
    const periods = new Set<string>();
    for (const b of newestFirst) {
      const period = keyOf(b.startedAt);
      if (periods.has(period)) continue;
      if (periods.size >= limit) break;
      periods.add(period);
      keep.add(b.id);
    }
  }
  return keep;
}
