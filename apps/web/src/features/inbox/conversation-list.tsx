import { Alert, Button, Center, Loader, Skeleton, Stack, Text } from '@mantine/core';
import { useIntersection } from '@mantine/hooks';
import { IconInbox } from '@tabler/icons-react';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../lib/notify';
import { FirstRunInbox } from '../onboarding/onboarding-checklist';
import { useOnboarding } from '../onboarding/use-onboarding';
import { useNow } from '../../lib/time';
import type { ConversationFilter } from './conversations.api';
import { ConversationListItem } from './conversation-list-item';
import { SelectBox } from '../teamwork/bulk-bar';
import { useConversationList } from './use-conversations';

interface Props {
  filter: ConversationFilter;
  selectedId: string | null;
  /** Conversations ticked for a bulk action. */
  checked?: ReadonlySet<string>;
  onCheck?: (id: string, on: boolean) => void;
}

export function ConversationList({ filter, selectedId, checked, onCheck }: Props) {
  const { t } = useTranslation();
  const now = useNow();
  const query = useConversationList(filter);
  const { ref: sentinel, entry } = useIntersection({ threshold: 0 });
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = query;

  // Infinite scroll: the sentinel below the last row asks for the next page when it comes into view.
  useEffect(() => {
    if (entry?.isIntersecting && hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [entry?.isIntersecting, hasNextPage, isFetchingNextPage, fetchNextPage]);

  if (query.isPending) return <ListSkeleton />;
  if (query.isError) {
    return (
      <Alert color="red" m="sm" title={t('inbox.loadFailed')}>
        <Text fz="sm">{errorMessage(query.error)}</Text>
        <Button size="xs" variant="light" color="red" mt="xs" onClick={() => void query.refetch()}>
          {t('common.retry')}
        </Button>
      </Alert>
    );
  }
  return (
    // The scroll area (not the list) carries the test id: it is visible even while the list is empty.
    <div style={{ flex: 1, minHeight: 0, overflowY: 'auto' }} data-testid="conversation-list">
      <ul aria-label={t('inbox.listLabel')} style={{ listStyle: 'none', margin: 0, padding: 0 }}>
        {query.conversations.map((c) => (
          <li key={c.id} style={onCheck ? { display: 'flex' } : undefined}>
            {onCheck && <SelectBox id={c.id} checked={checked?.has(c.id) ?? false} onCheck={onCheck} />}
            <ConversationListItem conversation={c} selected={c.id === selectedId} now={now} />
          </li>
        ))}
      </ul>
      {query.conversations.length === 0 && (
        <EmptyList filtered={filter.status !== 'all' || filter.assignee !== 'any' || Boolean(filter.team ?? filter.tag)} />
      )}
      {hasNextPage && (
        <Center ref={sentinel} py="sm">
          {isFetchingNextPage ? (
            <Loader size="sm" aria-label={t('common.loading')} />
          ) : (
            <Button variant="subtle" size="xs" onClick={() => void fetchNextPage()} data-testid="load-more-conversations">
              {t('inbox.loadMore')}
            </Button>
          )}
        </Center>
      )}
    </div>
  );
}

function ListSkeleton() {
  return (
    <Stack gap="md" p="sm" aria-busy>
      {Array.from({ length: 6 }, (_, i) => (
        <Stack key={i} gap={6}>
          <Skeleton h={12} w="60%" />
          <Skeleton h={10} w="90%" />
        </Stack>
      ))}
    </Stack>
  );
}

function EmptyList({ filtered }: { filtered: boolean }) {
  const { t } = useTranslation();
  // A new account: no filter is to blame; say where to start instead.
  const firstRun = useOnboarding();
  if (firstRun.data && !firstRun.data.hasConversations) return <FirstRunInbox />;
  return (
    <Center p="lg" pt={48} data-testid="conversation-list-empty">
      <Stack align="center" gap={4}>
        <IconInbox size={36} stroke={1.2} color="var(--mantine-color-dimmed)" aria-hidden />
        <Text fw={500}>{t('inbox.empty')}</Text>
        <Text c="dimmed" fz="sm" ta="center">
          {filtered ? t('inbox.emptyFiltered') : t('inbox.emptyHint')}
        </Text>
      </Stack>
    </Center>
  );
}
