import type { ConversationReport, ReportQuery, ReportSettings } from '@switchboard/shared';
import type { AppContext } from '../../context.js';
import { transaction } from '../../platform/db/transaction.js';
import { recordAudit } from '../identity/identity.audit.js';
import { requirePermission, type Actor } from '../identity/permissions.js';
import { reportCsv, reportPdf, reportXlsx, type ExportFormat } from './reports.export.js';
import type { Lang } from './reports.labels.js';
import { runConversationReport } from './reports.report.js';
import { ReportSettingsRepository } from './reports.settings.repository.js';

/** Reports over the conversations read model; business hours and the weekly e-mail. */
export class ReportsService {
  private readonly settingsRepo: ReportSettingsRepository;

  constructor(private readonly ctx: AppContext) {
    this.settingsRepo = new ReportSettingsRepository(ctx.db);
  }

  async conversations(actor: Actor, q: ReportQuery): Promise<ConversationReport> {
    requirePermission(actor, 'report.read');
    return runConversationReport(await this.ctx.reports.db(), actor.accountId, q);
  }

  async export(actor: Actor, q: ReportQuery & { format: ExportFormat; lang: Lang }) {
    const report = await this.conversations(actor, q);
    const body =
      q.format === 'csv'
        ? reportCsv(report, q.lang)
        : q.format === 'xlsx'
          ? await reportXlsx(report, q.lang)
          : await reportPdf(report, q.lang);
    return { body, filename: `conversations-${q.from}-${q.to}.${q.format}` };
  }

  async settings(actor: Actor): Promise<ReportSettings> {
    requirePermission(actor, 'report.read');
    return this.settingsRepo.get(actor.accountId);
  }

  /** Saves the settings; changed hours or zone recount the times of every conversation (a job). */
  async updateSettings(actor: Actor, s: ReportSettings): Promise<ReportSettings> {
    requirePermission(actor, 'account.manage');
    const before = await this.settingsRepo.get(actor.accountId);
    await transaction(this.ctx.pool, async (tx) => {
      const repo = new ReportSettingsRepository(tx.db);
      await repo.save(actor.accountId, s);
      const recount =
        before.timeZone !== s.timeZone ||
        before.businessHoursEnabled !== s.businessHoursEnabled ||
        JSON.stringify(before.week) !== JSON.stringify(s.week);
      if (recount) await this.ctx.queue.send(tx, 'reports.recount', { accountId: actor.accountId });
      await recordAudit(tx.db, actor, 'reports.settings_changed', { targetType: 'account', targetId: actor.accountId, details: { ...s } });
    });
    return s;
  }
}
