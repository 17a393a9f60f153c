import { Badge, Button, Group, Kbd, Modal, ScrollArea, Select, Stack, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useDebouncedValue, useHotkeys } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ChannelIcon } from '../../components/channel-icon';
import { currentLanguage } from '../../i18n';
import { formatDateTime } from '../../lib/time';
import { useChannels } from '../channels/use-channels';
import { ConversationStatusBadge } from '../inbox/conversation-status-badge';
import { Highlighted } from './highlighted';
import { useSearch, type SearchFilter } from './search.api';
import classes from './search-box.module.css';

const STATUSES = ['bot', 'queued', 'open', 'snoozed', 'resolved'] as const;
const NO_FILTER: SearchFilter = { channelId: null, status: null, assignee: null, from: null, to: null };

/** The top bar's search button; `/` or Ctrl+K (⌘K) opens the search dialog anywhere in the app. */
export function SearchBox() {
  const { t } = useTranslation();
  const [opened, setOpened] = useState(false);
  useHotkeys([
    ['mod+K', () => setOpened(true)],
    ['/', () => setOpened(true)],
  ]);
  return (
    <>
      <Button
        variant="default"
        size="xs"
        leftSection={<IconSearch size={14} />}
        rightSection={
          <Kbd size="xs" visibleFrom="sm">
            /
          </Kbd>
        }
        onClick={() => setOpened(true)}
        data-testid="search-open"
        aria-label={t('search.open')}
        className={classes.trigger}
      >
        <Text span fz="xs" c="dimmed" visibleFrom="sm">
          {t('search.placeholder')}
        </Text>
      </Button>
      {opened && <SearchDialog onClose={() => setOpened(false)} />}
    </>
  );
}

function SearchDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const lang = currentLanguage();
  const channels = useChannels();
  const [q, setQ] = useState('');
  const [filter, setFilter] = useState<SearchFilter>(NO_FILTER);
  const [debounced] = useDebouncedValue(q, 200);
  const result = useSearch(debounced, filter);
  const go = (path: string) => {
    onClose();
    void navigate(path);
  };
  const data = result.data;
  const empty = data && !data.messages.length && !data.contacts.length && !data.conversations.length;
  return (
    <Modal
      opened
      onClose={onClose}
      withCloseButton={false}
      size="xl"
      padding="sm"
      yOffset="8dvh"
      fullScreen={false}
      classNames={{ content: classes.dialog }}
    >
      <Stack gap="xs">
        <TextInput
          autoFocus
          leftSection={<IconSearch size={16} />}
          placeholder={t('search.placeholder')}
          value={q}
          onChange={(e) => setQ(e.currentTarget.value)}
          size="md"
          data-testid="search-input"
          aria-label={t('search.open')}
        />
        <Group gap="xs" wrap="wrap">
          <Select
            size="xs"
            w={150}
            data={[
              { value: '', label: t('search.anyChannel') },
              ...(channels.data?.items ?? []).map((c) => ({ value: c.id, label: c.name })),
            ]}
            value={filter.channelId ?? ''}
            onChange={(v) => setFilter({ ...filter, channelId: v || null })}
            allowDeselect={false}
            comboboxProps={{ withinPortal: false }}
            aria-label={t('search.anyChannel')}
          />
          <Select
            size="xs"
            w={140}
            data={[
              { value: '', label: t('search.anyStatus') },
              ...STATUSES.map((s) => ({ value: s, label: t(`conversation.status.${s}`) })),
            ]}
            value={filter.status ?? ''}
            onChange={(v) => setFilter({ ...filter, status: v || null })}
            allowDeselect={false}
            comboboxProps={{ withinPortal: false }}
            aria-label={t('search.anyStatus')}
            data-testid="search-status"
          />
          <Select
            size="xs"
            w={150}
            data={[
              { value: '', label: t('search.anyone') },
              { value: 'me', label: t('search.me') },
              { value: 'unassigned', label: t('search.unassigned') },
            ]}
            value={filter.assignee ?? ''}
            onChange={(v) => setFilter({ ...filter, assignee: v || null })}
            allowDeselect={false}
            comboboxProps={{ withinPortal: false }}
            aria-label={t('search.anyone')}
          />
          <TextInput
            size="xs"
            type="date"
            w={140}
            aria-label={t('search.from')}
            value={filter.from ?? ''}
            onChange={(e) => setFilter({ ...filter, from: e.currentTarget.value || null })}
          />
          <TextInput
            size="xs"
            type="date"
            w={140}
            aria-label={t('search.to')}
            value={filter.to ?? ''}
            onChange={(e) => setFilter({ ...filter, to: e.currentTarget.value || null })}
          />
        </Group>
        {!q.trim() && (
          <Text fz="xs" c="dimmed">
            {t('search.hint')}
          </Text>
        )}
        {result.isError && (
          <Text c="red" fz="sm">
            {t('search.failed')}
          </Text>
        )}
        {q.trim() && empty && (
          <Text c="dimmed" fz="sm" data-testid="search-nothing">
            {t('search.nothing')}
          </Text>
        )}
        {data && q.trim() && (
          <ScrollArea.Autosize mah="60dvh" type="auto">
            <Stack gap="sm">
              {data.conversations.length > 0 && (
                <Section title={t('search.conversations')}>
                  {data.conversations.map((c) => (
                    <Hit key={c.id} onClick={() => go(`/inbox/${c.id}`)} testId="search-conversation">
                      <Group gap={6} wrap="nowrap">
                        <ChannelIcon type={c.channelType} size={14} />
                        <Text fz="sm" fw={500}>
                          {t('search.conversationNumber', { number: c.number })} · {c.contactName}
                        </Text>
                        <ConversationStatusBadge status={c.status} size="xs" />
                      </Group>
                    </Hit>
                  ))}
                </Section>
              )}
              {data.contacts.length > 0 && (
                <Section title={t('search.contacts')}>
                  {data.contacts.map((c) => (
                    <Hit key={c.id} onClick={() => go(`/contacts/${c.id}`)} testId="search-contact">
                      <Group gap={6} wrap="nowrap">
                        {c.handles.slice(0, 3).map((h) => (
                          <ChannelIcon key={h.id} type={h.channelType} size={14} />
                        ))}
                        <Text fz="sm" fw={500} truncate>
                          {c.name ?? c.handles[0]?.username ?? c.handles[0]?.externalId}
                        </Text>
                        <Text fz="xs" c="dimmed" truncate>
                          {[...c.phones, ...c.emails].join(', ')}
                        </Text>
                      </Group>
                    </Hit>
                  ))}
                </Section>
              )}
              {data.messages.length > 0 && (
                <Section title={t('search.messages')}>
                  {data.messages.map((m) => (
                    <Hit key={m.messageId} onClick={() => go(`/inbox/${m.conversationId}?message=${m.messageId}`)} testId="search-message">
                      <Stack gap={2}>
                        <Group gap={6} wrap="nowrap">
                          <ChannelIcon type={m.channelType} size={14} />
                          <Text fz="xs" fw={500} truncate>
                            {m.contactName ?? m.channelName}
                            {m.conversationNumber ? ` · #${m.conversationNumber}` : ''}
                          </Text>
                          {m.private && (
                            <Badge size="xs" color="yellow" variant="light">
                              {t('search.note')}
                            </Badge>
                          )}
                          <Text fz="xs" c="dimmed" ml="auto" style={{ flexShrink: 0 }}>
                            {formatDateTime(m.createdAt, lang)}
                          </Text>
                        </Group>
                        <Text fz="sm" className={classes.headline}>
                          <Highlighted text={m.headline} />
                        </Text>
                      </Stack>
                    </Hit>
                  ))}
                </Section>
              )}
            </Stack>
          </ScrollArea.Autosize>
        )}
      </Stack>
    </Modal>
  );
}

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <Stack gap={2}>
      <Text fz="xs" tt="uppercase" c="dimmed" fw={600}>
        {title}
      </Text>
      {children}
    </Stack>
  );
}

function Hit({ onClick, testId, children }: { onClick: () => void; testId: string; children: React.ReactNode }) {
  return (
    <UnstyledButton className={classes.hit} onClick={onClick} data-testid={testId}>
      {children}
    </UnstyledButton>
  );
}
