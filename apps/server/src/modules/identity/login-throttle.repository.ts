import { and, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import { sessions } from '../../platform/db/schema.js';

/** The shape of a failure streak: when it ends, when back-off starts, how long it may grow. */
export interface StreakRules {
  /** A streak ends after this long without a failure. */
  quietSeconds: number;
  /** Failures before back-off starts. */
  backoffAfter: number;
  /** The longest wait between two attempts. */
  maxWaitSeconds: number;
}

/** Per-address sign-in failures (`login_failures`); every statement is one atomic row update. */
export class LoginThrottleRepository {
  constructor(private readonly db: Db) {}

  /**
   * Takes the next back-off slot of an address: 0 when an attempt may go now (the wait before the one
   * after it doubles), else the milliseconds left. Concurrent claims serialise on the row: one wins.
   */
  async claimAttempt(email: string, r: StreakRules): Promise<number> {
    const live = sql`failures >= ${r.backoffAfter} and last_failed_at > now() - ${r.quietSeconds} * interval '1 second'`;
    const claimed = await this.db.execute(sql`
      update login_failures
         set blocked_until = now() + least(power(2, failures - ${r.backoffAfter}), ${r.maxWaitSeconds}) * interval '1 second'
       where email = ${email} and ${live} and (blocked_until is null or blocked_until <= now())
      returning email`);
    if (claimed.rows.length > 0) return 0;
    const blocked = await this.db.execute<{ wait_ms: number }>(sql`
      select ceil(extract(epoch from blocked_until - now()) * 1000)::int as wait_ms
        from login_failures where email = ${email} and ${live} and blocked_until > now()`);
    return blocked.rows[0]?.wait_ms ?? 0;
  }

  /** Counts a failure; returns the streak's length so far. */
  async recordFailure(email: string, r: StreakRules): Promise<number> {
    const ended = sql`login_failures.last_failed_at <= now() - ${r.quietSeconds} * interval '1 second'`;
    const { rows } = await this.db.execute<{ failures: number }>(sql`
      insert into login_failures (email, failures, last_failed_at) values (${email}, 1, now())
      on conflict (email) do update set
        failures = case when ${ended} then 1 else login_failures.failures + 1 end,
        blocked_until = case when ${ended} then null else login_failures.blocked_until end,
        last_failed_at = now()
      returning failures`);
    return rows[0]!.failures;
  }

  /** True once per `everySeconds` for a streak of at least `after` failures (the caller sends the alert). */
  async claimAlert(email: string, after: number, everySeconds: number): Promise<boolean> {
    const { rows } = await this.db.execute(sql`
      update login_failures set alerted_at = now()
       where email = ${email} and failures >= ${after}
         and (alerted_at is null or alerted_at <= now() - ${everySeconds} * interval '1 second')
      returning email`);
    return rows.length > 0;
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
}
