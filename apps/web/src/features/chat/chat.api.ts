import type { ChatChannel, ChatMessage } from '@switchboard/shared';
import { api } from '../../api/client';

export const chatKeys = {
  channels: ['chat', 'channels'] as const,
  people: ['chat', 'people'] as const,
  messages: (channelId: string) => ['chat', 'messages', channelId] as const,
  thread: (rootId: string) => ['chat', 'thread', rootId] as const,
  pins: (channelId: string) => ['chat', 'pins', channelId] as const,
  search: (q: string) => ['chat', 'search', q] as const,
};

export interface PostBody {
  text: string;
  threadRootId?: string;
  mentions?: string[];
  fileIds?: string[];
  share?: { type: 'conversation' | 'contact'; id: string };
}

export const chatApi = {
  channels: () => api.get<{ items: ChatChannel[] }>('/api/chat/channels'),
  people: () => api.get<{ items: { id: string; name: string; email: string }[] }>('/api/chat/people'),
  create: (body: { kind: 'public' | 'private'; name: string; topic?: string; memberIds?: string[] }) =>
    api.post<ChatChannel>('/api/chat/channels', body),
  direct: (userIds: string[]) => api.post<ChatChannel>('/api/chat/direct', { userIds }),
  join: (id: string) => api.post<ChatChannel>(`/api/chat/channels/${id}/join`),
  messages: (id: string) => api.get<{ items: ChatMessage[]; nextCursor: string | null }>(`/api/chat/channels/${id}/messages`),
  thread: (rootId: string) => api.get<{ root: ChatMessage; replies: ChatMessage[] }>(`/api/chat/messages/${rootId}/thread`),
  pins: (id: string) => api.get<{ items: ChatMessage[] }>(`/api/chat/channels/${id}/pins`),
  post: (id: string, body: PostBody) => api.post<ChatMessage>(`/api/chat/channels/${id}/messages`, body),
  edit: (id: string, text: string) => api.patch<ChatMessage>(`/api/chat/messages/${id}`, { text }),
  remove: (id: string) => api.delete(`/api/chat/messages/${id}`),
  react: (id: string, emoji: string, on: boolean) => api.post<ChatMessage>(`/api/chat/messages/${id}/reactions`, { emoji, on }),
  pin: (id: string, pinned: boolean) => api.post<ChatMessage>(`/api/chat/messages/${id}/pin`, { pinned }),
  read: (id: string, seq: number) => api.post<{ lastReadSeq: number }>(`/api/chat/channels/${id}/read`, { seq }),
  typing: (id: string, threadRootId?: string) => api.post<void>(`/api/chat/channels/${id}/typing`, threadRootId ? { threadRootId } : {}),
  search: (q: string) => api.get<{ items: ChatMessage[] }>('/api/chat/search', { query: { q } }),
  upload: (file: File) => {
    const form = new FormData();
    form.append('file', file);
    return api.post<{ id: string; fileName: string; size: number; contentType: string | null }>('/api/chat/files', form);
  },
};
