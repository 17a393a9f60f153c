import { Badge, Button, Card, Group, SegmentedControl, Stack, Table, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import type { Notification } from '@switchboard/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { PageHeader } from '../../components/page-header';
import { LoadFailed, PageLoader } from '../../components/page-states';
import { formatDateTime } from '../../lib/time';
import { notifyError, notifySuccess } from '../../lib/notify';
import { NotificationItem } from './notification-item';
import { notificationKeys, sendTest } from './notifications.api';
import { NotificationSettingsCard } from './notification-settings';
import { useDeliveries, useMarkRead, useNotificationList, useUnreadCount } from './use-notifications';

/** All my notifications, my choices of what reaches me how, and how deliveries went. */
export function NotificationsPage() {
  const { t } = useTranslation();
  const [filter, setFilter] = useState<'all' | 'unread'>('all');
  const list = useNotificationList(filter === 'unread');
  const unread = useUnreadCount().data?.unread ?? 0;
  const mark = useMarkRead();
  const navigate = useNavigate();
  const qc = useQueryClient();

  const open = (n: Notification) => {
    if (!n.readAt) mark.mutate({ ids: [n.id] });
    if (n.link && n.link !== '/notifications') void navigate(n.link);
  };
  const test = async () => {
    try {
      await sendTest();
      notifySuccess(t('notifications.testSent'));
      void qc.invalidateQueries({ queryKey: notificationKeys.deliveries });
    } catch (err) {
      notifyError(err);
    }
  };

  return (
    <Stack p={{ base: 'sm', sm: 'lg' }} gap="lg" maw={1000}>
      <PageHeader
        title={t('notifications.title')}
        description={t('notifications.description')}
        action={
          <Group gap="xs">
            <Button variant="default" onClick={() => void test()} data-testid="notifications-test">
              {t('notifications.test')}
            </Button>
            <Button disabled={unread === 0} onClick={() => mark.mutate({ all: true })} data-testid="notifications-page-read-all">
              {t('notifications.readAll')}
            </Button>
          </Group>
        }
      />
      <Card withBorder padding="sm">
        <Group justify="space-between" mb="xs">
          <SegmentedControl
            size="xs"
            value={filter}
            onChange={(v) => setFilter(v as 'all' | 'unread')}
            data={[
              { value: 'all', label: t('notifications.filterAll') },
              { value: 'unread', label: t('notifications.filterUnread', { count: unread }) },
            ]}
          />
        </Group>
        {list.isPending && <PageLoader />}
        {list.isError && <LoadFailed title={t('notifications.loadFailed')} error={list.error} />}
        <Stack gap={4} data-testid="notifications-page-list">
          {list.data?.items.length === 0 && (
            <Text c="dimmed" ta="center" py="lg">
              {t('notifications.empty')}
            </Text>
          )}
          {list.data?.items.map((n) => (
            <NotificationItem key={n.id} n={n} onOpen={open} />
          ))}
        </Stack>
      </Card>
      <NotificationSettingsCard />
      <DeliveryLog />
    </Stack>
  );
}

function DeliveryLog() {
  const { t, i18n } = useTranslation();
  const deliveries = useDeliveries();
  const rows = deliveries.data?.items.filter((d) => d.status !== 'sent').slice(0, 20) ?? [];
  const color = { pending: 'gray', sent: 'green', failed: 'red', skipped: 'yellow' } as const;
  return (
    <Card withBorder padding="md">
      <Title order={2} fz="h5" mb={4}>
        {t('notifications.log.title')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('notifications.log.description')}
      </Text>
      {rows.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('notifications.log.empty')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={520}>
          <Table verticalSpacing={4} fz="sm" data-testid="delivery-log">
            <Table.Tbody>
              {rows.map((d) => (
                <Table.Tr key={d.id}>
                  <Table.Td>{formatDateTime(d.createdAt, i18n.language)}</Table.Td>
                  <Table.Td>{t(`notifications.media.${d.medium}`)}</Table.Td>
                  <Table.Td>
                    <Badge color={color[d.status]} variant="light">
                      {t(`notifications.log.status.${d.status}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs" lineClamp={2}>
                      {d.status === 'pending' && d.notBefore
                        ? t('notifications.log.heldUntil', { time: formatDateTime(d.notBefore, i18n.language) })
                        : (d.lastError ?? d.title)}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Card>
  );
}
