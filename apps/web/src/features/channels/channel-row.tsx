import { ActionIcon, Badge, CopyButton, Group, Menu, Stack, Switch, Table, Text, Tooltip } from '@mantine/core';
import { IconCheck, IconCopy, IconDots, IconPencil, IconPlugConnected, IconTrash } from '@tabler/icons-react';
import type { Channel } from '@switchboard/shared';
import { useTranslation } from 'react-i18next';
import { ChannelIcon } from '../../components/channel-icon';
import { currentLanguage } from '../../i18n';
import { formatAgo, formatDateTime } from '../../lib/time';
import { channelSettings } from './channels.api';
import { ChannelStatusBadge } from './channel-status-badge';

interface Props {
  channel: Channel;
  now: number;
  canManage: boolean;
  reconnecting: boolean;
  switchingAssistant: boolean;
  onAssistantChange: (enabled: boolean) => void;
  onEdit: () => void;
  onReconnect: () => void;
  onDelete: () => void;
}

export function ChannelRow(props: Props) {
  const { channel: c, now, canManage, reconnecting, switchingAssistant, onAssistantChange, onEdit, onReconnect, onDelete } = props;
  const { t } = useTranslation();
  const s = channelSettings(c);
  const locale = currentLanguage();
  const ago = (iso: string | null) => (iso ? formatAgo(iso, now, locale) : t('channels.never'));
  const lastActivity =
    [c.lastInboundAt, c.lastOutboundAt]
      .filter((v): v is string => v !== null)
      .sort()
      .pop() ?? null;

  return (
    <Table.Tr data-testid="channel-row" data-channel-id={c.id}>
      <Table.Td>
        <Group gap="sm" wrap="nowrap">
          <ChannelIcon type={c.type} size={22} />
          <div style={{ minWidth: 0 }}>
            <Text fw={600} fz="sm" truncate data-testid="channel-name">
              {c.name}
            </Text>
            <Text fz="xs" c="dimmed" truncate>
              {[s.botUsername ? `@${s.botUsername}` : null, s.botTokenHint].filter(Boolean).join(' · ')}
            </Text>
          </div>
        </Group>
      </Table.Td>
      <Table.Td>
        <Stack gap={2} align="flex-start">
          <ChannelStatusBadge channel={c} />
          {c.statusReason && (
            <Text fz="xs" c="dimmed" lineClamp={2} maw={260}>
              {c.statusReason}
            </Text>
          )}
        </Stack>
      </Table.Td>
      <Table.Td>
        <Stack gap={2} align="flex-start">
          {s.mode && (
            <Badge variant="outline" color="gray" size="sm" data-testid="channel-mode">
              {t(`channels.mode.${s.mode}`)}
            </Badge>
          )}
          {s.mode === 'webhook' && s.webhookUrl && <WebhookUrl url={s.webhookUrl} />}
          {s.mode === 'polling' && (
            <Text fz="xs" c="dimmed">
              {t('channels.lastPolled', { when: ago(c.lastPolledAt) })}
            </Text>
          )}
        </Stack>
      </Table.Td>
      <Table.Td>
        <Tooltip label={t('channels.assistantHint')} multiline maw={300}>
          <Switch
            size="sm"
            color="violet"
            aria-label={t('channels.assistantFor', { name: c.name })}
            checked={s.assistantEnabled}
            disabled={!canManage || switchingAssistant}
            onChange={(e) => onAssistantChange(e.currentTarget.checked)}
            data-testid="channel-assistant"
          />
        </Tooltip>
      </Table.Td>
      <Table.Td>
        <Tooltip label={lastActivity ? formatDateTime(lastActivity, locale) : t('channels.never')}>
          <Text fz="sm">{ago(lastActivity)}</Text>
        </Tooltip>
      </Table.Td>
      <Table.Td>
        {canManage && (
          <Menu position="bottom-end" withinPortal>
            <Menu.Target>
              <ActionIcon
                variant="subtle"
                color="gray"
                loading={reconnecting}
                aria-label={t('channels.actions', { name: c.name })}
                data-testid="channel-menu"
              >
                <IconDots size={16} />
              </ActionIcon>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Item leftSection={<IconPencil size={16} />} onClick={onEdit}>
                {t('channels.edit')}
              </Menu.Item>
              <Menu.Item leftSection={<IconPlugConnected size={16} />} onClick={onReconnect} data-testid="channel-reconnect">
                {t('channels.reconnect')}
              </Menu.Item>
              <Menu.Divider />
              <Menu.Item leftSection={<IconTrash size={16} />} color="red" onClick={onDelete} data-testid="channel-delete">
                {t('channels.delete')}
              </Menu.Item>
            </Menu.Dropdown>
          </Menu>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

function WebhookUrl({ url }: { url: string }) {
  const { t } = useTranslation();
  return (
    <Group gap={2} wrap="nowrap" maw={280}>
      <Text fz="xs" c="dimmed" truncate ff="monospace" title={url}>
        {url}
      </Text>
      <CopyButton value={url}>
        {({ copied, copy }) => (
          <Tooltip label={copied ? t('common.copied') : t('common.copy')}>
            <ActionIcon size="xs" variant="subtle" color={copied ? 'teal' : 'gray'} onClick={copy} aria-label={t('common.copy')}>
              {copied ? <IconCheck size={12} /> : <IconCopy size={12} />}
            </ActionIcon>
          </Tooltip>
        )}
      </CopyButton>
    </Group>
  );
}
