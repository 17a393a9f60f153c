import type { AuditLogEntry, AuditQuery } from '@switchboard/shared';
import { api, type Page } from '../../api/client';

export type AuditFilter = Partial<Record<keyof AuditQuery, string>>;

export const auditKeys = { list: (f: AuditFilter) => ['audit', f] as const };

/** The filter as query parameters (empty fields left out); dates are whole days in the browser's zone. */
export function auditParams(f: AuditFilter): URLSearchParams {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) {
    if (!v?.trim()) continue;
    if (k === 'from') params.set(k, new Date(`${v}T00:00:00`).toISOString());
    else if (k === 'to') params.set(k, new Date(`${v}T23:59:59.999`).toISOString());
    else params.set(k, v.trim());
  }
  return params;
}

export function listAudit(f: AuditFilter, cursor: string | null, signal?: AbortSignal) {
  const params = auditParams(f);
  params.set('limit', '50');
  if (cursor) params.set('cursor', cursor);
  return api.get<Page<AuditLogEntry>>(`/api/audit?${params.toString()}`, signal ? { signal } : {});
}

/** The CSV export of the same filter: a plain download the server streams. */
export const auditExportUrl = (f: AuditFilter) => `/api/audit/export?${auditParams(f).toString()}`;
