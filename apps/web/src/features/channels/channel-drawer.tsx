import { Alert, Anchor, Badge, Button, Divider, Drawer, Group, Loader, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconPencil, IconPlugConnected } from '@tabler/icons-react';
import type { Channel, ChannelAlert } from '@switchboard/shared';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ChannelIcon } from '../../components/channel-icon';
import { currentLanguage } from '../../i18n';
import { formatAgo, formatDateTime } from '../../lib/time';
import { AlertKindBadge } from '../alerts/alert-kind-badge';
import { useAlerts } from '../alerts/use-alerts';
import { channelSettings } from './channels.api';
import { ChannelFacts } from './channel-facts';
import { fieldsOf } from './channel-fields';
import { initialValues, isVisible } from './channel-form-values';
import { ChannelStatusBadge } from './channel-status-badge';
import { useChannelHealth } from './use-channels';

interface Props {
  channel: Channel | null;
  now: number;
  canManage: boolean;
  reconnecting: boolean;
  onClose: () => void;
  onEdit: (c: Channel) => void;
  onReconnect: (c: Channel) => void;
}

/** One channel's connection facts and health: open alerts and their history, errors, dead letters, activity. */
export function ChannelDrawer({ channel, onClose, ...rest }: Props) {
  const { t } = useTranslation();
  return (
    <Drawer
      opened={channel !== null}
      onClose={onClose}
      position="right"
      size="lg"
      title={
        channel && (
          <Group gap="sm" wrap="nowrap">
            <ChannelIcon type={channel.type} size={24} />
            <Stack gap={0}>
              <Title order={2} fz="h4">
                {channel.name}
              </Title>
              <Text fz="xs" c="dimmed">
                {t(`channels.types.${channel.type}.name`)}
              </Text>
            </Stack>
          </Group>
        )
      }
    >
      {channel && <DrawerBody channel={channel} {...rest} />}
    </Drawer>
  );
}

function Section({ title, children, testId }: { title: string; children: ReactNode; testId?: string }) {
  return (
    <Stack gap="xs" data-testid={testId}>
      <Divider label={title} labelPosition="left" styles={{ label: { fontSize: 'var(--mantine-font-size-sm)', fontWeight: 600 } }} />
      {children}
    </Stack>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Stack gap={0}>
      <Text fz="xs" c="dimmed">
        {label}
      </Text>
      <Text fz="sm" component="div">
        {children}
      </Text>
    </Stack>
  );
}

