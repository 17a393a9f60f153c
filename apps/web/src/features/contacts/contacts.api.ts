import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  AttributeDefinition,
  AttributeDefinitionInput,
  ContactDetail,
  ContactDuplicate,
  ContactPatch,
  ContactSummary,
} from '@switchboard/shared';
import { useMemo } from 'react';
import { api, type Page } from '../../api/client';

export interface ContactFilter {
  q: string;
  channelId: string | null;
  blocked: 'true' | 'false' | null;
  sort: 'last_seen' | 'created' | 'name';
}

export const contactKeys = {
  all: ['contacts'] as const,
  list: (f: ContactFilter) => ['contacts', 'list', f] as const,
  detail: (id: string) => ['contacts', 'detail', id] as const,
  ofConversation: (conversationId: string) => ['contacts', 'conversation', conversationId] as const,
  duplicates: (contactId: string | null) => ['contacts', 'duplicates', contactId] as const,
  fields: ['contacts', 'fields'] as const,
};

export function useContacts(f: ContactFilter) {
  const query = useInfiniteQuery({
    queryKey: contactKeys.list(f),
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<ContactSummary>>('/api/contacts', {
        signal,
        query: { q: f.q.trim() || undefined, channelId: f.channelId, blocked: f.blocked, sort: f.sort, limit: 50, cursor: pageParam },
      }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  const items = useMemo(() => (query.data?.pages ?? []).flatMap((p) => p.items), [query.data]);
  return { ...query, items };
}

export const useContact = (id: string) =>
  useQuery({ queryKey: contactKeys.detail(id), queryFn: ({ signal }) => api.get<ContactDetail>(`/api/contacts/${id}`, { signal }) });

export const useConversationContact = (conversationId: string) =>
  useQuery({
    queryKey: contactKeys.ofConversation(conversationId),
    queryFn: ({ signal }) => api.get<ContactDetail>(`/api/conversations/${conversationId}/contact`, { signal }),
  });

export const useDuplicates = (contactId: string | null) =>
  useQuery({
    queryKey: contactKeys.duplicates(contactId),
    queryFn: ({ signal }) =>
      api.get<{ items: ContactDuplicate[] }>('/api/contacts/duplicates', { signal, query: { contactId } }).then((r) => r.items),
  });

export const useContactFields = () =>
  useQuery({
    queryKey: contactKeys.fields,
    queryFn: ({ signal }) => api.get<{ items: AttributeDefinition[] }>('/api/contacts/fields', { signal }).then((r) => r.items),
    staleTime: 60_000,
  });

/** Any change to a contact refreshes every contact view (lists, profiles, side panels, duplicates). */
function useContactMutation<V, R>(fn: (v: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => void qc.invalidateQueries({ queryKey: contactKeys.all }) });
}

export const useUpdateContact = (id: string) =>
  useContactMutation((patch: ContactPatch) => api.patch<ContactDetail>(`/api/contacts/${id}`, patch));
export const useBlockContact = (id: string) =>
  useContactMutation((blocked: boolean) => api.post<ContactDetail>(`/api/contacts/${id}/block`, { blocked }));
export const useMergeContacts = () =>
  useContactMutation(({ targetId, sourceId }: { targetId: string; sourceId: string }) =>
    api.post<ContactDetail>(`/api/contacts/${targetId}/merge`, { sourceId }),
  );
export const useImportContacts = () => useContactMutation((csv: string) => api.post<{ imported: number }>('/api/contacts/import', { csv }));
export const useCreateField = () =>
  useContactMutation((input: AttributeDefinitionInput) => api.post<AttributeDefinition>('/api/contacts/fields', input));
export const useDeleteField = () => useContactMutation((id: string) => api.delete(`/api/contacts/fields/${id}`));
