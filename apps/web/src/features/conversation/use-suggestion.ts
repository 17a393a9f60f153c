import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { ApiError } from '../../api/api-error';
import { sendMessage } from './messages.api';
import { upsertMessage } from './messages.cache';
import { getSuggestion, rejectSuggestion, sendSuggestion, suggestionDraftKey, suggestionKey } from './suggestions.api';
import { clearSuggestion, type SuggestionDraft } from './suggestions.cache';

export function useSuggestion(conversationId: string, enabled = true) {
  // `suggestion.created` events keep it current; a refetch on focus catches ones decided elsewhere.
  // Only people who may answer customers are offered (or may fetch) suggestions.
  return useQuery({ queryKey: suggestionKey(conversationId), queryFn: ({ signal }) => getSuggestion(conversationId, signal), enabled });
}

/** Someone else already sent or rejected it, or a newer one replaced it. */
export const isSuggestionGone = (error: unknown) => error instanceof ApiError && (error.status === 404 || error.code === 'conflict');

export function useSendSuggestion(conversationId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ suggestionId, text }: { suggestionId: string; text?: string }) => sendSuggestion(conversationId, suggestionId, text),
    onSuccess: (message, { suggestionId }) => {
      upsertMessage(qc, conversationId, message);
      clearSuggestion(qc, conversationId, suggestionId);
    },
    onError: (error) => {
      if (isSuggestionGone(error)) void qc.invalidateQueries({ queryKey: suggestionKey(conversationId) });
    },
  });
}

/**
 * Sends the operator's edit of a suggestion. If the suggestion was decided or replaced meanwhile, the
 * text still goes to the customer as a normal reply: that is what the operator meant to do.
 */
export function useSendEditedSuggestion(conversationId: string, onFailed: (text: string) => void) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ suggestionId, text }: { suggestionId: string; text: string }) => {
      try {
        return await sendSuggestion(conversationId, suggestionId, text);
      } catch (err) {
        if (isSuggestionGone(err)) return sendMessage(conversationId, { text, private: false });
        throw err;
      }
    },
    onSuccess: (message, { suggestionId }) => {
      upsertMessage(qc, conversationId, message);
      clearSuggestion(qc, conversationId, suggestionId);
    },
    onError: (_error, { text }) => onFailed(text),
  });
}

export function useRejectSuggestion(conversationId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (suggestionId: string) => rejectSuggestion(conversationId, suggestionId),
    onSuccess: (_ok, suggestionId) => clearSuggestion(qc, conversationId, suggestionId),
    onError: (error) => {
      if (isSuggestionGone(error)) void qc.invalidateQueries({ queryKey: suggestionKey(conversationId) });
    },
  });
}

/** Drafts stop being shown this long after their last piece (the model failed, or the event was lost). */
const DRAFT_IDLE_MS = 30_000;

/** The suggestion the language model is writing right now, as it streams in; null when none. */
export function useSuggestionDraft(conversationId: string): SuggestionDraft | null {
  const qc = useQueryClient();
  const { data } = useQuery({
    queryKey: suggestionDraftKey(conversationId),
    queryFn: () => qc.getQueryData<SuggestionDraft | null>(suggestionDraftKey(conversationId)) ?? null,
    enabled: false,
  });
  const draft = data ?? null;
  useEffect(() => {
    if (!draft) return;
    const timer = setTimeout(
      () => qc.setQueryData<SuggestionDraft | null>(suggestionDraftKey(conversationId), (d) => (d?.at === draft.at ? null : d)),
      Math.max(0, draft.at + DRAFT_IDLE_MS - Date.now()),
    );
    return () => clearTimeout(timer);
  }, [qc, conversationId, draft]);
  return draft;
}
