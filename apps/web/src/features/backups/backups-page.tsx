import { Page } from '../../components/page';
import { ActionIcon, Alert, Badge, Button, Card, Code, Group, SimpleGrid, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { IconAlertTriangle, IconDatabaseExport, IconDownload, IconShieldCheck } from '@tabler/icons-react';
import type { BackupItem, BackupOverview } from '@switchboard/shared';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/page-header';
import { EmptyState, LoadFailed, PageLoader } from '../../components/page-states';
import { currentLanguage } from '../../i18n';
import { formatBytes, formatDuration } from '../../lib/format';
import { notifyError, notifySuccess } from '../../lib/notify';
import { formatDateTime } from '../../lib/time';
import { useMe } from '../auth/use-session';
import { downloadUrl } from './backups.api';
import { useBackups, useStartBackup, useStartDrill } from './use-backups';

const STATUS_COLOR = { succeeded: 'green', failed: 'red', running: 'blue' } as const;

/** The installation's backups: list with drill results, settings, and how to restore. Platform admins only. */
export function BackupsPage() {
  const { t } = useTranslation();
  const me = useMe();
  if (!me.platformAdmin) {
    return (
      <Stack p="lg" data-testid="no-access">
        <Text c="dimmed">{t('backups.onlyOperator')}</Text>
      </Stack>
    );
  }
  return <Backups />;
}

function Backups() {
  const { t } = useTranslation();
  const backups = useBackups();
  const start = useStartBackup();
  const drill = useStartDrill();
  const data = backups.data;
  const hasGood = data?.items.some((b) => b.status === 'succeeded' && !b.prunedAt) ?? false;

  const actions = (
    <Group gap="sm">
      <Button
        variant="default"
        leftSection={<IconShieldCheck size={16} />}
        disabled={!hasGood}
        loading={drill.isPending}
        onClick={() =>
          drill.mutate(undefined, { onSuccess: () => notifySuccess(t('backups.drillQueued')), onError: (e) => notifyError(e) })
        }
        data-testid="backup-drill"
      >
        {t('backups.drillNow')}
      </Button>
      <Button
        leftSection={<IconDatabaseExport size={16} />}
        loading={start.isPending}
        onClick={() => start.mutate(undefined, { onSuccess: () => notifySuccess(t('backups.queued')), onError: (e) => notifyError(e) })}
        data-testid="backup-now"
      >
        {t('backups.backupNow')}
      </Button>
    </Group>
  );

  return (
    <Page>
      <PageHeader title={t('backups.title')} description={t('backups.description')} action={actions} />
      {backups.isPending && <PageLoader />}
      {backups.isError && <LoadFailed title={t('backups.loadFailed')} error={backups.error} />}
      {data && (
        <>
          {data.alerts.map((a) => (
            <Alert
              key={a.id}
              color="red"
              icon={<IconAlertTriangle size={18} />}
              title={t(`backups.alert.${a.kind}`)}
              data-testid="backup-alert"
            >
              {a.message}
            </Alert>
          ))}
          {data.items.length === 0 ? (
            <EmptyState
              testId="backups-empty"
              icon={<IconDatabaseExport size={36} stroke={1.3} color="var(--mantine-color-dimmed)" aria-hidden />}
              title={t('backups.emptyTitle')}
              text={t('backups.emptyText')}
            />
          ) : (
            <BackupTable items={data.items} />
          )}
          <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
            <Settings overview={data} />
            <RestoreHelp keyId={data.settings.keyId} />
          </SimpleGrid>
        </>
      )}
    </Page>
  );
}

function BackupTable({ items }: { items: BackupItem[] }) {
  const { t } = useTranslation();
  const locale = currentLanguage();
  return (
    <Card withBorder padding={0}>
      <Table.ScrollContainer minWidth={820}>
        <Table verticalSpacing="sm" horizontalSpacing="md" data-testid="backup-list">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('backups.columns.started')}</Table.Th>
              <Table.Th>{t('backups.columns.status')}</Table.Th>
              <Table.Th>{t('backups.columns.size')}</Table.Th>
              <Table.Th>{t('backups.columns.duration')}</Table.Th>
              <Table.Th>{t('backups.columns.where')}</Table.Th>
              <Table.Th>{t('backups.columns.drill')}</Table.Th>
              <Table.Th w={48} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((b) => (
              <Table.Tr key={b.id} data-testid="backup-row">
                <Table.Td>
                  <Text fz="sm">{formatDateTime(b.startedAt, locale)}</Text>
                  <Text fz="xs" c="dimmed">
                    {t(`backups.trigger.${b.trigger}`)}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Tooltip label={b.error} disabled={!b.error} multiline maw={420}>
                    <Badge color={STATUS_COLOR[b.status]} variant="light">
                      {t(`backups.status.${b.status}`)}
                    </Badge>
                  </Tooltip>
                </Table.Td>
                <Table.Td>{b.sizeBytes !== null ? formatBytes(b.sizeBytes) : '—'}</Table.Td>
                <Table.Td>{b.durationMs !== null ? formatDuration(b.durationMs, locale) : '—'}</Table.Td>
                <Table.Td>
                  {b.prunedAt ? (
                    <Text fz="sm" c="dimmed">
                      {t('backups.pruned')}
                    </Text>
                  ) : (
                    <Group gap={4}>
                      {b.locations.map((l) => (
                        <Badge key={l} variant="outline" color="gray">
                          {t(`backups.location.${l}`, { defaultValue: l })}
                        </Badge>
                      ))}
                    </Group>
                  )}
                </Table.Td>
                <Table.Td>
                  <DrillCell item={b} />
                </Table.Td>
                <Table.Td>
                  {b.status === 'succeeded' && !b.prunedAt && (
                    <Tooltip label={t('backups.download')}>
                      <ActionIcon
                        component="a"
                        href={downloadUrl(b.id)}
                        download
                        variant="subtle"
                        aria-label={t('backups.download')}
                        data-testid="backup-download"
                      >
                        <IconDownload size={18} />
                      </ActionIcon>
                    </Tooltip>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Card>
  );
}

function DrillCell({ item }: { item: BackupItem }) {
  const { t } = useTranslation();
  const d = item.drill;
  if (!d)
    return (
      <Text fz="sm" c="dimmed">
        {t('backups.drill.none')}
      </Text>
    );
  const detail = d.status === 'succeeded' ? t('backups.drill.passedDetail', { tables: d.tablesCompared ?? 0 }) : (d.error ?? '');
  return (
    <Tooltip label={detail} disabled={!detail} multiline maw={420}>
      <Badge color={STATUS_COLOR[d.status]} variant="dot" data-testid="backup-drill-result">
        {t(`backups.drill.${d.status}`)}
      </Badge>
    </Tooltip>
  );
}

function Settings({ overview }: { overview: BackupOverview }) {
  const { t } = useTranslation();
  const s = overview.settings;
  const row = (label: string, value: string) => (
    <Group justify="space-between" gap="md" wrap="nowrap" align="flex-start">
      <Text fz="sm" c="dimmed">
        {label}
      </Text>
      <Text fz="sm" ta="right" style={{ wordBreak: 'break-all' }}>
        {value}
      </Text>
    </Group>
  );
  return (
    <Card withBorder data-testid="backup-settings">
      <Stack gap="xs">
        <Title order={2} fz="h5">
          {t('backups.settings.title')}
        </Title>
        {row(t('backups.settings.directory'), s.directory ?? t('backups.settings.off'))}
        {row(t('backups.settings.s3'), s.s3 ?? t('backups.settings.off'))}
        {row(t('backups.settings.schedule'), s.schedule ? `${s.schedule} (UTC)` : t('backups.settings.off'))}
        {row(t('backups.settings.drillSchedule'), s.drillSchedule ? `${s.drillSchedule} (UTC)` : t('backups.settings.off'))}
        {row(t('backups.settings.keep'), t('backups.settings.keepValue', s.keep))}
        {row(t('backups.settings.maxAge'), t('backups.settings.hours', { count: s.maxAgeHours }))}
        <Text fz="xs" c="dimmed">
          {t('backups.settings.hint')}
        </Text>
      </Stack>
    </Card>
  );
}

function RestoreHelp({ keyId }: { keyId: string }) {
  const { t } = useTranslation();
  return (
    <Card withBorder data-testid="backup-restore-help">
      <Stack gap="xs">
        <Title order={2} fz="h5">
          {t('backups.restore.title')}
        </Title>
        <Text fz="sm">{t('backups.restore.intro', { keyId })}</Text>
        <Text fz="sm" fw={500}>
          {t('backups.restore.emptyDb')}
        </Text>
        <Code block>switchboard restore switchboard-….sbk --into postgres://user@host/newdb</Code>
        <Text fz="sm" fw={500}>
          {t('backups.restore.replace')}
        </Text>
        <Code block>{'switchboard verify switchboard-….sbk\nswitchboard restore switchboard-….sbk --clean'}</Code>
        <Text fz="xs" c="dimmed">
          {t('backups.restore.s3')}
        </Text>
      </Stack>
    </Card>
  );
}
