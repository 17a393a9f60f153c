import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';
import type { ReportSettings } from '@switchboard/shared';
import type { Db } from '../../platform/db/client.js';
import { memberships, users } from '../../platform/db/schema.js';
import { accountBusinessHours } from '../../platform/db/schema.reports.js';
import { DEFAULT_WEEK } from './business-hours.js';

/** Business hours, time zone and the weekly e-mail of an account. */
export class ReportSettingsRepository {
  constructor(private readonly db: Db) {}

  async get(accountId: string): Promise<ReportSettings> {
    const [row] = await this.db.select().from(accountBusinessHours).where(eq(accountBusinessHours.accountId, accountId));
    return {
      timeZone: row?.timeZone ?? 'UTC',
      businessHoursEnabled: row?.enabled ?? false,
      week: row?.week ?? DEFAULT_WEEK,
      weeklyReport: row?.weeklyReport ?? false,
    };
  }

  async save(accountId: string, s: ReportSettings): Promise<void> {
    const values = {
      timeZone: s.timeZone,
      enabled: s.businessHoursEnabled,
      week: s.week,
      weeklyReport: s.weeklyReport,
      updatedAt: new Date(),
    };
    await this.db
      .insert(accountBusinessHours)
      .values({ accountId, ...values })
      .onConflictDoUpdate({ target: accountBusinessHours.accountId, set: values });
  }

  /** Accounts whose weekly report is due (not sent in the last six days). */
  async dueWeekly(now: Date): Promise<{ accountId: string; timeZone: string }[]> {
    const weekAgo = new Date(now.getTime() - 6 * 86_400_000);
    return this.db
      .select({ accountId: accountBusinessHours.accountId, timeZone: accountBusinessHours.timeZone })
      .from(accountBusinessHours)
      .where(
        and(
          eq(accountBusinessHours.weeklyReport, true),
          or(isNull(accountBusinessHours.weeklyReportSentAt), lt(accountBusinessHours.weeklyReportSentAt, weekAgo)),
        ),
      );
  }

  async markWeeklySent(accountId: string, at: Date): Promise<void> {
    await this.db.update(accountBusinessHours).set({ weeklyReportSentAt: at }).where(eq(accountBusinessHours.accountId, accountId));
  }

  /** Active owners, admins and supervisors: who reads the weekly report, with their language. */
  async managers(accountId: string): Promise<{ email: string; locale: string | null }[]> {
    return this.db
      .select({ email: users.email, locale: users.locale })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(
        and(
          eq(memberships.accountId, accountId),
          isNull(memberships.deactivatedAt),
          sql`${memberships.role} in ('owner', 'admin', 'supervisor')`,
        ),
      );
  }
}
