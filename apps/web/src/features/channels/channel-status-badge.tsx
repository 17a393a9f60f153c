import { Badge, Tooltip } from '@mantine/core';
import type { Channel } from '@switchboard/shared';
import { useTranslation } from 'react-i18next';
import { isFailingToSend } from './channel-failing';

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
  // Connected, but its replies are failing: shown as such, not green.
  const failing = isFailingToSend(channel);
  const reason = failing ? t('channels.failingHint', { error: channel.lastError ?? '' }) : channel.statusReason;
  const badge = (
    <Badge
      variant="light"
      color={failing ? 'orange' : STATUS_COLORS[channel.status]}
      style={{ flexShrink: 0 }}
      styles={{ label: { overflow: 'visible' } }}
      data-testid="channel-status"
      data-status={failing ? 'failing' : channel.status}
    >
      {t(`channels.status.${failing ? 'failing' : channel.status}`)}
    </Badge>
  );
  return reason ? (
    <Tooltip label={reason} multiline maw={360}>
      {badge}
    </Tooltip>
  ) : (
    badge
  );
}
