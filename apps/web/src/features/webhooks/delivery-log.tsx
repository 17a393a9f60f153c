import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Card,
  Center,
  Code,
  Group,
  Loader,
  Modal,
  SegmentedControl,
  Stack,
  Table,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { IconCode, IconRefresh } from '@tabler/icons-react';
import type { WebhookDelivery, WebhookEndpoint } from '@switchboard/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../../i18n';
import { errorMessage, notifySuccess } from '../../lib/notify';
import { formatAgo, formatDateTime, useNow } from '../../lib/time';
import { DELIVERY_FILTERS, type DeliveryFilter } from './webhooks.api';
import { eventLabel, STATUS_COLORS, WHOLE_BADGE } from './webhook-labels';
import { useDeliveries, useRedeliver, useRedeliverFailed } from './use-webhooks';

/** One endpoint's deliveries, newest first: status, attempts, last answer, and redelivery. */
export function DeliveryLog({ endpoint }: { endpoint: WebhookEndpoint }) {
  const { t } = useTranslation();
  const [filter, setFilter] = useState<DeliveryFilter>('all');
  const [payloadOf, setPayloadOf] = useState<WebhookDelivery | null>(null);
  const log = useDeliveries(endpoint.id, filter);
  const redeliver = useRedeliver();
  const redeliverFailed = useRedeliverFailed();
  const now = useNow(10_000);
  const locale = currentLanguage();

  return (
    <Card withBorder padding={0} data-testid="webhook-delivery-log">
      <Group justify="space-between" p="md" wrap="wrap" gap="sm">
        <Stack gap={0} miw={0}>
          <Title order={2} fz="h5">
            {t('webhooks.log.title')}
          </Title>
          <Text fz="xs" c="dimmed" truncate="end" maw={480}>
            {endpoint.url}
          </Text>
        </Stack>
        <Group gap="sm">
          <SegmentedControl
            size="xs"
            value={filter}
            onChange={(v) => setFilter(v as DeliveryFilter)}
            data={DELIVERY_FILTERS.map((f) => ({ value: f, label: t(`webhooks.log.filter.${f}`) }))}
            data-testid="webhook-log-filter"
          />
          <Button
            size="xs"
            variant="light"
            leftSection={<IconRefresh size={14} />}
            loading={redeliverFailed.isPending}
            onClick={() =>
              redeliverFailed.mutate(endpoint.id, {
                onSuccess: (r) => notifySuccess(t('webhooks.log.redeliveredAll', { count: r.affected })),
              })
            }
            data-testid="webhook-redeliver-failed"
          >
            {t('webhooks.log.redeliverFailed')}
          </Button>
        </Group>
      </Group>
      {log.isPending && (
        <Center py="lg">
          <Loader size="sm" aria-label={t('common.loading')} />
        </Center>
      )}
      {log.isError && (
        <Alert color="red" m="md">
          {errorMessage(log.error)}
        </Alert>
      )}
      {log.isSuccess && log.deliveries.length === 0 && (
        <Text c="dimmed" fz="sm" ta="center" py="lg">
          {t('webhooks.log.empty')}
        </Text>
      )}
      {log.deliveries.length > 0 && (
        <Table.ScrollContainer minWidth={820}>
          <Table verticalSpacing="xs" horizontalSpacing="md" fz="sm" data-testid="webhook-deliveries">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('webhooks.log.columns.time')}</Table.Th>
                <Table.Th>{t('webhooks.log.columns.event')}</Table.Th>
                <Table.Th>{t('webhooks.log.columns.status')}</Table.Th>
                <Table.Th ta="right">{t('webhooks.log.columns.attempts')}</Table.Th>
                <Table.Th>{t('webhooks.log.columns.response')}</Table.Th>
                <Table.Th>{t('webhooks.log.columns.next')}</Table.Th>
                <Table.Th w={120}>{t('webhooks.log.columns.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {log.deliveries.map((d) => (
                <Table.Tr key={d.id} data-testid="webhook-delivery-row" data-status={d.status}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(d.createdAt, locale)}</Table.Td>
                  <Table.Td>
                    <Text fz="sm">{eventLabel(t, d.eventType)}</Text>
                    <Text fz="xs" c="dimmed" ff="monospace">
                      {d.eventType}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Badge color={STATUS_COLORS[d.status]} variant="light" styles={WHOLE_BADGE}>
                      {t(`webhooks.status.${d.status}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td ta="right">{d.attempts}</Table.Td>
                  <Table.Td maw={320}>
                    {d.lastStatusCode !== null && (
                      <Code fz="xs" c={d.lastStatusCode >= 200 && d.lastStatusCode < 300 ? 'teal' : 'red'}>
                        {d.lastStatusCode}
                      </Code>
                    )}
                    {d.lastError && (
                      <Tooltip label={d.lastError} multiline maw={420} withinPortal>
                        <Text fz="xs" c="red" lineClamp={2} data-testid="webhook-delivery-error">
                          {d.lastError}
                        </Text>
                      </Tooltip>
                    )}
                    {d.lastStatusCode === null && !d.lastError && (
                      <Text fz="xs" c="dimmed">
                        —
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td fz="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                    {d.status === 'failed' && d.nextAttemptAt ? formatAgo(d.nextAttemptAt, now, locale) : '—'}
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      <Tooltip label={t('webhooks.log.payload')}>
                        <ActionIcon variant="subtle" color="gray" onClick={() => setPayloadOf(d)} aria-label={t('webhooks.log.payload')}>
                          <IconCode size={16} />
                        </ActionIcon>
                      </Tooltip>
                      {d.eventType !== 'ping' && (
                        <Button
                          size="compact-xs"
                          variant="subtle"
                          loading={redeliver.isPending && redeliver.variables === d.id}
                          onClick={() => redeliver.mutate(d.id, { onSuccess: () => notifySuccess(t('webhooks.log.redelivered')) })}
                          data-testid="webhook-redeliver"
                        >
                          {t('webhooks.log.redeliver')}
                        </Button>
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {log.hasNextPage && (
        <Center p="sm">
          <Button variant="subtle" size="xs" loading={log.isFetchingNextPage} onClick={() => void log.fetchNextPage()}>
            {t('webhooks.log.loadMore')}
          </Button>
        </Center>
      )}
      <Modal opened={payloadOf !== null} onClose={() => setPayloadOf(null)} title={t('webhooks.log.payload')} size="xl" centered>
        <Code block fz="xs">
          {JSON.stringify(payloadOf?.payload ?? {}, null, 2)}
        </Code>
      </Modal>
    </Card>
  );
}
