import { Badge, type BadgeProps } from '@mantine/core';
import type { ConversationStatus } from '@switchboard/shared';
import { useTranslation } from 'react-i18next';

const COLORS: Record<ConversationStatus, string> = { open: 'green', queued: 'orange', bot: 'violet', snoozed: 'gray', resolved: 'gray' };

export function ConversationStatusBadge({ status, size = 'sm' }: { status: ConversationStatus; size?: BadgeProps['size'] }) {
  const { t } = useTranslation();
  return (
    <Badge
      size={size}
      variant="light"
      color={COLORS[status]}
      data-testid="conversation-status"
      data-status={status}
      style={{ flexShrink: 0 }}
    >
      {t(`conversation.status.${status}`)}
    </Badge>
  );
}
