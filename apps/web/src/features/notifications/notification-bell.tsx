import { ActionIcon, Button, Divider, Group, Indicator, Popover, ScrollArea, Stack, Text } from '@mantine/core';
import { IconBell } from '@tabler/icons-react';
import type { Notification } from '@switchboard/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { NotificationItem } from './notification-item';
import { useMarkRead, useNotificationList, useUnreadCount } from './use-notifications';

/** The bell in the top bar: the unread count, live; the latest notifications in a popover. */
export function NotificationBell() {
  const { t } = useTranslation();
  const [opened, setOpened] = useState(false);
  const unread = useUnreadCount().data?.unread ?? 0;
  const list = useNotificationList(false, opened);
  const mark = useMarkRead();
  const navigate = useNavigate();

  const open = (n: Notification) => {
    if (!n.readAt) mark.mutate({ ids: [n.id] });
    setOpened(false);
    void navigate(n.link ?? '/notifications');
  };

  return (
    <Popover opened={opened} onChange={setOpened} width={360} position="bottom-end" shadow="md" withinPortal>
      <Popover.Target>
        <Indicator
          label={unread > 99 ? '99+' : unread}
          size={16}
          color="red"
          offset={4}
          disabled={unread === 0}
          styles={{ indicator: { fontSize: 10, fontWeight: 700 } }}
        >
          <ActionIcon
            variant="subtle"
            color="gray"
            size="lg"
            onClick={() => setOpened((o) => !o)}
            aria-label={t('notifications.bell', { count: unread })}
            data-testid="notification-bell"
            data-count={unread}
          >
            <IconBell size={20} />
          </ActionIcon>
        </Indicator>
      </Popover.Target>
      <Popover.Dropdown p={0} maw="calc(100vw - 16px)">
        <Group justify="space-between" px="sm" py="xs">
          <Text fw={600}>{t('notifications.title')}</Text>
          <Button
            size="compact-xs"
            variant="subtle"
            disabled={unread === 0}
            onClick={() => mark.mutate({ all: true })}
            data-testid="notifications-read-all"
          >
            {t('notifications.readAll')}
          </Button>
        </Group>
        <Divider />
        <ScrollArea.Autosize mah={420} type="auto">
          <Stack gap={2} p={4} data-testid="notification-list">
            {list.data?.items.length === 0 && (
              <Text size="sm" c="dimmed" ta="center" py="lg">
                {t('notifications.empty')}
              </Text>
            )}
            {list.data?.items.slice(0, 15).map((n) => (
              <NotificationItem key={n.id} n={n} onOpen={open} />
            ))}
          </Stack>
        </ScrollArea.Autosize>
        <Divider />
        <Button component={Link} to="/notifications" variant="subtle" fullWidth radius={0} onClick={() => setOpened(false)}>
          {t('notifications.openAll')}
        </Button>
      </Popover.Dropdown>
    </Popover>
  );
}
