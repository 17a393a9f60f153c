import type { Message, Suggestion } from '@switchboard/shared';
import { api } from '../../api/client';

export const suggestionKey = (conversationId: string) => ['suggestion', conversationId] as const;
/** Filled only by live events, never fetched. */
export const suggestionDraftKey = (conversationId: string) => ['suggestion-draft', conversationId] as const;

/** The latest pending suggested reply of a conversation, or null. */
export const getSuggestion = (conversationId: string, signal?: AbortSignal) =>
  api.get<Suggestion | null>(`/api/conversations/${conversationId}/suggestion`, signal ? { signal } : {});

/** Sends the suggestion to the customer, as proposed or with the operator's `text`. */
export const sendSuggestion = (conversationId: string, suggestionId: string, text?: string) =>
  api.post<Message>(`/api/conversations/${conversationId}/suggestions/${suggestionId}/send`, text === undefined ? {} : { text });

export const rejectSuggestion = (conversationId: string, suggestionId: string) =>
  api.post<{ ok: true }>(`/api/conversations/${conversationId}/suggestions/${suggestionId}/reject`);
