import { Page } from '../../components/page';
import { ActionIcon, Badge, Button, Card, Group, Menu, Modal, Switch, Table, Text, Tooltip } from '@mantine/core';
import { IconDots, IconKey, IconPencil, IconPlus, IconSend, IconTrash, IconWebhook } from '@tabler/icons-react';
import type { WebhookEndpoint, WebhookEndpointWithSecret } from '@switchboard/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmModal } from '../../components/confirm-modal';
import { PageHeader } from '../../components/page-header';
import { EmptyState, LoadFailed, PageLoader } from '../../components/page-states';
import { notifyError, notifySuccess } from '../../lib/notify';
import { DeliveryLog } from './delivery-log';
import { EndpointFormModal } from './endpoint-form-modal';
import { EndpointSecret } from './endpoint-secret';
import { eventLabel, WHOLE_BADGE } from './webhook-labels';
import { useDeleteEndpoint, useEndpoints, usePing, useRotateSecret, useUpdateEndpoint } from './use-webhooks';

type Dialog = { kind: 'create' } | { kind: 'edit' | 'rotate' | 'delete'; endpoint: WebhookEndpoint } | null;

/** Outbound webhooks: endpoints (with API channels' callbacks), then the chosen endpoint's delivery log. */
export function WebhooksPage() {
  const { t } = useTranslation();
  const endpoints = useEndpoints();
  const update = useUpdateEndpoint();
  const remove = useDeleteEndpoint();
  const rotate = useRotateSecret();
  const ping = usePing();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [secret, setSecret] = useState<WebhookEndpointWithSecret | null>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const items = endpoints.data?.items ?? [];
  const selected = items.find((e) => e.id === selectedId) ?? items[0];

  const sendTest = (endpoint: WebhookEndpoint) =>
    ping.mutate(endpoint.id, {
      onSuccess: (d) =>
        d.status === 'delivered'
          ? notifySuccess(t('webhooks.testSent', { code: d.lastStatusCode ?? '' }))
          : notifyError(new Error(d.lastError ?? ''), t('webhooks.testFailed')),
    });

  const addButton = (
    <Button leftSection={<IconPlus size={16} />} onClick={() => setDialog({ kind: 'create' })} data-testid="webhook-create">
      {t('webhooks.add')}
    </Button>
  );

  return (
    <Page>
      <PageHeader title={t('webhooks.title')} description={t('webhooks.description')} action={addButton} />
      {endpoints.isPending && <PageLoader />}
      {endpoints.isError && <LoadFailed title={t('webhooks.loadFailed')} error={endpoints.error} />}
      {endpoints.isSuccess && items.length === 0 && (
        <EmptyState
          testId="webhooks-empty"
          icon={<IconWebhook size={36} stroke={1.3} color="var(--mantine-color-dimmed)" aria-hidden />}
          title={t('webhooks.emptyTitle')}
          text={t('webhooks.emptyText')}
        />
      )}
      {items.length > 0 && (
        <Card withBorder padding={0}>
          <Table.ScrollContainer minWidth={760}>
            <Table verticalSpacing="sm" horizontalSpacing="md" highlightOnHover data-testid="webhook-list">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('webhooks.columns.url')}</Table.Th>
                  <Table.Th>{t('webhooks.columns.events')}</Table.Th>
                  <Table.Th>{t('webhooks.columns.health')}</Table.Th>
                  <Table.Th>{t('webhooks.columns.enabled')}</Table.Th>
                  <Table.Th w={48}>{t('webhooks.columns.actions')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((e) => (
                  <Table.Tr
                    key={e.id}
                    onClick={() => setSelectedId(e.id)}
                    style={{ cursor: 'pointer' }}
                    bg={selected?.id === e.id ? 'var(--mantine-primary-color-light)' : undefined}
                    data-testid="webhook-row"
                    aria-selected={selected?.id === e.id}
                  >
                    <Table.Td maw={380}>
                      <Text fz="sm" ff="monospace" truncate="end">
                        {e.url}
                      </Text>
                      <Group gap={6}>
                        {e.channelId && (
                          <Badge size="xs" variant="outline" color="grape">
                            {t('webhooks.channelEndpoint')}
                          </Badge>
                        )}
                        {e.description && (
                          <Text fz="xs" c="dimmed" truncate="end">
                            {e.description}
                          </Text>
                        )}
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4}>
                        {e.events.map((type) => (
                          <Badge key={type} size="sm" variant="default" tt="none">
                            {eventLabel(t, type)}
                          </Badge>
                        ))}
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      {e.failing > 0 ? (
                        <Badge color="red" variant="light" styles={WHOLE_BADGE} data-testid="webhook-failing">
                          {t('webhooks.failing', { count: e.failing })}
                        </Badge>
                      ) : (
                        <Badge color="teal" variant="light" styles={WHOLE_BADGE}>
                          {t('webhooks.healthy')}
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td onClick={(ev) => ev.stopPropagation()}>
                      <Switch
                        checked={e.enabled}
                        aria-label={t('webhooks.enabled')}
                        onChange={(ev) => update.mutate({ id: e.id, patch: { enabled: ev.currentTarget.checked } })}
                        data-testid="webhook-enabled"
                      />
                    </Table.Td>
                    <Table.Td onClick={(ev) => ev.stopPropagation()}>
                      <Menu position="bottom-end" withinPortal>
                        <Menu.Target>
                          <Tooltip label={t('webhooks.columns.actions')}>
                            <ActionIcon variant="subtle" color="gray" aria-label={t('webhooks.columns.actions')} data-testid="webhook-menu">
                              <IconDots size={18} />
                            </ActionIcon>
                          </Tooltip>
                        </Menu.Target>
                        <Menu.Dropdown>
                          <Menu.Item leftSection={<IconPencil size={16} />} onClick={() => setDialog({ kind: 'edit', endpoint: e })}>
                            {t('webhooks.actions.edit')}
                          </Menu.Item>
                          <Menu.Item leftSection={<IconSend size={16} />} onClick={() => sendTest(e)} data-testid="webhook-ping">
                            {t('webhooks.actions.test')}
                          </Menu.Item>
                          <Menu.Item leftSection={<IconKey size={16} />} onClick={() => setDialog({ kind: 'rotate', endpoint: e })}>
                            {t('webhooks.actions.rotate')}
                          </Menu.Item>
                          {!e.channelId && (
                            <Menu.Item
                              color="red"
                              leftSection={<IconTrash size={16} />}
                              onClick={() => setDialog({ kind: 'delete', endpoint: e })}
                            >
                              {t('webhooks.actions.delete')}
                            </Menu.Item>
                          )}
                        </Menu.Dropdown>
                      </Menu>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Card>
      )}
      {selected && <DeliveryLog key={selected.id} endpoint={selected} />}

      <EndpointFormModal
        key={dialog?.kind === 'edit' ? dialog.endpoint.id : 'new'}
        opened={dialog?.kind === 'create' || dialog?.kind === 'edit'}
        endpoint={dialog?.kind === 'edit' ? dialog.endpoint : null}
        onClose={() => setDialog(null)}
      />
      <ConfirmModal
        opened={dialog?.kind === 'rotate'}
        title={t('webhooks.rotateTitle')}
        text={t('webhooks.rotateText')}
        confirmLabel={t('webhooks.rotateConfirm')}
        loading={rotate.isPending}
        onCancel={() => setDialog(null)}
        onConfirm={() =>
          dialog?.kind === 'rotate' &&
          rotate.mutate(dialog.endpoint.id, {
            onSuccess: (withSecret) => {
              setDialog(null);
              setSecret(withSecret);
            },
          })
        }
      />
      <ConfirmModal
        opened={dialog?.kind === 'delete'}
        title={t('webhooks.deleteTitle')}
        text={t('webhooks.deleteText', { url: dialog?.kind === 'delete' ? dialog.endpoint.url : '' })}
        confirmLabel={t('webhooks.actions.delete')}
        loading={remove.isPending}
        onCancel={() => setDialog(null)}
        onConfirm={() => dialog?.kind === 'delete' && remove.mutate(dialog.endpoint.id, { onSuccess: () => setDialog(null) })}
      />
      <Modal
        opened={secret !== null}
        onClose={() => setSecret(null)}
        title={t('webhooks.secret.rotatedTitle')}
        centered
        size="lg"
        closeOnClickOutside={false}
      >
        {secret && <EndpointSecret endpoint={secret} onDone={() => setSecret(null)} />}
      </Modal>
    </Page>
  );
}
