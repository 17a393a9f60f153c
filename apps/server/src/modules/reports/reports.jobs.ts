import { buffer } from 'node:stream/consumers';
import { defineJob } from '../../platform/queue/queue.js';
import { createMailer } from '../../platform/mail.js';
import type { AppContext } from '../../context.js';
import { zoneOffset } from './business-hours.js';
import { reportPdf } from './reports.export.js';
import { formatChange, formatMetric, labels, type Lang } from './reports.labels.js';
import { rebuildReportFacts } from './reports.projector.js';
import { runConversationReport } from './reports.report.js';
import { ReportSettingsRepository } from './reports.settings.repository.js';

export const reportsRecountJob = defineJob<'reports.recount', AppContext>({
  name: 'reports.recount',
  concurrency: 1,
  options: { retryLimit: 3, retryDelay: 60, retryBackoff: true, expireInSeconds: 3600 },
  async handler({ accountId }, _meta, ctx) {
    await rebuildReportFacts(ctx.db, accountId, { hours: false });
  },
});

const DAY_MS = 86_400_000;

/** Monday..Sunday of the last whole week in a zone, as YYYY-MM-DD. */
export function lastWeek(now: Date, timeZone: string): { from: string; to: string } {
  const localMidnight = Math.floor((now.getTime() + zoneOffset(now.getTime(), timeZone)) / DAY_MS) * DAY_MS;
  const dow = (new Date(localMidnight).getUTCDay() + 6) % 7; // Monday = 0
  const monday = localMidnight - (dow + 7) * DAY_MS;
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return { from: day(monday), to: day(monday + 6 * DAY_MS) };
}

const HEADLINE = ['conversations', 'resolved', 'firstResponseMedian', 'resolutionMedian', 'botResolutionRate', 'handoverRate'] as const;

/** Sends last week's report (text summary + PDF) to every account that asked for it and is due. */
export async function sendWeeklyReports(ctx: AppContext, now = new Date()): Promise<number> {
  const repo = new ReportSettingsRepository(ctx.db);
  const mailer = createMailer(ctx.config);
  let sent = 0;
  for (const { accountId, timeZone } of await repo.dueWeekly(now)) {
    const range = lastWeek(now, timeZone);
    const report = await runConversationReport(await ctx.reports.db(), accountId, { ...range, granularity: 'day' });
    const managers = await repo.managers(accountId);
    for (const lang of ['ru', 'en'] as Lang[]) {
      const to = managers.filter((m) => (m.locale === 'en' ? 'en' : 'ru') === lang).map((m) => m.email);
      if (to.length === 0) continue;
      const t = labels(lang);
      const lines = HEADLINE.map(
        (k) => `${t.metrics[k]}: ${formatMetric(k, report.summary[k], lang)} (${formatChange(report.summary[k], report.previous[k])})`,
      );
      const pdf = await buffer(await reportPdf(report, lang));
      await mailer.send({
        to,
        subject: `${t.title}: ${range.from} — ${range.to}`,
        text: `${t.title}\n${t.period}: ${range.from} — ${range.to}\n\n${lines.join('\n')}\n`,
        attachments: [{ filename: `conversations-${range.from}-${range.to}.pdf`, content: pdf, contentType: 'application/pdf' }],
      });
      sent++;
    }
    await repo.markWeeklySent(accountId, now);
  }
  return sent;
}

export const reportsWeeklyJob = defineJob<'reports.weekly', AppContext>({
  name: 'reports.weekly',
  concurrency: 1,
  options: { retryLimit: 2, retryDelay: 300, retryBackoff: false, expireInSeconds: 1800 },
  async handler(_data, _meta, ctx) {
    await sendWeeklyReports(ctx);
  },
});

export const reportJobs = [reportsRecountJob, reportsWeeklyJob] as const;
