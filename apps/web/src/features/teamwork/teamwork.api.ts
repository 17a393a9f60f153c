import type {
  Attachment,
  BulkAction,
  BulkResult,
  CannedResponse,
  Conversation,
  Presence,
  SaveTeamRequest,
  Tag,
  Team,
} from '@switchboard/shared';
import { api } from '../../api/client';

export const tagsKey = ['tags'] as const;
export const cannedKey = ['canned-responses'] as const;
export const teamsKey = ['teams'] as const;
export const presenceKey = ['presence'] as const;
export const myPresenceKey = ['presence', 'me'] as const;

export const listTags = () => api.get<{ items: Tag[] }>('/api/tags').then((r) => r.items);
export const createTag = (body: { name: string; color: string }) => api.post<Tag>('/api/tags', body);
export const updateTag = (id: string, body: { name?: string; color?: string }) => api.patch<Tag>(`/api/tags/${id}`, body);
export const deleteTag = (id: string) => api.delete(`/api/tags/${id}`);
export const setConversationTags = (id: string, tagIds: string[]) => api.put<Conversation>(`/api/conversations/${id}/tags`, { tagIds });

export const listCanned = () => api.get<{ items: CannedResponse[] }>('/api/canned-responses').then((r) => r.items);
export interface CannedInput {
  shortcut: string;
  text: string;
  language: 'ru' | 'en' | null;
  shared?: boolean;
}
export const createCanned = (body: CannedInput) => api.post<CannedResponse>('/api/canned-responses', body);
export const updateCanned = (id: string, body: Omit<CannedInput, 'shared'>) =>
  api.patch<CannedResponse>(`/api/canned-responses/${id}`, body);
export const deleteCanned = (id: string) => api.delete(`/api/canned-responses/${id}`);

export const listTeams = () => api.get<{ items: Team[] }>('/api/teams').then((r) => r.items);
export const createTeam = (body: SaveTeamRequest) => api.post<Team>('/api/teams', body);
export const updateTeam = (id: string, body: SaveTeamRequest) => api.put<Team>(`/api/teams/${id}`, body);
export const deleteTeam = (id: string) => api.delete(`/api/teams/${id}`);
export const setConversationTeam = (id: string, teamId: string | null) =>
  api.put<Conversation>(`/api/conversations/${id}/team`, { teamId });

export const listPresence = () => api.get<{ items: Presence[] }>('/api/presence').then((r) => r.items);
export const getMyPresence = () => api.get<Presence>('/api/presence/me');
export const setMyPresence = (status: 'online' | 'away' | 'offline' | 'auto') => api.put<Presence>('/api/presence/me', { status });

export const sendTyping = (conversationId: string, kind: 'reply' | 'note') =>
  api.post<void>(`/api/conversations/${conversationId}/typing`, { kind });

export const bulkAction = (conversationIds: string[], action: BulkAction) =>
  api.post<BulkResult>('/api/conversations/bulk', { conversationIds, action });

export const uploadNoteFile = (conversationId: string, form: FormData) =>
  api.post<Attachment>(`/api/conversations/${conversationId}/files`, form);
