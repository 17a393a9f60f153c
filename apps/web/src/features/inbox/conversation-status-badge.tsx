import { Badge, type BadgeProps } from '@mantine/core';
import { IconRobot } from '@tabler/icons-react';
import type { ConversationStatus } from '@switchboard/shared';
import { useTranslation } from 'react-i18next';

const COLORS: Record<ConversationStatus, string> = { open: 'green', queued: 'orange', bot: 'violet', snoozed: 'gray', resolved: 'gray' };

interface Props {
  status: ConversationStatus;
  size?: BadgeProps['size'];
  /** The conversation header says in words that the bot is answering. */
  long?: boolean;
}

export function ConversationStatusBadge({ status, size = 'sm', long = false }: Props) {
  const { t } = useTranslation();
  const bot = status === 'bot';
  return (
    <Badge
      size={size}
      variant={bot && long ? 'filled' : 'light'}
      color={COLORS[status]}
      leftSection={bot ? <IconRobot size={size === 'xs' ? 10 : 12} aria-hidden /> : undefined}
      data-testid="conversation-status"
      data-status={status}
      style={{ flexShrink: 0 }}
    >
      {bot && long ? t('conversation.botAnswering') : t(`conversation.status.${status}`)}
    </Badge>
  );
}
