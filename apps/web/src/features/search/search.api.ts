import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { SearchResult } from '@switchboard/shared';
import { api } from '../../api/client';

export interface SearchFilter {
  channelId: string | null;
  status: string | null;
  assignee: string | null;
  from: string | null;
  to: string | null;
}

export function useSearch(q: string, f: SearchFilter) {
  const trimmed = q.trim();
  return useQuery({
    queryKey: ['search', trimmed, f],
    queryFn: ({ signal }) => api.get<SearchResult>('/api/search', { signal, query: { q: trimmed, ...f, limit: 20 } }),
    enabled: trimmed.length > 0,
    placeholderData: keepPreviousData,
    staleTime: 10_000,
  });
}
