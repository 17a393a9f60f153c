import { Page } from '../../components/page';
import { Button, Card, Table, VisuallyHidden } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconPlugConnected, IconPlus } from '@tabler/icons-react';
import type { Channel } from '@switchboard/shared';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmModal } from '../../components/confirm-modal';
import { PageHeader } from '../../components/page-header';
import { EmptyState, LoadFailed, PageLoader } from '../../components/page-states';
import { notifySuccess } from '../../lib/notify';
import { useNow } from '../../lib/time';
import { AlertsPanel } from '../alerts/alerts-panel';
import { useHasPermission } from '../auth/permissions';
import { ChannelDrawer } from './channel-drawer';
import { ChannelRow } from './channel-row';
import { useChannels, useDeleteChannel, useReconnectChannel, useUpdateChannel } from './use-channels';
import { WideTable } from '../../components/wide-table';

// The dialogs check settings with the shared schemas (and so bring zod): loaded when first opened.
const AddChannelModal = lazy(() => import('./add-channel-modal').then((m) => ({ default: m.AddChannelModal })));
const EditChannelModal = lazy(() => import('./edit-channel-modal').then((m) => ({ default: m.EditChannelModal })));

export function ChannelsPage() {
  const { t } = useTranslation();
  const canManage = useHasPermission('channel.manage');
  const channels = useChannels();
  const now = useNow(30_000);
  const [addOpen, add] = useDisclosure(false);
  // Mounted from the first opening on, so that closing can play its transition.
  const [addUsed, setAddUsed] = useState(false);
  const [editing, setEditing] = useState<Channel | null>(null);
  const [deleting, setDeleting] = useState<Channel | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);
  const reconnect = useReconnectChannel();
  const assistant = useUpdateChannel();
  const remove = useDeleteChannel();
  // The drawer follows the live list (status changes, deletion).
  const open = channels.data?.items.find((c) => c.id === openId) ?? null;

  const doReconnect = (c: Channel) =>
    reconnect.mutate(c.id, {
      onSuccess: (saved) =>
        notifySuccess(
          saved.status === 'connected'
            ? t('channels.reconnected', { name: saved.name })
            : t('channels.reconnectedWithStatus', { name: saved.name, status: t(`channels.status.${saved.status}`) }),
        ),
    });

  const addButton = canManage && (
    <Button
      leftSection={<IconPlus size={16} />}
      onClick={() => {
        setAddUsed(true);
        add.open();
      }}
      data-testid="channel-add"
    >
      {t('channels.add')}
    </Button>
  );

  return (
    <Page>
      <PageHeader title={t('channels.title')} description={t('channels.description')} action={addButton} />
      <AlertsPanel now={now} onOpenChannel={setOpenId} />
      {channels.isPending && <PageLoader />}
      {channels.isError && <LoadFailed title={t('channels.loadFailed')} error={channels.error} />}
      {channels.isSuccess && channels.data.items.length === 0 && (
        <EmptyState
          testId="channels-empty"
          icon={<IconPlugConnected size={40} stroke={1.3} color="var(--mantine-color-blue-6)" aria-hidden />}
          title={t('channels.emptyTitle')}
          text={canManage ? t('channels.emptyText') : t('channels.emptyTextNoPermission')}
        >
          {addButton}
        </EmptyState>
      )}
      {channels.isSuccess && channels.data.items.length > 0 && (
        <Card withBorder padding={0}>
          <WideTable minWidth={1080}>
            <Table verticalSpacing="sm" horizontalSpacing="md" highlightOnHover data-testid="channel-list">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('channels.columns.channel')}</Table.Th>
                  <Table.Th>{t('channels.columns.status')}</Table.Th>
                  <Table.Th>{t('channels.columns.connection')}</Table.Th>
                  <Table.Th style={{ whiteSpace: 'nowrap' }}>{t('channels.columns.assistant')}</Table.Th>
                  <Table.Th>{t('channels.columns.activity')}</Table.Th>
                  <Table.Th>{t('channels.columns.problems')}</Table.Th>
                  <Table.Th w={48}>
                    <VisuallyHidden>{t('channels.columns.actions')}</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {channels.data.items.map((c) => (
                  <ChannelRow
                    key={c.id}
                    channel={c}
                    now={now}
                    canManage={canManage}
                    reconnecting={reconnect.isPending && reconnect.variables === c.id}
                    switchingAssistant={assistant.isPending && assistant.variables.id === c.id}
                    onAssistantChange={(enabled) =>
                      assistant.mutate(
                        { id: c.id, input: { config: { assistant: { enabled } } } },
                        {
                          onSuccess: (saved) =>
                            notifySuccess(t(enabled ? 'channels.assistantEnabled' : 'channels.assistantDisabled', { name: saved.name })),
                        },
                      )
                    }
                    onOpen={() => setOpenId(c.id)}
                    onEdit={() => setEditing(c)}
                    onReconnect={() => doReconnect(c)}
                    onDelete={() => setDeleting(c)}
                  />
                ))}
              </Table.Tbody>
            </Table>
          </WideTable>
        </Card>
      )}
      <ChannelDrawer
        channel={open}
        now={now}
        canManage={canManage}
        reconnecting={reconnect.isPending && reconnect.variables === open?.id}
        onClose={() => setOpenId(null)}
        onEdit={setEditing}
        onReconnect={doReconnect}
      />
      <Suspense fallback={null}>
        {addUsed && <AddChannelModal opened={addOpen} onClose={add.close} />}
        {editing && <EditChannelModal key={editing.id} channel={editing} onClose={() => setEditing(null)} />}
      </Suspense>
      <ConfirmModal
        opened={deleting !== null}
        title={t('channels.deleteTitle', { name: deleting?.name ?? '' })}
        text={t('channels.deleteText')}
        confirmLabel={t('channels.delete')}
        loading={remove.isPending}
        onCancel={() => setDeleting(null)}
        onConfirm={() =>
          deleting &&
          remove.mutate(deleting.id, {
            onSuccess: () => {
              if (openId === deleting.id) setOpenId(null);
              setDeleting(null);
            },
          })
        }
      />
    </Page>
  );
}
