import { ActionIcon, Anchor, Badge, Group, Menu, Stack, Switch, Table, Text, Tooltip } from '@mantine/core';
import { IconAlertTriangle, IconDots, IconInfoCircle, IconPencil, IconPlugConnected, IconTrash } from '@tabler/icons-react';
import type { Channel } from '@switchboard/shared';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ChannelIcon } from '../../components/channel-icon';
import { currentLanguage } from '../../i18n';
import { formatAgo, formatDateTime } from '../../lib/time';
import { channelSettings } from './channels.api';
import { ChannelConnection, connectionSummary } from './channel-connection';
import { ChannelStatusBadge } from './channel-status-badge';
import { useChannelHealth } from './use-channels';

interface Props {
  channel: Channel;
  now: number;
  canManage: boolean;
  reconnecting: boolean;
  switchingAssistant: boolean;
  onAssistantChange: (enabled: boolean) => void;
  onOpen: () => void;
  onEdit: () => void;
  onReconnect: () => void;
  onDelete: () => void;
}

export function ChannelRow(props: Props) {
  const { channel: c, now, canManage, reconnecting, switchingAssistant, onAssistantChange, onOpen, onEdit, onReconnect, onDelete } = props;
  const { t } = useTranslation();
  const s = channelSettings(c);
  const health = useChannelHealth(c.id).data;
  const locale = currentLanguage();
  const ago = (iso: string | null) => (iso ? formatAgo(iso, Math.max(now, Date.parse(iso)), locale) : t('channels.never'));
  const openAlerts = health?.openAlerts ?? [];
  const deadLetters = health?.deadLetters ?? 0;
  const summary = connectionSummary(c, t('channels.noCallback'));

  return (
    <Table.Tr data-testid="channel-row" data-channel-id={c.id} data-type={c.type}>
      <Table.Td>
        <Group gap="sm" wrap="nowrap">
          <ChannelIcon type={c.type} size={24} />
          <Stack gap={0} miw={0}>
            <Group gap={6} wrap="nowrap">
              <Anchor
                component="button"
                type="button"
                fw={600}
                fz="sm"
                c="var(--mantine-color-text)"
                truncate
                onClick={onOpen}
                data-testid="channel-name"
              >
                {c.name}
              </Anchor>
              {s.operatorBot && (
                <Badge size="xs" variant="light" color="grape">
                  {t('channels.operatorBot')}
                </Badge>
              )}
            </Group>
            <Text fz="xs" c="dimmed" truncate maw={260} data-testid="channel-summary">
              {summary || t(`channels.types.${c.type}.name`)}
            </Text>
          </Stack>
        </Group>
      </Table.Td>
      <Table.Td>
        <Stack gap={4} align="flex-start">
          <Group gap={6} wrap="wrap">
            <ChannelStatusBadge channel={c} />
            {openAlerts.length > 0 && (
              <Tooltip label={openAlerts.map((a) => t(`alerts.kind.${a.kind}`)).join(', ')} multiline maw={300}>
                <Badge
                  color="orange"
                  variant="filled"
                  size="sm"
                  leftSection={<IconAlertTriangle size={11} />}
                  data-testid="channel-alerts"
                  data-count={openAlerts.length}
                  style={{ cursor: 'pointer', flexShrink: 0 }}
                  onClick={onOpen}
                >
                  {openAlerts.length}
                </Badge>
              </Tooltip>
            )}
          </Group>
          {c.statusReason && (
            <Text fz="xs" c="dimmed" lineClamp={2} maw={240}>
              {c.statusReason}
            </Text>
          )}
        </Stack>
      </Table.Td>
      <Table.Td>
        <ChannelConnection channel={c} ago={ago} />
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
        <Stack gap={2}>
          <Tooltip label={c.lastInboundAt ? formatDateTime(c.lastInboundAt, locale) : t('channels.never')}>
            <Text fz="xs" style={{ whiteSpace: 'nowrap' }} data-testid="channel-last-in">
              <Text span c="dimmed" fz="xs">
                {t('channels.in')}
              </Text>{' '}
              {ago(c.lastInboundAt)}
            </Text>
          </Tooltip>
          <Tooltip label={c.lastOutboundAt ? formatDateTime(c.lastOutboundAt, locale) : t('channels.never')}>
            <Text fz="xs" style={{ whiteSpace: 'nowrap' }} data-testid="channel-last-out">
              <Text span c="dimmed" fz="xs">
                {t('channels.out')}
              </Text>{' '}
              {ago(c.lastOutboundAt)}
            </Text>
          </Tooltip>
        </Stack>
      </Table.Td>
      <Table.Td>
        <Stack gap={4} align="flex-start">
          {c.errorCount > 0 ? (
            <Tooltip
              label={
                <>
                  <Text fz="xs" fw={600}>
                    {c.lastErrorAt ? formatDateTime(c.lastErrorAt, locale) : ''}
                  </Text>
                  <Text fz="xs">{c.lastError ?? ''}</Text>
                </>
              }
              multiline
              maw={380}
              disabled={!c.lastError}
            >
              <Badge
                color="red"
                variant="light"
                size="sm"
                leftSection={<IconInfoCircle size={11} />}
                style={{ flexShrink: 0 }}
                styles={{ label: { overflow: 'visible' } }}
                data-testid="channel-errors"
              >
                {t('channels.errors', { count: c.errorCount })}
              </Badge>
            </Tooltip>
          ) : (
            <Text fz="xs" c="dimmed">
              {t('channels.noErrors')}
            </Text>
          )}
          {deadLetters > 0 && (
            <Anchor
              component={Link}
              to={`/dead-letters?channel=${c.id}`}
              fz="xs"
              c="red"
              style={{ whiteSpace: 'nowrap' }}
              data-testid="channel-dead-letters"
            >
              {t('channels.deadLetters', { count: deadLetters })}
            </Anchor>
          )}
        </Stack>
      </Table.Td>
      <Table.Td>
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
            <Menu.Item leftSection={<IconInfoCircle size={16} />} onClick={onOpen} data-testid="channel-details">
              {t('channels.details')}
            </Menu.Item>
            {canManage && (
              <>
                <Menu.Item leftSection={<IconPencil size={16} />} onClick={onEdit} data-testid="channel-edit">
                  {t('channels.edit')}
                </Menu.Item>
                <Menu.Item leftSection={<IconPlugConnected size={16} />} onClick={onReconnect} data-testid="channel-reconnect">
                  {t('channels.reconnect')}
                </Menu.Item>
                <Menu.Divider />
                <Menu.Item leftSection={<IconTrash size={16} />} color="red" onClick={onDelete} data-testid="channel-delete">
                  {t('channels.delete')}
                </Menu.Item>
              </>
            )}
          </Menu.Dropdown>
        </Menu>
      </Table.Td>
    </Table.Tr>
  );
}
