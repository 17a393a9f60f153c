import { and, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import { sessions } from '../../platform/db/schema.js';

/** The shape of an attempt streak: when it ends, when back-off starts, how long it may grow. */
export interface StreakRules {
  /** A streak ends after this long without an attempt. */
  quietSeconds: number;
  /** Attempts that go freely before back-off starts. */
  backoffAfter: number;
  /** The longest wait between two attempts. */
  maxWaitSeconds: number;
}

/** Doublings beyond this add nothing (the wait is capped anyway) and would overflow `power()`. */
const MAX_DOUBLINGS = 16;

/**
 * Per-address sign-in attempts since the last success (`login_failures`; `failures` counts attempts,
 * `last_failed_at` is the last one); every statement is one atomic row update.
 */
export class LoginThrottleRepository {
  constructor(private readonly db: Db) {}

  /**
   * Counts an attempt before its password is checked, so attempts in flight at once count too. `gated`:
   * past `backoffAfter` attempts it must take the next back-off slot (the wait after it doubles) or is
   * not counted. Returns the streak's count with this attempt, or the milliseconds left to wait.
   * Concurrent claims serialise on the row.
   */
  async claimAttempt(email: string, r: StreakRules, gated: boolean): Promise<{ attempts: number } | { waitMs: number }> {
    const ended = sql`f.last_failed_at <= now() - ${r.quietSeconds} * interval '1 second'`;
    const free = sql`(f.failures < ${r.backoffAfter} or f.blocked_until is null or f.blocked_until <= now())`;
    const wait = sql`least(power(2, least(f.failures - ${r.backoffAfter}, ${MAX_DOUBLINGS})), ${r.maxWaitSeconds}) * interval '1 second'`;
    const { rows } = await this.db.execute<{ failures: number }>(sql`
      insert into login_failures as f (email, failures, last_failed_at) values (${email}, 1, now())
      on conflict (email) do update set
        failures = case when ${ended} then 1 else f.failures + 1 end,
        blocked_until = case
          when ${ended} then null
          when ${gated} and f.failures >= ${r.backoffAfter} then now() + ${wait}
          else f.blocked_until end,
        last_failed_at = now()
      where ${ended} or not ${gated} or ${free}
      returning failures`);
    if (rows[0]) return { attempts: rows[0].failures };
    const blocked = await this.db.execute<{ wait_ms: number }>(sql`
      select ceil(extract(epoch from blocked_until - now()) * 1000)::int as wait_ms from login_failures where email = ${email}`);
    return { waitMs: Math.max(blocked.rows[0]?.wait_ms ?? 0, 1000) };
  }

  /** A successful sign-in ends the address's streak (its last alert time stays). */
  async clearAttempts(email: string): Promise<void> {
    await this.db.execute(sql`update login_failures set failures = 0, blocked_until = null where email = ${email}`);
  }

  /** The streak's count, once per `everySeconds` when it reached `after` (the caller sends the alert). */
  async claimAlert(email: string, after: number, everySeconds: number): Promise<number | undefined> {
    const { rows } = await this.db.execute<{ failures: number }>(sql`
      update login_failures set alerted_at = now()
       where email = ${email} and failures >= ${after}
         and (alerted_at is null or alerted_at <= now() - ${everySeconds} * interval '1 second')
      returning failures`);
    return rows[0]?.failures;
  }

  /** Which of these users signed in from `ip` within `days` (their usual places). */
  async usersSeenFrom(userIds: string[], ip: string, days: number): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    const rows = await this.db
      .selectDistinct({ userId: sessions.userId })
      .from(sessions)
      .where(and(inArray(sessions.userId, userIds), eq(sessions.ip, ip), gt(sessions.createdAt, sql`now() - ${days} * interval '1 day'`)));
    return new Set(rows.map((r) => r.userId));
  }

  /** Hourly maintenance: streaks end after 15 quiet minutes; a day-old row only holds a spent alert time. */
  async pruneEnded(): Promise<void> {
    await this.db.execute(sql`delete from login_failures where last_failed_at < now() - interval '1 day'`);
  }
}
