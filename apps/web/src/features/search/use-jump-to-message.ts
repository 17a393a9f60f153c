import { useEffect, useRef, type RefObject } from 'react';
import { useSearchParams } from 'react-router';

const MAX_PAGES = 20;

/**
 * Opening a search hit (`?message=<id>`): loads earlier pages until the message is there, scrolls it into
 * view and highlights it for a moment (`data-search-hit`).
 */
export function useJumpToMessage(
  viewport: RefObject<HTMLDivElement | null>,
  messageIds: string[],
  more: { hasNextPage: boolean; isFetching: boolean; fetchNextPage: () => unknown },
  onJumped: () => void,
) {
  const [params] = useSearchParams();
  const target = params.get('message');
  const pages = useRef(0);
  const done = useRef<string | null>(null);
  const { hasNextPage, isFetching, fetchNextPage } = more;
  useEffect(() => {
    if (!target || done.current === target || !viewport.current) return;
    if (messageIds.includes(target)) {
      const el = viewport.current.querySelector<HTMLElement>(`[data-message-id="${CSS.escape(target)}"]`);
      if (!el) return;
      done.current = target;
      onJumped();
      el.scrollIntoView({ block: 'center' });
      el.setAttribute('data-search-hit', '');
      window.setTimeout(() => el.removeAttribute('data-search-hit'), 4000);
    } else if (hasNextPage && !isFetching && pages.current < MAX_PAGES) {
      pages.current++;
      void fetchNextPage();
    }
  }, [target, messageIds, hasNextPage, isFetching, fetchNextPage, viewport, onJumped]);
}
