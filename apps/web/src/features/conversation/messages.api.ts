import type { Attachment, Message, UserSummary } from '@switchboard/shared';
import { api, type Page } from '../../api/client';

export const MESSAGES_PAGE_SIZE = 50;

export const messageKeys = {
  list: (conversationId: string) => ['messages', conversationId] as const,
};

export const teammatesKey = ['users'] as const;

/** One page of a conversation's messages, oldest first; the cursor pages to older ones. */
export const listMessages = (conversationId: string, cursor: string | null, signal?: AbortSignal) =>
  api.get<Page<Message>>(`/api/conversations/${conversationId}/messages`, {
    query: { cursor, limit: MESSAGES_PAGE_SIZE },
    ...(signal ? { signal } : {}),
  });

export const sendMessage = (
  conversationId: string,
  input: { text: string; private: boolean; mentions?: string[]; attachments?: Attachment[] },
) => api.post<Message>(`/api/conversations/${conversationId}/messages`, input);

export const listTeammates = (signal?: AbortSignal) => api.get<{ items: UserSummary[] }>('/api/users', signal ? { signal } : {});
