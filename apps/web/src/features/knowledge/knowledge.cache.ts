import type { InfiniteData, QueryClient } from '@tanstack/react-query';
import type { Article } from '@switchboard/shared';
import type { Page } from '../../api/client';
import { knowledgeKeys } from './knowledge.api';

type ListData = InfiniteData<Page<Article>>;

/** Replaces an article wherever a cached list shows it (new ones come with the refetch). */
export function replaceArticle(qc: QueryClient, article: Article): void {
  qc.setQueriesData<ListData>({ queryKey: knowledgeKeys.lists() }, (data) =>
    data ? { ...data, pages: data.pages.map((p) => ({ ...p, items: p.items.map((a) => (a.id === article.id ? article : a)) })) } : data,
  );
}

export function removeArticle(qc: QueryClient, id: string): void {
  qc.setQueriesData<ListData>({ queryKey: knowledgeKeys.lists() }, (data) =>
    data ? { ...data, pages: data.pages.map((p) => ({ ...p, items: p.items.filter((a) => a.id !== id) })) } : data,
  );
}

const REFRESH_DELAY_MS = 700;
let refreshTimer: ReturnType<typeof setTimeout> | undefined;

/**
 * Refetches what `knowledge.updated` may have changed. Indexing sends one event per article (many
 * during a re-index), so events close together share one refetch.
 */
export function scheduleKnowledgeRefresh(qc: QueryClient): void {
  if (refreshTimer !== undefined) return;
  refreshTimer = setTimeout(() => {
    refreshTimer = undefined;
    void qc.invalidateQueries({ queryKey: knowledgeKeys.all });
  }, REFRESH_DELAY_MS);
}
