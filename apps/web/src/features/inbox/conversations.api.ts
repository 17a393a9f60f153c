import type { Conversation, ConversationStatus } from '@switchboard/shared';
import { api, type Page } from '../../api/client';

export const STATUS_FILTERS = ['active', 'open', 'queued', 'bot', 'snoozed', 'resolved', 'all'] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];
export const ASSIGNEE_FILTERS = ['any', 'me', 'unassigned'] as const;
export type AssigneeFilter = (typeof ASSIGNEE_FILTERS)[number];

export interface ConversationFilter {
  status: StatusFilter;
  assignee: AssigneeFilter;
  /** A team's queue (id), or all. */
  team?: string | undefined;
  /** Conversations with this tag (id), or all. */
  tag?: string | undefined;
}

export const ACTIVE_STATUSES: readonly ConversationStatus[] = ['bot', 'queued', 'open'];
export const PAGE_SIZE = 30;

export const conversationKeys = {
  all: ['conversations'] as const,
  lists: () => ['conversations', 'list'] as const,
  list: (filter: ConversationFilter) => ['conversations', 'list', filter] as const,
  detail: (id: string) => ['conversations', 'detail', id] as const,
};

export const listConversations = (filter: ConversationFilter, cursor: string | null, signal?: AbortSignal) =>
  api.get<Page<Conversation>>('/api/conversations', { query: { ...filter, cursor, limit: PAGE_SIZE }, ...(signal ? { signal } : {}) });

export const getConversation = (id: string, signal?: AbortSignal) =>
  api.get<Conversation>(`/api/conversations/${id}`, signal ? { signal } : {});

export interface ConversationPatch {
  status?: ConversationStatus;
  assigneeId?: string | null;
  /** An operator's correction of the predicted category; null clears it. */
  category?: string | null;
  /** With status `snoozed`: when it wakes by itself. */
  snoozedUntil?: string;
}

export const updateConversation = (id: string, patch: ConversationPatch) => api.patch<Conversation>(`/api/conversations/${id}`, patch);

export const markConversationRead = (id: string) => api.post<Conversation>(`/api/conversations/${id}/read`);
