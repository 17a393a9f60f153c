import { Anchor, Badge, Card, Group, Stack, Text, ThemeIcon, Tooltip } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { ChannelIcon } from '../../components/channel-icon';
import { currentLanguage } from '../../i18n';
import { formatAgo, formatDateTime } from '../../lib/time';
import { AlertKindBadge } from './alert-kind-badge';
import { useAlerts } from './use-alerts';

/** Open channel alerts across the account, live; hidden when every channel is healthy. */
export function AlertsPanel({ now, onOpenChannel }: { now: number; onOpenChannel: (channelId: string) => void }) {
  const { t } = useTranslation();
  const locale = currentLanguage();
  const alerts = useAlerts('open');
  const items = alerts.data?.items ?? [];
  if (items.length === 0) return null;

  return (
    <Card withBorder padding="md" data-testid="alerts-panel" style={{ borderColor: 'var(--mantine-color-orange-outline)' }}>
      <Group gap="xs" mb="sm">
        <ThemeIcon color="orange" variant="light" size="md" radius="xl">
          <IconAlertTriangle size={16} />
        </ThemeIcon>
        <Text fw={600}>{t('alerts.openTitle')}</Text>
        <Badge color="orange" variant="filled" size="sm" circle={items.length < 10}>
          {items.length}
        </Badge>
      </Group>
      <Stack gap="xs">
        {items.map((a) => (
          <Group
            key={a.id}
            gap="sm"
            wrap="nowrap"
            align="flex-start"
            data-testid="alert-item"
            data-kind={a.kind}
            data-channel-id={a.channelId}
          >
            <ChannelIcon type={a.channelType} size={18} />
            <Stack gap={2} style={{ flex: 1, minWidth: 0 }}>
              <Group gap="xs" wrap="wrap" style={{ rowGap: 2 }}>
                <Anchor component="button" type="button" fz="sm" fw={600} onClick={() => onOpenChannel(a.channelId)}>
                  {a.channelName}
                </Anchor>
                <AlertKindBadge kind={a.kind} />
              </Group>
              <Text fz="sm" c="dimmed" data-testid="alert-message">
                {a.message}
              </Text>
            </Stack>
            <Tooltip label={formatDateTime(a.openedAt, locale)}>
              <Text fz="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                {t('alerts.opened', { when: formatAgo(a.openedAt, Math.max(now, Date.parse(a.openedAt)), locale) })}
              </Text>
            </Tooltip>
          </Group>
        ))}
      </Stack>
    </Card>
  );
}
