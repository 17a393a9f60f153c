import { conversationReport, reportExportQuery, reportQuery, reportSettings } from '@switchboard/shared';
import type { App } from '../../platform/http/server.js';
import { actorOf } from '../identity/identity.auth.js';
import { EXPORT_TYPES } from './reports.export.js';
import type { ReportsService } from './reports.service.js';

const tags = ['reports'];

export function reportRoutes(app: App, reports: ReportsService): void {
  app.get(
    '/api/reports/conversations',
    {
      config: { permission: 'report.read' },
      schema: {
        tags,
        summary:
          'Conversations report for whole days in the account time zone: volume, first response and resolution times (median, p90; business hours when set), bot resolution and hand-over rates, by channel and operator, with the previous period',
        querystring: reportQuery,
        response: { 200: conversationReport },
      },
    },
    async (req) => reports.conversations(actorOf(req), req.query),
  );

  app.get(
    '/api/reports/conversations/export',
    {
      config: { permission: 'report.read' },
      schema: {
        tags,
        summary: 'The same report as CSV, XLSX or PDF (streamed; `lang` = ru or en)',
        querystring: reportExportQuery,
        produces: Object.values(EXPORT_TYPES),
      },
    },
    async (req, reply) => {
      const { body, filename } = await reports.export(actorOf(req), req.query);
      return reply.type(EXPORT_TYPES[req.query.format]).header('content-disposition', `attachment; filename="${filename}"`).send(body);
    },
  );

  app.get(
    '/api/reports/settings',
    {
      config: { permission: 'report.read' },
      schema: { tags, summary: 'Business hours, time zone and the weekly e-mail of the reports', response: { 200: reportSettings } },
    },
    async (req) => reports.settings(actorOf(req)),
  );

  app.put(
    '/api/reports/settings',
    {
      config: { permission: 'account.manage' },
      schema: {
        tags,
        summary: 'Change business hours, time zone or the weekly e-mail (changed hours recount past times in the background; audited)',
        body: reportSettings,
        response: { 200: reportSettings },
      },
    },
    async (req) => reports.updateSettings(actorOf(req), req.body),
  );
}
