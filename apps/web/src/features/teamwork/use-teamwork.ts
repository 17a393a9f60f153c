import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Conversation, Tag } from '@switchboard/shared';
import { useMemo } from 'react';
import { useMe } from '../auth/use-session';
import { useHasPermission } from '../auth/permissions';
import { upsertConversation } from '../inbox/conversations.cache';
import * as api from './teamwork.api';

export function useTags() {
  const { data } = useQuery({ queryKey: api.tagsKey, queryFn: api.listTags, staleTime: 60_000 });
  return data ?? [];
}

export function useTagMap(): Map<string, Tag> {
  const tags = useTags();
  return useMemo(() => new Map(tags.map((t) => [t.id, t])), [tags]);
}

export function useCanned(enabled = true) {
  return useQuery({ queryKey: api.cannedKey, queryFn: api.listCanned, staleTime: 60_000, enabled });
}

export function useTeams() {
  const canRead = useHasPermission('team.read');
  const { data } = useQuery({ queryKey: api.teamsKey, queryFn: api.listTeams, staleTime: 60_000, enabled: canRead });
  return data ?? [];
}

export function usePresence() {
  const { data } = useQuery({ queryKey: api.presenceKey, queryFn: api.listPresence, staleTime: 30_000, refetchInterval: 60_000 });
  return useMemo(() => new Map((data ?? []).map((p) => [p.userId, p])), [data]);
}

/** Applies a conversation the server returned to every cached view. */
export function useApplyConversation() {
  const qc = useQueryClient();
  const me = useMe();
  return (c: Conversation) => upsertConversation(qc, c, me.id);
}

export function useSetConversationTags(conversationId: string) {
  const apply = useApplyConversation();
  return useMutation({ mutationFn: (tagIds: string[]) => api.setConversationTags(conversationId, tagIds), onSuccess: apply });
}

export function useSetConversationTeam(conversationId: string) {
  const apply = useApplyConversation();
  return useMutation({ mutationFn: (teamId: string | null) => api.setConversationTeam(conversationId, teamId), onSuccess: apply });
}

/** Invalidates a teamwork list after a change on the settings page. */
export function useInvalidate(key: readonly string[]) {
  const qc = useQueryClient();
  return () => void qc.invalidateQueries({ queryKey: key });
}
