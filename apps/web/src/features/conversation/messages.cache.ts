import type { InfiniteData, QueryClient } from '@tanstack/react-query';
import type { Message } from '@switchboard/shared';
import type { Page } from '../../api/client';
import { messageKeys } from './messages.api';

export type MessagesData = InfiniteData<Page<Message>>;

/** Messages added by this tab before the server confirmed them. */
export const OPTIMISTIC_PREFIX = 'optimistic-';
export const isOptimistic = (m: Message) => m.id.startsWith(OPTIMISTIC_PREFIX);

/** Pages are newest-first (page 0 is the latest); each page is oldest-first. */
export function flattenMessages(data: MessagesData | undefined): Message[] {
  if (!data) return [];
  const seen = new Set<string>();
  return [...data.pages]
    .reverse()
    .flatMap((p) => p.items)
    .filter((m) => !seen.has(m.id) && Boolean(seen.add(m.id)));
}

/** Our own optimistic copy of a message the server now reports (same author, text and kind). */
function findOptimisticTwin(items: Message[], m: Message): number {
  return items.findIndex((o) => isOptimistic(o) && o.authorUserId === m.authorUserId && o.text === m.text && o.private === m.private);
}

const FINAL: ReadonlySet<Message['status']> = new Set(['sent', 'failed', 'dead', 'uncertain']);

/** A late, stale copy (e.g. the POST answer arriving after the "sent" event) must not undo a final state. */
function fresher(current: Message, incoming: Message): Message {
  return FINAL.has(current.status) && !FINAL.has(incoming.status) ? current : incoming;
}

function upsertInPages(data: MessagesData, m: Message): MessagesData {
  const pages = data.pages.map((p) => ({ ...p, items: [...p.items] }));
  for (const page of pages) {
    const at = page.items.findIndex((i) => i.id === m.id);
    const current = page.items[at];
    if (current) {
      page.items[at] = fresher(current, m);
      return { ...data, pages };
    }
  }
  const newest = pages[0];
  if (!newest) return data;
  const twin = findOptimisticTwin(newest.items, m);
  if (twin >= 0) newest.items[twin] = m;
  else newest.items.splice(insertionPoint(newest.items, m), 0, m);
  return { ...data, pages };
}

/**
 * Where a message new to this tab belongs: before our own unconfirmed messages and before anything the server
 * created later (a greeting sent with an operator's first answer arrives after that answer's echo).
 */
function insertionPoint(items: Message[], m: Message): number {
  let at = items.length;
  while (at > 0 && (isOptimistic(items[at - 1]!) || items[at - 1]!.createdAt > m.createdAt)) at--;
  return at;
}

/** Adds or replaces a message in a conversation whose history is loaded (no-op otherwise). */
export function upsertMessage(qc: QueryClient, conversationId: string, m: Message): void {
  qc.setQueryData<MessagesData>(messageKeys.list(conversationId), (data) => (data ? upsertInPages(data, m) : data));
}

/** Replaces an optimistic message with the server's copy (or drops it when `m` is null). */
export function settleOptimistic(qc: QueryClient, conversationId: string, optimisticId: string, m: Message | null): void {
  qc.setQueryData<MessagesData>(messageKeys.list(conversationId), (data) => {
    if (!data) return data;
    const pages = data.pages.map((p) => ({ ...p, items: p.items.filter((i) => i.id !== optimisticId) }));
    return m ? upsertInPages({ ...data, pages }, m) : { ...data, pages };
  });
}
