import { Group, Stack, Text, ThemeIcon, UnstyledButton } from '@mantine/core';
import {
  IconAlarm,
  IconAt,
  IconHandStop,
  IconMessage,
  IconMessageCircle,
  IconMoodSad,
  IconRobot,
  IconUserCheck,
  IconUrgent,
  IconUsersGroup,
  type Icon,
} from '@tabler/icons-react';
import type { Notification, NotificationKind } from '@switchboard/shared';
import { useTranslation } from 'react-i18next';
import { formatAgo, useNow } from '../../lib/time';

const ICONS: Record<NotificationKind, [Icon, string]> = {
  new_conversation: [IconMessage, 'blue'],
  assigned: [IconUserCheck, 'teal'],
  mention: [IconAt, 'violet'],
  customer_replied: [IconMessageCircle, 'blue'],
  handed_over: [IconRobot, 'grape'],
  waiting: [IconAlarm, 'orange'],
  waiting_escalated: [IconUrgent, 'red'],
  low_csat: [IconMoodSad, 'red'],
  chat_mention: [IconAt, 'indigo'],
  chat_direct: [IconUsersGroup, 'indigo'],
};

interface Facts {
  contact?: string | null;
  channel?: string | null;
  author?: string | null;
  minutes?: number;
  chatName?: string | null;
  score?: number;
}

/** The title in the app's language, from the facts the server kept (else the title it wrote). */
function useTitle(n: Notification): string {
  const { t } = useTranslation();
  if (n.data.test) return t('notifications.testTitle');
  const f = n.data.facts as Facts | undefined;
  if (!f) return n.title;
  const minutes = f.minutes ?? 0;
  return t(`notifications.titles.${n.kind}`, {
    contact: f.contact ?? t('notifications.aCustomer'),
    channel: f.channel ?? '',
    author: f.author ?? t('notifications.aColleague'),
    chat: f.chatName ?? '',
    score: f.score ?? '?',
    minutes,
    hours: Math.floor(minutes / 60),
  });
}

/** One notification: what happened, a line of text, how long ago; unread ones stand out. */
export function NotificationItem({ n, onOpen }: { n: Notification; onOpen: (n: Notification) => void }) {
  const { i18n } = useTranslation();
  const title = useTitle(n);
  const now = useNow();
  const [KindIcon, color] = ICONS[n.kind] ?? [IconHandStop, 'gray'];
  return (
    <UnstyledButton
      onClick={() => onOpen(n)}
      data-testid="notification-item"
      data-unread={n.readAt ? 'false' : 'true'}
      p="xs"
      style={{ borderRadius: 8, width: '100%', background: n.readAt ? undefined : 'var(--mantine-color-blue-light)' }}
    >
      <Group gap="sm" wrap="nowrap" align="flex-start">
        <ThemeIcon variant="light" color={color} radius="xl" size={32}>
          <KindIcon size={18} />
        </ThemeIcon>
        <Stack gap={2} style={{ minWidth: 0, flex: 1 }}>
          <Text size="sm" fw={n.readAt ? 400 : 600} lineClamp={2}>
            {title}
          </Text>
          {n.body && (
            <Text size="xs" c="dimmed" lineClamp={2}>
              {n.body}
            </Text>
          )}
          <Text size="xs" c="dimmed">
            {formatAgo(n.createdAt, now, i18n.language)}
          </Text>
        </Stack>
      </Group>
    </UnstyledButton>
  );
}
