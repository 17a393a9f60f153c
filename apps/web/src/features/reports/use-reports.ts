import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ReportSettings } from '@switchboard/shared';
import { getConversationReport, getReportSettings, reportKeys, saveReportSettings, type ReportFilter } from './reports.api';

export function useConversationReport(f: ReportFilter) {
  return useQuery({
    queryKey: reportKeys.conversations(f),
    queryFn: ({ signal }) => getConversationReport(f, signal),
    placeholderData: keepPreviousData,
  });
}

export function useReportSettings() {
  return useQuery({ queryKey: reportKeys.settings, queryFn: getReportSettings });
}

export function useSaveReportSettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (s: ReportSettings) => saveReportSettings(s),
    onSuccess: () => client.invalidateQueries({ queryKey: reportKeys.all }),
  });
}
