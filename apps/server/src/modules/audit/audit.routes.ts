import { Readable } from 'node:stream';
import { auditLogEntry, auditQuery, page, pageQuery } from '@switchboard/shared';
import type { App } from '../../platform/http/server.js';
import { decodeSeqCursor } from '../../platform/http/cursor.js';
import { actorOf } from '../identity/identity.auth.js';
import type { AuditService } from './audit.service.js';

export function auditRoutes(app: App, audit: AuditService): void {
  app.get(
    '/api/audit',
    {
      config: { permission: 'audit.read' },
      schema: {
        tags: ['audit'],
        summary: 'Audit log: who did what, filtered by person, action, object and date (newest first)',
        querystring: pageQuery.extend(auditQuery.shape),
        response: { 200: page(auditLogEntry) },
      },
    },
    async (req) => {
      const { limit, cursor, ...filter } = req.query;
      const result = await audit.list(actorOf(req), filter, limit, cursor ? decodeSeqCursor(cursor) : undefined);
      return { ...result, items: result.items.map((e) => ({ ...e, createdAt: e.createdAt.toISOString() })) };
    },
  );

  app.get(
    '/api/audit/export',
    {
      config: { permission: 'audit.read' },
      schema: {
        tags: ['audit'],
        summary: 'The filtered audit log as CSV (streamed)',
        querystring: auditQuery,
        produces: ['text/csv'],
      },
    },
    async (req, reply) => {
      const lines = audit.exportCsv(actorOf(req), req.query);
      const day = new Date().toISOString().slice(0, 10);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="audit-${day}.csv"`)
        .send(Readable.from(lines));
    },
  );
}
