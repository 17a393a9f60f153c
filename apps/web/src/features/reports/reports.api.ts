import type { ConversationReport, ReportGranularity, ReportSettings } from '@switchboard/shared';
import { api } from '../../api/client';

export interface ReportFilter {
  from: string;
  to: string;
  granularity: ReportGranularity;
  channelId: string | null;
}

export const reportKeys = {
  all: ['reports'] as const,
  conversations: (f: ReportFilter) => ['reports', 'conversations', f] as const,
  settings: ['reports', 'settings'] as const,
};

const query = (f: ReportFilter) => ({ from: f.from, to: f.to, granularity: f.granularity, channelId: f.channelId });

export const getConversationReport = (f: ReportFilter, signal?: AbortSignal) =>
  api.get<ConversationReport>('/api/reports/conversations', { query: query(f), ...(signal ? { signal } : {}) });

export const getReportSettings = () => api.get<ReportSettings>('/api/reports/settings');
export const saveReportSettings = (s: ReportSettings) => api.put<ReportSettings>('/api/reports/settings', s);

/** Where the browser downloads an export (same-origin link; the session cookie authenticates it). */
export function exportUrl(f: ReportFilter, format: 'csv' | 'xlsx' | 'pdf', lang: string): string {
  const params = new URLSearchParams({ from: f.from, to: f.to, granularity: f.granularity, format, lang: lang === 'ru' ? 'ru' : 'en' });
  if (f.channelId) params.set('channelId', f.channelId);
  return `/api/reports/conversations/export?${params.toString()}`;
}
