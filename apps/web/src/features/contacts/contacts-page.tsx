import { Anchor, Badge, Button, Group, SegmentedControl, Select, Stack, Table, Tabs, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconDownload, IconSearch, IconUpload, IconUsersGroup } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { PageHeader } from '../../components/page-header';
import { EmptyState, LoadFailed, PageLoader } from '../../components/page-states';
import { currentLanguage } from '../../i18n';
import { formatAgo, useNow } from '../../lib/time';
import { useHasPermission } from '../auth/permissions';
import { useChannels } from '../channels/use-channels';
import { BlockedBadge, contactTitle, HandleList } from './contact-bits';
import { ContactFieldsModal } from './contact-fields-modal';
import { DuplicateList } from './duplicate-list';
import { ImportModal } from './import-modal';
import { useContacts, type ContactFilter } from './contacts.api';

/** The contacts list: search, filters, sort and pages; duplicates, fields, import and export for managers. */
export function ContactsPage() {
  const { t } = useTranslation();
  const canManage = useHasPermission('contact.manage');
  const [tab, setTab] = useState<string | null>('all');
  const [importing, setImporting] = useState(false);
  const [editingFields, setEditingFields] = useState(false);
  return (
    <Stack p={{ base: 'sm', sm: 'lg' }} gap="md" maw={1200}>
      <PageHeader
        title={t('contacts.title')}
        description={t('contacts.description')}
        action={
          canManage && (
            <Group gap="xs">
              <Button variant="default" size="xs" onClick={() => setEditingFields(true)} data-testid="contact-fields">
                {t('contacts.fields')}
              </Button>
              <Button
                variant="default"
                size="xs"
                leftSection={<IconUpload size={14} />}
                onClick={() => setImporting(true)}
                data-testid="contacts-import"
              >
                {t('contacts.import')}
              </Button>
              <Button component="a" href="/api/contacts/export" variant="default" size="xs" leftSection={<IconDownload size={14} />}>
                {t('contacts.export')}
              </Button>
            </Group>
          )
        }
      />
      <Tabs value={tab} onChange={setTab}>
        <Tabs.List>
          <Tabs.Tab value="all">{t('contacts.title')}</Tabs.Tab>
          <Tabs.Tab value="duplicates" data-testid="tab-duplicates">
            {t('contacts.duplicates')}
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="all" pt="md">
          <ContactList />
        </Tabs.Panel>
        <Tabs.Panel value="duplicates" pt="md">
          {tab === 'duplicates' && <DuplicateList contactId={null} />}
        </Tabs.Panel>
      </Tabs>
      <ImportModal opened={importing} onClose={() => setImporting(false)} />
      <ContactFieldsModal opened={editingFields} onClose={() => setEditingFields(false)} />
    </Stack>
  );
}

function ContactList() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const now = useNow();
  const channels = useChannels();
  const [q, setQ] = useState('');
  const [debounced] = useDebouncedValue(q, 250);
  const [filter, setFilter] = useState<Omit<ContactFilter, 'q'>>({ channelId: null, blocked: null, sort: 'last_seen' });
  const list = useContacts({ ...filter, q: debounced });
  const filtered = Boolean(debounced || filter.channelId || filter.blocked);

  return (
    <Stack gap="sm">
      <Group gap="xs" wrap="wrap">
        <TextInput
          leftSection={<IconSearch size={16} />}
          placeholder={t('contacts.searchPlaceholder')}
          value={q}
          onChange={(e) => setQ(e.currentTarget.value)}
          w={{ base: '100%', sm: 280 }}
          aria-label={t('contacts.searchPlaceholder')}
          data-testid="contacts-search"
        />
        <Select
          data={[
            { value: '', label: t('contacts.allChannels') },
            ...(channels.data?.items ?? []).map((c) => ({ value: c.id, label: c.name })),
          ]}
          value={filter.channelId ?? ''}
          onChange={(v) => setFilter({ ...filter, channelId: v || null })}
          w={{ base: '48%', sm: 180 }}
          allowDeselect={false}
          aria-label={t('contacts.allChannels')}
        />
        <Select
          data={(['last_seen', 'created', 'name'] as const).map((s) => ({ value: s, label: t(`contacts.sort.${s}`) }))}
          value={filter.sort}
          onChange={(v) => v && setFilter({ ...filter, sort: v as ContactFilter['sort'] })}
          w={{ base: '48%', sm: 200 }}
          allowDeselect={false}
          aria-label={t('contacts.sort.label')}
        />
        <SegmentedControl
          size="xs"
          value={filter.blocked ?? 'all'}
          onChange={(v) => setFilter({ ...filter, blocked: v === 'all' ? null : (v as 'true' | 'false') })}
          data={[
            { value: 'all', label: t('contacts.show.all') },
            { value: 'false', label: t('contacts.show.active') },
            { value: 'true', label: t('contacts.show.blocked') },
          ]}
        />
      </Group>
      {list.isPending && <PageLoader />}
      {list.isError && <LoadFailed title={t('contacts.loadFailed')} error={list.error} />}
      {list.isSuccess && list.items.length === 0 && (
        <EmptyState
          testId="contacts-empty"
          icon={<IconUsersGroup size={40} stroke={1.2} />}
          title={filtered ? t('contacts.nothingFound') : t('contacts.empty')}
          text={filtered ? '' : t('contacts.emptyText')}
        />
      )}
      {list.items.length > 0 && (
        <Table.ScrollContainer minWidth={0}>
          <Table highlightOnHover verticalSpacing="xs" data-testid="contacts-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('contacts.columns.name')}</Table.Th>
                <Table.Th visibleFrom="sm">{t('contacts.columns.phones')}</Table.Th>
                <Table.Th>{t('contacts.columns.handles')}</Table.Th>
                <Table.Th visibleFrom="sm">{t('contacts.columns.lastSeen')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.items.map((c) => (
                <Table.Tr
                  key={c.id}
                  style={{ cursor: 'pointer' }}
                  onClick={() => void navigate(`/contacts/${c.id}`)}
                  data-testid="contact-row"
                >
                  <Table.Td>
                    <Group gap={6} wrap="nowrap">
                      <Anchor component={Link} to={`/contacts/${c.id}`} fz="sm" fw={500} onClick={(e) => e.stopPropagation()}>
                        {contactTitle(c, t('contacts.noName'))}
                      </Anchor>
                      {c.blocked && <BlockedBadge />}
                      {c.tags.map((tag) => (
                        <Badge key={tag.id} size="xs" variant="light" color={tag.color ?? 'gray'}>
                          {tag.name}
                        </Badge>
                      ))}
                    </Group>
                  </Table.Td>
                  <Table.Td visibleFrom="sm">
                    <Text fz="xs" c="dimmed">
                      {[...c.phones, ...c.emails].join(', ')}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <HandleList handles={c.handles} compact />
                  </Table.Td>
                  <Table.Td visibleFrom="sm">
                    <Text fz="xs" c="dimmed">
                      {c.lastSeenAt ? formatAgo(c.lastSeenAt, now, currentLanguage()) : t('contacts.never')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {list.hasNextPage && (
        <Group justify="center">
          <Button variant="subtle" size="xs" loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
            {t('contacts.loadMore')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}
