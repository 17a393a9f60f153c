import { Page } from '../../components/page';
import { Anchor, Button, Card, Code, Group, Select, SimpleGrid, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconDownload, IconListDetails } from '@tabler/icons-react';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { AuditLogEntry } from '@switchboard/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { PageHeader } from '../../components/page-header';
import { EmptyState, LoadFailed, PageLoader } from '../../components/page-states';
import { currentLanguage } from '../../i18n';
import { formatDateTime } from '../../lib/time';
import { useHasPermission } from '../auth/permissions';
import { auditExportUrl, auditKeys, listAudit, type AuditFilter } from './audit.api';

const EMPTY: AuditFilter = {};

/** Who did what: the account's audit log, filtered by person, action, object and date, with a CSV export. */
export function AuditPage() {
  const { t } = useTranslation();
  const locale = currentLanguage();
  const [filter, setFilter] = useState<AuditFilter>(EMPTY);
  const [debounced] = useDebouncedValue(filter, 300);
  const set = (k: keyof AuditFilter) => (v: string | null) => setFilter((f) => ({ ...f, [k]: v ?? '' }));
  const canReadPeople = useHasPermission('user.read');
  const people = useQuery({
    queryKey: ['users'],
    queryFn: ({ signal }) => api.get<{ items: { id: string; name: string; email: string }[] }>('/api/users', { signal }),
    enabled: canReadPeople,
  });
  const log = useInfiniteQuery({
    queryKey: auditKeys.list(debounced),
    queryFn: ({ pageParam, signal }) => listAudit(debounced, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  const entries = log.data?.pages.flatMap((p) => p.items) ?? [];

  const exportButton = (
    <Button
      component="a"
      href={auditExportUrl(debounced)}
      download
      variant="default"
      leftSection={<IconDownload size={16} />}
      data-testid="audit-export"
    >
      {t('audit.export')}
    </Button>
  );

  return (
    <Page>
      <PageHeader title={t('audit.title')} description={t('audit.description')} action={exportButton} />
      <Card withBorder>
        <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }} spacing="sm" data-testid="audit-filters">
          <Select
            label={t('audit.person')}
            placeholder={t('audit.anyone')}
            clearable
            searchable
            data={(people.data?.items ?? []).map((u) => ({ value: u.id, label: `${u.name} · ${u.email}` }))}
            value={filter.actorUserId || null}
            onChange={set('actorUserId')}
            data-testid="audit-person"
          />
          <TextInput
            label={t('audit.action')}
            description={t('audit.actionHint')}
            placeholder="role.created"
            value={filter.action ?? ''}
            onChange={(e) => set('action')(e.currentTarget.value)}
            data-testid="audit-action"
          />
          <Group grow gap="xs" align="flex-end">
            <TextInput
              label={t('audit.objectType')}
              placeholder="role"
              value={filter.targetType ?? ''}
              onChange={(e) => set('targetType')(e.currentTarget.value)}
            />
            <TextInput label={t('audit.objectId')} value={filter.targetId ?? ''} onChange={(e) => set('targetId')(e.currentTarget.value)} />
          </Group>
          <Group grow gap="xs">
            <TextInput
              type="date"
              label={t('audit.from')}
              value={filter.from ?? ''}
              onChange={(e) => set('from')(e.currentTarget.value)}
              data-testid="audit-from"
            />
            <TextInput type="date" label={t('audit.to')} value={filter.to ?? ''} onChange={(e) => set('to')(e.currentTarget.value)} />
          </Group>
          <Group align="flex-end">
            <Button variant="subtle" onClick={() => setFilter(EMPTY)} disabled={Object.values(filter).every((v) => !v)}>
              {t('audit.reset')}
            </Button>
          </Group>
        </SimpleGrid>
      </Card>
      {log.isPending && <PageLoader />}
      {log.isError && <LoadFailed title={t('audit.loadFailed')} error={log.error} />}
      {log.isSuccess && entries.length === 0 && (
        <EmptyState
          testId="audit-empty"
          icon={<IconListDetails size={36} stroke={1.3} color="var(--mantine-color-dimmed)" aria-hidden />}
          title={t('audit.emptyTitle')}
          text={t('audit.emptyText')}
        />
      )}
      {entries.length > 0 && (
        <Card withBorder padding={0}>
          <Table.ScrollContainer minWidth={760}>
            <Table verticalSpacing="xs" horizontalSpacing="md" data-testid="audit-list">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('audit.columns.when')}</Table.Th>
                  <Table.Th>{t('audit.columns.who')}</Table.Th>
                  <Table.Th>{t('audit.columns.action')}</Table.Th>
                  <Table.Th>{t('audit.columns.object')}</Table.Th>
                  <Table.Th>{t('audit.columns.details')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {entries.map((e) => (
                  <AuditRow key={e.id} entry={e} locale={locale} onPerson={(id) => set('actorUserId')(id)} />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Card>
      )}
      {log.hasNextPage && (
        <Group justify="center">
          <Button variant="default" onClick={() => void log.fetchNextPage()} loading={log.isFetchingNextPage} data-testid="audit-more">
            {t('audit.loadMore')}
          </Button>
        </Group>
      )}
    </Page>
  );
}

function AuditRow({ entry: e, locale, onPerson }: { entry: AuditLogEntry; locale: string; onPerson: (id: string) => void }) {
  const { t } = useTranslation();
  const details = e.details && typeof e.details === 'object' && Object.keys(e.details).length > 0 ? JSON.stringify(e.details) : '';
  return (
    <Table.Tr data-testid="audit-row">
      <Table.Td fz="sm" style={{ whiteSpace: 'nowrap' }}>
        {formatDateTime(e.createdAt, locale)}
        {e.ip && (
          <Text fz="xs" c="dimmed">
            {e.ip}
          </Text>
        )}
      </Table.Td>
      <Table.Td fz="sm">
        {e.actorUserId ? (
          <Anchor component="button" fz="sm" onClick={() => onPerson(e.actorUserId!)}>
            {e.actorName ?? e.actorEmail ?? e.actorUserId}
          </Anchor>
        ) : (
          <Text fz="sm" c="dimmed">
            {t('audit.system')}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Code>{e.action}</Code>
      </Table.Td>
      <Table.Td fz="xs" c="dimmed" ff="monospace">
        {e.targetType ? `${e.targetType}${e.targetId ? ` ${e.targetId.slice(0, 8)}` : ''}` : ''}
      </Table.Td>
      <Table.Td fz="xs" c="dimmed" ff="monospace" maw={320} style={{ overflowWrap: 'anywhere' }}>
        {details.length > 200 ? `${details.slice(0, 200)}…` : details}
      </Table.Td>
    </Table.Tr>
  );
}
