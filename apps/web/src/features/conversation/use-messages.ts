import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Attachment, Message, UserSummary } from '@switchboard/shared';
import { useMemo } from 'react';
import { useMe } from '../auth/use-session';
import { listMessages, listTeammates, messageKeys, sendMessage, teammatesKey } from './messages.api';
import { flattenMessages, OPTIMISTIC_PREFIX, settleOptimistic, upsertMessage } from './messages.cache';

export function useMessages(conversationId: string) {
  const query = useInfiniteQuery({
    queryKey: messageKeys.list(conversationId),
    queryFn: ({ pageParam, signal }) => listMessages(conversationId, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    // Live events keep the history current; refetching every page on focus would only cost.
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });
  const messages = useMemo(() => flattenMessages(query.data), [query.data]);
  return { ...query, messages };
}

export interface SendInput {
  text: string;
  private: boolean;
  /** People @mentioned in a private note. */
  mentions?: string[];
  /** Files uploaded for a private note. */
  attachments?: Attachment[];
}

/** Sends a reply or note, showing it at once; on failure it disappears and `onFailed` gets the text back. */
export function useSendMessage(conversationId: string, onFailed: (input: SendInput) => void) {
  const qc = useQueryClient();
  const me = useMe();
  return useMutation({
    mutationFn: (input: SendInput) => sendMessage(conversationId, input),
    onMutate: (input) => {
      const now = new Date().toISOString();
      const optimistic: Message = {
        // Not crypto.randomUUID(): it is missing on plain-http LAN addresses (no secure context).
        id: `${OPTIMISTIC_PREFIX}${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`,
        conversationId,
        direction: 'out',
        authorType: 'operator',
        authorUserId: me.id,
        text: input.text,
        private: input.private,
        attachments: input.attachments ?? [],
        status: input.private ? 'sent' : 'queued',
        failureReason: null,
        editedAt: null,
        ai: null,
        ...(input.mentions?.length ? { mentions: input.mentions } : {}),
        sentAt: null,
        createdAt: now,
      };
      upsertMessage(qc, conversationId, optimistic);
      return { optimisticId: optimistic.id };
    },
    onSuccess: (message, _input, ctx) => settleOptimistic(qc, conversationId, ctx.optimisticId, message),
    onError: (_err, input, ctx) => {
      if (ctx) settleOptimistic(qc, conversationId, ctx.optimisticId, null);
      onFailed(input);
    },
  });
}

/** Members of the account, by id (for assignee and author names). */
export function useTeammates(): Map<string, UserSummary> {
  const { data } = useQuery({ queryKey: teammatesKey, queryFn: ({ signal }) => listTeammates(signal), staleTime: 5 * 60_000 });
  return useMemo(() => new Map((data?.items ?? []).map((u) => [u.id, u])), [data]);
}
