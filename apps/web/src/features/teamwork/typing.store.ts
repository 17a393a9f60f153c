import { useSyncExternalStore } from 'react';

/** A colleague typing in a conversation counts for this long after their last signal. */
export const TYPING_TTL_MS = 7_000;

interface Typer {
  userId: string;
  kind: 'reply' | 'note';
  at: number;
}

const typers = new Map<string, Typer[]>();
const listeners = new Set<() => void>();
let snapshot = 0;

const emit = () => {
  snapshot++;
  for (const l of listeners) l();
};

/** Records a `conversation.typing` event (live only, never replayed). */
export function receiveTyping(payload: { conversationId: string; userId: string; kind: 'reply' | 'note' }): void {
  const now = Date.now();
  const list = (typers.get(payload.conversationId) ?? []).filter((t) => t.userId !== payload.userId && now - t.at < TYPING_TTL_MS);
  typers.set(payload.conversationId, [...list, { userId: payload.userId, kind: payload.kind, at: now }]);
  emit();
  setTimeout(emit, TYPING_TTL_MS + 50);
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Colleagues (not me) typing in this conversation now. */
export function useTypers(conversationId: string, meId: string): Typer[] {
  useSyncExternalStore(subscribe, () => snapshot);
  const now = Date.now();
  return (typers.get(conversationId) ?? []).filter((t) => t.userId !== meId && now - t.at < TYPING_TTL_MS);
}
