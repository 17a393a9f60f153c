import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { DeadLetterActionRequest } from '@switchboard/shared';
import { useMemo } from 'react';
import { channelKeys } from '../channels/channels.api';
import { deadLetterKeys, discardDeadLetters, listDeadLetters, retryDeadLetters } from './dead-letters.api';
import { dropDeadLetters } from './dead-letters.cache';

export function useDeadLetters(channelId: string | null) {
  const query = useInfiniteQuery({
    queryKey: deadLetterKeys.list(channelId),
    queryFn: ({ pageParam, signal }) => listDeadLetters(channelId, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  const items = useMemo(() => {
    const seen = new Set<string>();
    return (query.data?.pages ?? []).flatMap((p) => p.items).filter((d) => !seen.has(d.messageId) && Boolean(seen.add(d.messageId)));
  }, [query.data]);
  // The first page's total is the newest count (later pages may have been fetched before a change).
  const total = query.data?.pages[0]?.total ?? 0;
  const uncertain = query.data?.pages[0]?.uncertain ?? 0;
  return { ...query, items, total, uncertain };
}

/** How many replies are undelivered across channels (the navigation badge). */
export function useDeadLetterTotal() {
  return useQuery({
    queryKey: deadLetterKeys.total,
    queryFn: ({ signal }) => listDeadLetters(null, null, signal, 1).then((p) => p.total),
    refetchInterval: 60_000,
  });
}

type Action = 'retry' | 'discard';

/** Retry or discard the chosen dead letters (or all of the filter); the rows leave the lists at once. */
export function useDeadLetterAction(action: Action) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (req: DeadLetterActionRequest) => (action === 'retry' ? retryDeadLetters(req) : discardDeadLetters(req)),
    onSuccess: (_result, req) => {
      dropDeadLetters(qc, req.messageIds ?? 'all', req.channelId ?? null);
      void qc.invalidateQueries({ queryKey: channelKeys.healthAll });
    },
  });
}
