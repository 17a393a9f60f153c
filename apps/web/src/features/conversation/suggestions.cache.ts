import type { QueryClient } from '@tanstack/react-query';
import type { Suggestion } from '@switchboard/shared';
import { suggestionDraftKey, suggestionKey } from './suggestions.api';

/** The text so far of a suggestion the language model is writing. */
export interface SuggestionDraft {
  draftId: string;
  text: string;
  /** When the last piece arrived (a draft that stops growing is dropped). */
  at: number;
}

/** A `suggestion.created` event: the new pending one replaces whatever was shown. */
export function receiveSuggestion(qc: QueryClient, conversationId: string, suggestion: Suggestion): void {
  qc.setQueryData<Suggestion | null>(suggestionKey(conversationId), (current) =>
    suggestion.status === 'pending' ? suggestion : current?.id === suggestion.id ? null : current,
  );
  // The finished suggestion replaces the draft it was streamed as.
  qc.setQueryData<SuggestionDraft | null>(suggestionDraftKey(conversationId), null);
}

/** A `suggestion.draft` event: the next piece of the text being written (a new draft starts over). */
export function appendSuggestionDraft(qc: QueryClient, conversationId: string, draftId: string, delta: string): void {
  qc.setQueryData<SuggestionDraft | null>(suggestionDraftKey(conversationId), (current) => ({
    draftId,
    text: current?.draftId === draftId ? current.text + delta : delta,
    at: Date.now(),
  }));
}

/** The suggestion was sent or rejected (here or, as far as we can tell, by someone else). */
export function clearSuggestion(qc: QueryClient, conversationId: string, suggestionId: string): void {
  qc.setQueryData<Suggestion | null>(suggestionKey(conversationId), (current) => (current?.id === suggestionId ? null : current));
}
