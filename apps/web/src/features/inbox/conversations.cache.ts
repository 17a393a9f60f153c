import type { InfiniteData, QueryClient } from '@tanstack/react-query';
import type { Conversation } from '@switchboard/shared';
import type { Page } from '../../api/client';
import { ACTIVE_STATUSES, conversationKeys, type ConversationFilter } from './conversations.api';

type ListData = InfiniteData<Page<Conversation>>;

/** Does the conversation belong in a list with this filter (as the server would decide)? */
export function matchesFilter(c: Conversation, filter: ConversationFilter, meId: string): boolean {
  const statusOk =
    filter.status === 'all' || (filter.status === 'active' ? ACTIVE_STATUSES.includes(c.status) : c.status === filter.status);
  const assigneeOk = filter.assignee === 'any' || (filter.assignee === 'unassigned' ? c.assigneeId === null : c.assigneeId === meId);
  const teamOk = !filter.team || c.teamId === filter.team;
  const tagOk = !filter.tag || c.tagIds.includes(filter.tag);
  return statusOk && assigneeOk && teamOk && tagOk;
}

/** Newest activity first, ties by id descending: the server's order. */
function compare(a: Conversation, b: Conversation): number {
  if (a.lastMessageAt !== b.lastMessageAt) return a.lastMessageAt < b.lastMessageAt ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/**
 * Puts the conversation where it belongs in one cached list (or takes it out). A conversation that
 * sorts after the last loaded row of a list with more pages is left for "load more" to bring.
 */
function placeInList(data: ListData, c: Conversation, belongs: boolean): ListData {
  const pages = data.pages.map((p) => ({ ...p, items: p.items.filter((i) => i.id !== c.id) }));
  if (belongs) {
    const loaded = pages.flatMap((p) => p.items);
    const last = loaded[loaded.length - 1];
    const hasMore = pages[pages.length - 1]?.nextCursor != null;
    if (!hasMore || !last || compare(c, last) < 0) {
      const page = pages.find((p) => p.items.some((i) => compare(c, i) < 0)) ?? pages[pages.length - 1];
      if (page) page.items = [...page.items, c].sort(compare);
    }
  }
  return { ...data, pages };
}

/** Applies a fresh conversation (from an event or a mutation) to the detail and every cached list. */
export function upsertConversation(qc: QueryClient, c: Conversation, meId: string): void {
  qc.setQueryData<Conversation>(conversationKeys.detail(c.id), c);
  for (const [key, data] of qc.getQueriesData<ListData>({ queryKey: conversationKeys.lists() })) {
    const filter = key[2] as ConversationFilter | undefined;
    if (!data || !filter) continue;
    qc.setQueryData<ListData>(key, placeInList(data, c, matchesFilter(c, filter, meId)));
  }
}

/** Whether any cached list already shows this conversation. */
export function isConversationCached(qc: QueryClient, id: string): boolean {
  return qc
    .getQueriesData<ListData>({ queryKey: conversationKeys.lists() })
    .some(([, data]) => data?.pages.some((p) => p.items.some((i) => i.id === id)) ?? false);
}
