import type { AuditQuery } from '@switchboard/shared';
import type { AppContext } from '../../context.js';
import { requirePermission, type Actor } from '../identity/permissions.js';
import { AuditRepository } from './audit.repository.js';

const EXPORT_BATCH = 1000;
const CSV_COLUMNS = [
  'id',
  'createdAt',
  'actorEmail',
  'actorName',
  'actorUserId',
  'action',
  'targetType',
  'targetId',
  'ip',
  'details',
] as const;

/** A CSV field: quoted when needed; a leading formula character is defused for spreadsheets. */
function csvField(value: unknown): string {
  let s = value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Who did what in an account: the audit log page and its export. */
export class AuditService {
  private readonly repo: AuditRepository;

  constructor(ctx: AppContext) {
    this.repo = new AuditRepository(ctx.db);
  }

  async list(actor: Actor, filter: AuditQuery, limit: number, cursor?: number) {
    requirePermission(actor, 'audit.read');
    const rows = await this.repo.page(actor.accountId, filter, limit + 1, cursor);
    const items = rows.slice(0, limit);
    return { items, nextCursor: rows.length > limit ? String(items[items.length - 1]!.id) : null };
  }

  /**
   * The filtered log as CSV lines, newest first, read in batches while the client downloads (never the whole
   * log in memory). The permission is checked before the first line.
   */
  exportCsv(actor: Actor, filter: AuditQuery): AsyncGenerator<string> {
    requirePermission(actor, 'audit.read');
    const repo = this.repo;
    return (async function* () {
      yield '\uFEFF' + CSV_COLUMNS.join(',') + '\r\n';
      let before: number | undefined;
      for (;;) {
        const rows = await repo.page(actor.accountId, filter, EXPORT_BATCH, before);
        if (rows.length === 0) return;
        yield rows
          .map((r) => CSV_COLUMNS.map((c) => csvField(c === 'createdAt' ? r.createdAt.toISOString() : r[c])).join(',') + '\r\n')
          .join('');
        if (rows.length < EXPORT_BATCH) return;
        before = rows[rows.length - 1]!.id;
      }
    })();
  }
}
