import { Page } from '../../components/page';
import { Button, Center, Group, Select, Text } from '@mantine/core';
import { IconCircleCheck, IconRefresh, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { ConfirmModal } from '../../components/confirm-modal';
import { PageHeader } from '../../components/page-header';
import { EmptyState, LoadFailed, PageLoader } from '../../components/page-states';
import { notifySuccess } from '../../lib/notify';
import { useNow } from '../../lib/time';
import { useHasPermission } from '../auth/permissions';
import { useChannels } from '../channels/use-channels';
import { DeadLetterTable } from './dead-letter-table';
import { UncertainRetryModal } from './uncertain-retry-modal';
import { useDeadLetterAction, useDeadLetters } from './use-dead-letters';

type Scope = 'selected' | 'all';
/** Discarding is final, so it is confirmed; so is retrying a reply the customer may already have. */
type Pending = { scope: Scope } | null;
type PendingRetry = { scope: Scope; uncertain: number; others: number } | null;

/** Replies that did not reach the customer, across channels: why, and retry or discard them. */
export function DeadLettersPage() {
  const { t } = useTranslation();
  const canDiscard = useHasPermission('channel.manage');
  const canRetry = useHasPermission('conversation.reply');
  const now = useNow(30_000);
  const [params, setParams] = useSearchParams();
  const channelId = params.get('channel');
  const channels = useChannels();
  const list = useDeadLetters(channelId);
  const retry = useDeadLetterAction('retry');
  const discard = useDeadLetterAction('discard');
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [confirming, setConfirming] = useState<Pending>(null);
  const [confirmingRetry, setConfirmingRetry] = useState<PendingRetry>(null);

  // Only rows still listed count as selected (others were retried meanwhile or belong to another filter).
  const selectedIds = list.items.filter((d) => selected.has(d.messageId)).map((d) => d.messageId);

  const setChannel = (id: string | null) => {
    setSelected(new Set());
    setParams(id ? { channel: id } : {}, { replace: true });
  };

  const uncertainIds = new Set(list.items.filter((d) => d.status === 'uncertain').map((d) => d.messageId));

  /** `confirmUncertain`: also send again replies the customer may already have; `'others'`: only the rest. */
  const run = (action: 'retry' | 'discard', scope: Scope, uncertain: 'confirm' | 'others' | 'none' = 'none') => {
    const mutation = action === 'retry' ? retry : discard;
    const ids = uncertain === 'others' ? selectedIds.filter((id) => !uncertainIds.has(id)) : selectedIds;
    const req = scope === 'selected' ? { messageIds: ids } : { all: true as const, ...(channelId ? { channelId } : {}) };
    mutation.mutate(uncertain === 'confirm' ? { ...req, confirmUncertain: true } : req, {
      onSuccess: ({ affected }) => {
        setSelected(new Set());
        setConfirming(null);
        setConfirmingRetry(null);
        notifySuccess(t(action === 'retry' ? 'deadLetters.retried' : 'deadLetters.discarded', { count: affected }));
      },
    });
  };

  const startRetry = (scope: Scope) => {
    const uncertain = scope === 'selected' ? selectedIds.filter((id) => uncertainIds.has(id)).length : list.uncertain;
    const others = (scope === 'selected' ? selectedIds.length : list.total) - uncertain;
    if (uncertain > 0) setConfirmingRetry({ scope, uncertain, others });
    else run('retry', scope);
  };

  const busy = retry.isPending || discard.isPending;
  const hasSelection = selectedIds.length > 0;
  const actions = list.total > 0 && (canRetry || canDiscard) && (
    <Group gap="xs">
      {canRetry && (
        <Button
          leftSection={<IconRefresh size={16} />}
          loading={retry.isPending}
          disabled={busy}
          onClick={() => startRetry(hasSelection ? 'selected' : 'all')}
          data-testid={hasSelection ? 'dead-letters-retry' : 'dead-letters-retry-all'}
        >
          {hasSelection ? t('deadLetters.retrySelected', { count: selectedIds.length }) : t('deadLetters.retryAll')}
        </Button>
      )}
      {canDiscard && (
        <Button
          variant="default"
          color="red"
          leftSection={<IconTrash size={16} />}
          disabled={busy}
          onClick={() => setConfirming({ scope: hasSelection ? 'selected' : 'all' })}
          data-testid={hasSelection ? 'dead-letters-discard' : 'dead-letters-discard-all'}
        >
          {hasSelection ? t('deadLetters.discardSelected', { count: selectedIds.length }) : t('deadLetters.discardAll')}
        </Button>
      )}
    </Group>
  );

  const channelName = channels.data?.items.find((c) => c.id === channelId)?.name;
  const count = confirming?.scope === 'selected' ? selectedIds.length : list.total;

  return (
    <Page>
      <PageHeader title={t('deadLetters.title')} description={t('deadLetters.description')} />
      <Group justify="space-between" wrap="wrap" gap="sm">
        <Group gap="sm">
          <Select
            aria-label={t('deadLetters.filterChannel')}
            placeholder={t('deadLetters.allChannels')}
            clearable
            searchable
            w={260}
            value={channelId}
            onChange={setChannel}
            data={(channels.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))}
            data-testid="dead-letters-channel-filter"
          />
          {list.isSuccess && (
            <Text fz="sm" c="dimmed" data-testid="dead-letters-total">
              {t('deadLetters.total', { count: list.total })}
            </Text>
          )}
        </Group>
        {actions}
      </Group>
      {list.isPending && <PageLoader />}
      {list.isError && <LoadFailed title={t('deadLetters.loadFailed')} error={list.error} />}
      {list.isSuccess && list.items.length === 0 && (
        <EmptyState
          testId="dead-letters-empty"
          icon={<IconCircleCheck size={40} stroke={1.3} color="var(--mantine-color-green-6)" aria-hidden />}
          title={t('deadLetters.emptyTitle')}
          text={channelName ? t('deadLetters.emptyTextChannel', { name: channelName }) : t('deadLetters.emptyText')}
        />
      )}
      {list.items.length > 0 && (
        <DeadLetterTable items={list.items} now={now} selected={selected} onSelect={setSelected} onFilterChannel={setChannel} />
      )}
      {list.hasNextPage && (
        <Center>
          <Button
            variant="default"
            loading={list.isFetchingNextPage}
            onClick={() => void list.fetchNextPage()}
            data-testid="dead-letters-more"
          >
            {t('deadLetters.loadMore')}
          </Button>
        </Center>
      )}
      <ConfirmModal
        opened={confirming !== null}
        title={t('deadLetters.confirmDiscardTitle', { count })}
        text={
          channelName && confirming?.scope === 'all'
            ? t('deadLetters.confirmDiscardChannelText', { name: channelName })
            : t('deadLetters.confirmDiscardText')
        }
        confirmLabel={t('deadLetters.discard')}
        loading={discard.isPending}
        onCancel={() => setConfirming(null)}
        onConfirm={() => confirming && run('discard', confirming.scope)}
      />
      <UncertainRetryModal
        uncertain={confirmingRetry?.uncertain ?? null}
        others={confirmingRetry?.others ?? 0}
        loading={retry.isPending}
        onCancel={() => setConfirmingRetry(null)}
        onRetryOthers={() => confirmingRetry && run('retry', confirmingRetry.scope, 'others')}
        onRetryAll={() => confirmingRetry && run('retry', confirmingRetry.scope, 'confirm')}
      />
    </Page>
  );
}
