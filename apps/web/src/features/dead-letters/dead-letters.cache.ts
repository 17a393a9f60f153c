import type { InfiniteData, QueryClient } from '@tanstack/react-query';
import type { Message } from '@switchboard/shared';
import { channelKeys } from '../channels/channels.api';
import { deadLetterKeys, type DeadLetterPage } from './dead-letters.api';

type ListData = InfiniteData<DeadLetterPage>;

const UNDELIVERED: ReadonlySet<Message['status']> = new Set(['failed', 'dead', 'uncertain']);

let refreshTimer: ReturnType<typeof setTimeout> | undefined;

/** Many messages can fail at once (a channel going down): one refetch for a burst of events. */
function scheduleRefresh(qc: QueryClient): void {
  if (refreshTimer) return;
  refreshTimer = setTimeout(() => {
    refreshTimer = undefined;
    void qc.invalidateQueries({ queryKey: deadLetterKeys.all });
    // Each channel row shows its own count of undelivered replies.
    void qc.invalidateQueries({ queryKey: channelKeys.healthAll });
  }, 1000);
}

function isListed(qc: QueryClient, messageId: string): boolean {
  return qc
    .getQueriesData<ListData>({ queryKey: deadLetterKeys.all })
    .some(([, data]) => data?.pages?.some((p) => p.items.some((i) => i.messageId === messageId)) ?? false);
}

/**
 * A message changed state (`message.updated`): a reply that failed joins the dead letters, one that
 * was listed and is now queued, sent or discarded leaves them.
 */
export function noteMessageForDeadLetters(qc: QueryClient, message: Message): void {
  if (message.direction !== 'out') return;
  if (UNDELIVERED.has(message.status) || isListed(qc, message.id)) scheduleRefresh(qc);
}

/** Takes messages out of every cached list at once (after retry or discard), before the refetch confirms it. */
export function dropDeadLetters(qc: QueryClient, messageIds: readonly string[] | 'all', channelId: string | null): void {
  const ids = messageIds === 'all' ? null : new Set(messageIds);
  for (const [key, data] of qc.getQueriesData<ListData>({ queryKey: [...deadLetterKeys.all, 'list'] })) {
    if (!data) continue;
    const listChannel = key[2] as string | null;
    if (ids === null && channelId && listChannel !== channelId) continue;
    let removed = 0;
    const pages = data.pages.map((p) => {
      const items = p.items.filter((i) => !(ids ? ids.has(i.messageId) : !channelId || i.channelId === channelId));
      removed += p.items.length - items.length;
      return { ...p, items };
    });
    qc.setQueryData<ListData>(key, { ...data, pages: pages.map((p) => ({ ...p, total: Math.max(0, p.total - removed) })) });
  }
  void qc.invalidateQueries({ queryKey: deadLetterKeys.all });
}
