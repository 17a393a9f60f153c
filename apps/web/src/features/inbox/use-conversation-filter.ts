import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { ASSIGNEE_FILTERS, STATUS_FILTERS, type AssigneeFilter, type ConversationFilter, type StatusFilter } from './conversations.api';

const isStatus = (v: string | null): v is StatusFilter => (STATUS_FILTERS as readonly (string | null)[]).includes(v);
const isAssignee = (v: string | null): v is AssigneeFilter => (ASSIGNEE_FILTERS as readonly (string | null)[]).includes(v);

/** The inbox filter lives in the URL (`?status=&assignee=&team=&tag=`), so it survives reloads and can be shared. */
export function useConversationFilter(): [ConversationFilter, (patch: Partial<ConversationFilter>) => void] {
  const [params, setParams] = useSearchParams();
  const status = params.get('status');
  const assignee = params.get('assignee');
  const team = params.get('team') ?? undefined;
  const tag = params.get('tag') ?? undefined;
  const filter = useMemo<ConversationFilter>(
    () => ({
      status: isStatus(status) ? status : 'active',
      assignee: isAssignee(assignee) ? assignee : 'any',
      ...(team ? { team } : {}),
      ...(tag ? { tag } : {}),
    }),
    [status, assignee, team, tag],
  );
  const setFilter = useCallback(
    (patch: Partial<ConversationFilter>) =>
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          for (const [key, value] of Object.entries(patch)) {
            if (value) next.set(key, value);
            else next.delete(key);
          }
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );
  return [filter, setFilter];
}
