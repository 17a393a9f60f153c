import { Badge, Tooltip } from '@mantine/core';
import type { Channel } from '@switchboard/shared';
import { useTranslation } from 'react-i18next';

export const STATUS_COLORS: Record<Channel['status'], string> = {
  connected: 'green',
  connecting: 'blue',
  auth_failed: 'red',
  webhook_not_set: 'orange',
  poller_lagging: 'yellow',
  error: 'red',
};

export function ChannelStatusBadge({ channel }: { channel: Channel }) {
  const { t } = useTranslation();
  const badge = (
    <Badge
      variant="light"
      color={STATUS_COLORS[channel.status]}
      style={{ flexShrink: 0 }}
      styles={{ label: { overflow: 'visible' } }}
      data-testid="channel-status"
      data-status={channel.status}
    >
      {t(`channels.status.${channel.status}`)}
    </Badge>
  );
  return channel.statusReason ? (
    <Tooltip label={channel.statusReason} multiline maw={360}>
      {badge}
    </Tooltip>
  ) : (
    badge
  );
}
