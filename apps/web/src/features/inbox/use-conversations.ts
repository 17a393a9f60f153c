import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Conversation } from '@switchboard/shared';
import { useMemo } from 'react';
import { useMe } from '../auth/use-session';
import {
  conversationKeys,
  getConversation,
  listConversations,
  markConversationRead,
  updateConversation,
  type ConversationFilter,
  type ConversationPatch,
} from './conversations.api';
import { upsertConversation } from './conversations.cache';

export function useConversationList(filter: ConversationFilter) {
  const query = useInfiniteQuery({
    queryKey: conversationKeys.list(filter),
    queryFn: ({ pageParam, signal }) => listConversations(filter, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  // Pages can overlap briefly while live updates move rows around; show each conversation once.
  const conversations = useMemo(() => {
    const seen = new Set<string>();
    return (query.data?.pages ?? []).flatMap((p) => p.items).filter((c) => !seen.has(c.id) && Boolean(seen.add(c.id)));
  }, [query.data]);
  return { ...query, conversations };
}

export function useConversation(id: string) {
  const qc = useQueryClient();
  return useQuery({
    queryKey: conversationKeys.detail(id),
    queryFn: ({ signal }) => getConversation(id, signal),
    // Rows already in a list are enough to draw the header at once.
    initialData: () =>
      qc
        .getQueriesData<{ pages: { items: Conversation[] }[] }>({ queryKey: conversationKeys.lists() })
        .flatMap(([, data]) => data?.pages.flatMap((p) => p.items) ?? [])
        .find((c) => c.id === id),
    initialDataUpdatedAt: 0,
  });
}

export function useUpdateConversation(id: string) {
  const qc = useQueryClient();
  const me = useMe();
  return useMutation({
    mutationFn: (patch: ConversationPatch) => updateConversation(id, patch),
    onSuccess: (conversation) => upsertConversation(qc, conversation, me.id),
  });
}

export function useMarkRead(id: string) {
  const qc = useQueryClient();
  const me = useMe();
  return useMutation({
    mutationFn: () => markConversationRead(id),
    onSuccess: (conversation) => upsertConversation(qc, conversation, me.id),
    // Marking read is a courtesy; a failure must not interrupt the operator.
    meta: { inlineErrors: true },
  });
}