function DrawerBody({
  channel: c,
  now,
  canManage,
  reconnecting,
  onEdit,
  onReconnect,
}: Omit<Props, 'channel' | 'onClose'> & { channel: Channel }) {
  const { t } = useTranslation();
  const locale = currentLanguage();
  const health = useChannelHealth(c.id);
  const history = useAlerts('all', c.id, 20);
  const s = channelSettings(c);
  const ago = (iso: string | null) => (iso ? formatAgo(iso, Math.max(now, Date.parse(iso)), locale) : t('channels.never'));
  const deadLetters = health.data?.deadLetters ?? 0;
  const openAlerts = health.data?.openAlerts ?? [];
  // The type's plain settings as the edit form would show them (secrets are never returned).
  const fields = fieldsOf(c.type);
  const values = initialValues(fields, c);
  const settings = fields.filter(
    (f) => isVisible(f, values) && (f.kind === 'text' || f.kind === 'select' || f.kind === 'number') && values[f.key] !== '',
  );

  return (
    <Stack gap="lg" data-testid="channel-drawer" data-channel-id={c.id}>
      <Group justify="space-between" wrap="wrap">
        <ChannelStatusBadge channel={c} />
        {canManage && (
          <Group gap="xs">
            <Button size="xs" variant="default" leftSection={<IconPencil size={14} />} onClick={() => onEdit(c)}>
              {t('channels.edit')}
            </Button>
            <Button
              size="xs"
              variant="default"
              leftSection={<IconPlugConnected size={14} />}
              loading={reconnecting}
              onClick={() => onReconnect(c)}
              data-testid="drawer-reconnect"
            >
              {t('channels.reconnect')}
            </Button>
          </Group>
        )}
      </Group>
      {c.statusReason && (
        <Alert color={c.status === 'connected' ? 'gray' : 'orange'} variant="light" icon={<IconAlertTriangle size={18} />}>
          {c.statusReason}
        </Alert>
      )}

      <Section title={t('channels.drawer.connection')}>
        <ChannelFacts
          channel={c}
          empty={
            <Text fz="sm" c="dimmed">
              {t('channels.drawer.noFacts')}
            </Text>
          }
        />
      </Section>

      <Section title={t('channels.drawer.health')} testId="channel-health">
        {health.isPending && <Loader size="sm" />}
        {openAlerts.length === 0 && health.isSuccess && (
          <Text fz="sm" c="green" data-testid="channel-no-alerts">
            {t('channels.drawer.noOpenAlerts')}
          </Text>
        )}
        {openAlerts.map((a) => (
          <AlertLine key={a.id} alert={a} now={now} />
        ))}
        <SimpleGrid cols={2} spacing="sm">
          <Fact label={t('channels.drawer.errors')}>
            {c.errorCount > 0 ? (
              <Text span c="red" fz="sm">
                {t('channels.errors', { count: c.errorCount })}
              </Text>
            ) : (
              t('channels.noErrors')
            )}
          </Fact>
          <Fact label={t('channels.drawer.deadLetters')}>
            {deadLetters > 0 ? (
              <Anchor component={Link} to={`/dead-letters?channel=${c.id}`} fz="sm" c="red">
                {t('channels.deadLetters', { count: deadLetters })}
              </Anchor>
            ) : (
              t('channels.drawer.noDeadLetters')
            )}
          </Fact>
        </SimpleGrid>
        {/* The status reason above often says the same: show the last error only when it adds something. */}
        {c.lastError && c.lastError !== c.statusReason && (
          <Alert
            color="red"
            variant="light"
            title={c.lastErrorAt ? t('channels.drawer.lastError', { when: ago(c.lastErrorAt) }) : undefined}
          >
            <Text fz="sm" style={{ wordBreak: 'break-word' }}>
              {c.lastError}
            </Text>
          </Alert>
        )}
      </Section>

      <Section title={t('channels.drawer.activity')}>
        <SimpleGrid cols={2} spacing="sm">
          <Fact label={t('channels.drawer.lastInbound')}>{ago(c.lastInboundAt)}</Fact>
          <Fact label={t('channels.drawer.lastOutbound')}>{ago(c.lastOutboundAt)}</Fact>
          {(s.mode === 'polling' || c.lastPolledAt) && <Fact label={t('channels.drawer.lastPolled')}>{ago(c.lastPolledAt)}</Fact>}
          <Fact label={t('channels.drawer.created')}>{formatDateTime(c.createdAt, locale)}</Fact>
        </SimpleGrid>
      </Section>

      <Section title={t('channels.drawer.settings')}>
        <SimpleGrid cols={2} spacing="sm">
          {s.mode && <Fact label={t('channels.fields.mode.label')}>{t(`channels.mode.${s.mode}`)}</Fact>}
          <Fact label={t('channels.fields.assistant.label')}>
            {s.assistantEnabled ? t('channels.drawer.on') : t('channels.drawer.off')}
          </Fact>
          <Fact label={t('channels.fields.silenceAlertMinutes.label')}>
            {s.silenceAlertMinutes ? t('channels.drawer.minutes', { count: s.silenceAlertMinutes }) : t('channels.drawer.off')}
          </Fact>
          {settings
            .filter((f) => f.key !== 'silenceAlertMinutes' && f.key !== 'mode')
            .map((f) => {
              const v = values[f.key];
              const option = f.options?.find((o) => o.value === v);
              return (
                <Fact key={f.key} label={t(f.label)}>
                  <Text fz="sm" truncate title={String(v)}>
                    {option ? t(option.label) : String(v)}
                  </Text>
                </Fact>
              );
            })}
        </SimpleGrid>
      </Section>

      <Section title={t('channels.drawer.alertHistory')} testId="channel-alert-history">
        {history.isPending && <Loader size="sm" />}
        {history.data?.items.length === 0 && (
          <Text fz="sm" c="dimmed">
            {t('channels.drawer.noAlertHistory')}
          </Text>
        )}
        {history.data?.items.map((a) => (
          <AlertLine key={a.id} alert={a} now={now} history />
        ))}
      </Section>
    </Stack>
  );
}

function AlertLine({ alert: a, now, history = false }: { alert: ChannelAlert; now: number; history?: boolean }) {
  const { t } = useTranslation();
  const locale = currentLanguage();
  const resolved = a.resolvedAt !== null;
  return (
    <Group gap="sm" wrap="nowrap" align="flex-start" data-testid={history ? 'alert-history-item' : 'channel-open-alert'} data-kind={a.kind}>
      <AlertKindBadge kind={a.kind} resolved={resolved} />
      <Stack gap={0} style={{ flex: 1, minWidth: 0 }}>
        <Text fz="sm" c={resolved ? 'dimmed' : undefined}>
          {a.message}
        </Text>
        <Text fz="xs" c="dimmed">
          {t('alerts.opened', { when: formatAgo(a.openedAt, Math.max(now, Date.parse(a.openedAt)), locale) })}
          {a.resolvedAt && ` · ${t('alerts.resolved', { when: formatAgo(a.resolvedAt, Math.max(now, Date.parse(a.resolvedAt)), locale) })}`}
        </Text>
      </Stack>
      {!resolved && history && (
        <Badge size="xs" color="orange" variant="dot">
          {t('alerts.open')}
        </Badge>
      )}
    </Group>
  );
}
