import {
  ActionIcon,
  Badge,
  Box,
  Button,
  Drawer,
  Group,
  Modal,
  MultiSelect,
  NavLink,
  ScrollArea,
  SegmentedControl,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue, useMediaQuery } from '@mantine/hooks';
import { IconArrowLeft, IconHash, IconLock, IconPin, IconPlus, IconSearch, IconUser } from '@tabler/icons-react';
import type { ChatChannel } from '@switchboard/shared';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { useHasPermission } from '../auth/permissions';
import { useMe } from '../auth/use-session';
import { notifyError } from '../../lib/notify';
import { HEADER_HEIGHT } from '../../app/app-layout';
import { chatApi, chatKeys } from './chat.api';
import { channelTitle } from './chat-title';
import { ChatComposer } from './chat-composer';
import { ChatMessageItem } from './chat-message';
import { useChannels, useChatMessages, useChatPeople, useChatSearch, usePins, useThread, useTyping } from './use-chat';

/** The team chat: channels and direct messages on the left, the open one on the right, threads in a drawer. */
export function ChatPage() {
  const { t } = useTranslation();
  const { channelId } = useParams();
  const [params, setParams] = useSearchParams();
  const me = useMe();
  const phone = useMediaQuery('(max-width: 48em)');
  const channels = useChannels();
  const [q, setQ] = useState('');
  const [debounced] = useDebouncedValue(q, 300);
  const open = channels.data?.find((c) => c.id === channelId);
  const qc = useQueryClient();
  const refetched = useRef<string | null>(null);
  useEffect(() => {
    // Just created, joined or opened from a link: the list may not have it yet.
    if (channelId && channels.isSuccess && !open && refetched.current !== channelId) {
      refetched.current = channelId;
      void qc.invalidateQueries({ queryKey: chatKeys.channels });
    }
  }, [channelId, channels.isSuccess, open, qc]);
  const thread = params.get('thread');
  const showList = !phone || !channelId;
  const showMain = !phone || Boolean(channelId);

  return (
    <Group h={`calc(100dvh - ${HEADER_HEIGHT}px)`} gap={0} align="stretch" wrap="nowrap" data-testid="chat-page">
      {showList && (
        <Stack w={phone ? '100%' : 280} gap={0} style={{ borderRight: '1px solid var(--mantine-color-default-border)', flexShrink: 0 }}>
          <Group p="sm" justify="space-between" wrap="nowrap">
            <Title order={1} fz="h4">
              {t('chat.title')}
            </Title>
            <Group gap={4}>
              <NewChannelButton />
              <DirectButton />
            </Group>
          </Group>
          <Box px="sm" pb="xs">
            <TextInput
              size="xs"
              leftSection={<IconSearch size={14} />}
              placeholder={t('chat.search')}
              value={q}
              onChange={(e) => setQ(e.currentTarget.value)}
              data-testid="chat-search"
            />
          </Box>
          <ScrollArea style={{ flex: 1 }}>
            <ChannelList channels={channels.data ?? []} active={channelId} meId={me.id} />
          </ScrollArea>
        </Stack>
      )}
      {showMain && (
        <Box style={{ flex: 1, minWidth: 0, display: 'flex', flexDirection: 'column' }}>
          {debounced.trim().length > 1 ? (
            <SearchResults q={debounced} meId={me.id} onClose={() => setQ('')} />
          ) : open ? (
            <ChannelView key={open.id} channel={open} meId={me.id} onThread={(id) => setParams(id ? { thread: id } : {})} />
          ) : (
            <Stack align="center" justify="center" h="100%" p="lg">
              <Text c="dimmed" ta="center">
                {channels.data?.length ? t('chat.pick') : t('chat.emptyAll')}
              </Text>
            </Stack>
          )}
        </Box>
      )}
      {open && <ThreadDrawer channel={open} rootId={thread} meId={me.id} onClose={() => setParams({})} />}
    </Group>
  );
}

function ChannelList({ channels, active, meId }: { channels: ChatChannel[]; active: string | undefined; meId: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const section = (title: string, list: ChatChannel[]) => (
    <>
      <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" pt="sm" pb={4}>
        {title}
      </Text>
      {list.map((c) => (
        <NavLink
          key={c.id}
          active={c.id === active}
          label={
            <Text size="sm" fw={c.unread ? 700 : 400} truncate>
              {channelTitle(c, meId)}
            </Text>
          }
          leftSection={
            c.kind === 'public' ? <IconHash size={16} /> : c.kind === 'private' ? <IconLock size={16} /> : <IconUser size={16} />
          }
          rightSection={
            c.unread > 0 ? (
              <Badge size="sm" color={c.mentions ? 'red' : 'blue'} data-testid="chat-unread">
                {c.unread}
              </Badge>
            ) : null
          }
          onClick={() => void navigate(`/chat/${c.id}`)}
          c={c.joined ? undefined : 'dimmed'}
          data-testid="chat-channel"
          data-name={channelTitle(c, meId)}
        />
      ))}
    </>
  );
  return (
    <Stack gap={0} pb="md">
      {section(
        t('chat.channels'),
        channels.filter((c) => c.kind !== 'direct' && !c.archived),
      )}
      {section(
        t('chat.direct'),
        channels.filter((c) => c.kind === 'direct'),
      )}
    </Stack>
  );
}

function ChannelView({ channel, meId, onThread }: { channel: ChatChannel; meId: string; onThread: (id: string | null) => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const canManage = useHasPermission('chat.manage');
  const messages = useChatMessages(channel.id);
  const [showPins, setShowPins] = useState(false);
  const pins = usePins(channel.id, showPins);
  const typing = useTyping(channel.id);
  const bottom = useRef<HTMLDivElement>(null);
  const items = messages.data?.items ?? [];
  const last = items[items.length - 1];

  useEffect(() => {
    bottom.current?.scrollIntoView({ block: 'end' });
    if (last && channel.joined && last.seq > channel.lastReadSeq) void chatApi.read(channel.id, last.seq).catch(() => undefined);
  }, [last, channel.id, channel.joined, channel.lastReadSeq]);

  const title = channelTitle(channel, meId);
  return (
    <>
      <Group px="sm" py={8} gap="xs" wrap="nowrap" style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}>
        <ActionIcon hiddenFrom="sm" variant="subtle" color="gray" onClick={() => void navigate('/chat')} aria-label={t('chat.back')}>
          <IconArrowLeft size={18} />
        </ActionIcon>
        <Stack gap={0} style={{ flex: 1, minWidth: 0 }}>
          <Text fw={700} truncate data-testid="chat-channel-title">
            {channel.kind === 'direct' ? title : `# ${title}`}
          </Text>
          {channel.topic && (
            <Text size="xs" c="dimmed" truncate>
              {channel.topic}
            </Text>
          )}
        </Stack>
        <ActionIcon variant={showPins ? 'light' : 'subtle'} color="gray" onClick={() => setShowPins((s) => !s)} aria-label={t('chat.pins')}>
          <IconPin size={18} />
        </ActionIcon>
      </Group>
      {showPins && (
        <Box p="xs" style={{ borderBottom: '1px solid var(--mantine-color-default-border)', maxHeight: 200, overflow: 'auto' }}>
          {pins.data?.length === 0 && (
            <Text size="sm" c="dimmed">
              {t('chat.noPins')}
            </Text>
          )}
          {pins.data?.map((m) => (
            <ChatMessageItem key={m.id} m={m} meId={meId} canManage={canManage} />
          ))}
        </Box>
      )}
      <ScrollArea style={{ flex: 1 }} data-testid="chat-messages">
        <Stack gap={0} py="xs">
          {messages.isSuccess && items.length === 0 && (
            <Text c="dimmed" ta="center" py="xl">
              {t('chat.emptyChannel')}
            </Text>
          )}
          {items.map((m) => (
            <ChatMessageItem key={m.id} m={m} meId={meId} canManage={canManage} onThread={onThread} />
          ))}
          <div ref={bottom} />
        </Stack>
      </ScrollArea>
      <Text size="xs" c="dimmed" px="sm" h={18} data-testid="chat-typing">
        {typing.length ? t('chat.typing', { names: typing.join(', '), count: typing.length }) : ''}
      </Text>
      {channel.archived ? (
        <Text p="sm" c="dimmed" ta="center">
          {t('chat.archived')}
        </Text>
      ) : !channel.joined ? (
        <Group p="sm" justify="center">
          <Button
            onClick={() => void chatApi.join(channel.id).then(() => qc.invalidateQueries({ queryKey: chatKeys.channels }), notifyError)}
            data-testid="chat-join"
          >
            {t('chat.join')}
          </Button>
        </Group>
      ) : (
        <ChatComposer
          channelId={channel.id}
          placeholder={channel.kind === 'direct' ? t('chat.writeTo', { name: title }) : t('chat.writeIn', { name: title })}
        />
      )}
    </>
  );
}

function ThreadDrawer({
  channel,
  rootId,
  meId,
  onClose,
}: {
  channel: ChatChannel;
  rootId: string | null;
  meId: string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const canManage = useHasPermission('chat.manage');
  const thread = useThread(rootId);
  const typing = useTyping(rootId ?? '');
  return (
    <Drawer opened={Boolean(rootId)} onClose={onClose} position="right" size="md" title={t('chat.thread')} data-testid="chat-thread">
      {thread.data && (
        <Stack gap={0}>
          <ChatMessageItem m={thread.data.root} meId={meId} canManage={canManage} />
          <Text size="xs" c="dimmed" px="sm" py={4}>
            {t('chat.replies', { count: thread.data.replies.length })}
          </Text>
          {thread.data.replies.map((m) => (
            <ChatMessageItem key={m.id} m={m} meId={meId} canManage={canManage} />
          ))}
          <Text size="xs" c="dimmed" px="sm" h={18}>
            {typing.length ? t('chat.typing', { names: typing.join(', '), count: typing.length }) : ''}
          </Text>
          {channel.joined && !channel.archived && rootId && (
            <ChatComposer channelId={channel.id} threadRootId={rootId} placeholder={t('chat.replyPlaceholder')} />
          )}
        </Stack>
      )}
    </Drawer>
  );
}

function SearchResults({ q, meId, onClose }: { q: string; meId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const found = useChatSearch(q);
  return (
    <ScrollArea style={{ flex: 1 }}>
      <Group p="sm" justify="space-between">
        <Text fw={600}>{t('chat.searchResults', { q })}</Text>
        <Button size="compact-sm" variant="subtle" onClick={onClose}>
          {t('chat.cancel')}
        </Button>
      </Group>
      {found.data?.length === 0 && (
        <Text c="dimmed" px="sm">
          {t('chat.nothingFound')}
        </Text>
      )}
      {found.data?.map((m) => (
        <Box
          key={m.id}
          style={{ cursor: 'pointer' }}
          onClick={() => {
            onClose();
            void navigate(`/chat/${m.channelId}${m.threadRootId ? `?thread=${m.threadRootId}` : ''}`);
          }}
          data-testid="chat-search-hit"
        >
          <ChatMessageItem m={m} meId={meId} canManage={false} />
        </Box>
      ))}
    </ScrollArea>
  );
}

function NewChannelButton() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const people = useChatPeople().data ?? [];
  const [opened, setOpened] = useState(false);
  const [name, setName] = useState('');
  const [kind, setKind] = useState<'public' | 'private'>('public');
  const [members, setMembers] = useState<string[]>([]);
  const create = async () => {
    try {
      const c = await chatApi.create({ kind, name: name.trim(), memberIds: members });
      setOpened(false);
      setName('');
      setMembers([]);
      void navigate(`/chat/${c.id}`);
    } catch (err) {
      notifyError(err);
    }
  };
  return (
    <>
      <ActionIcon variant="light" onClick={() => setOpened(true)} aria-label={t('chat.newChannel')} data-testid="chat-new-channel">
        <IconPlus size={16} />
      </ActionIcon>
      <Modal opened={opened} onClose={() => setOpened(false)} title={t('chat.newChannel')}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void create();
          }}
        >
          <Stack>
            <SegmentedControl
              value={kind}
              onChange={(v) => setKind(v as 'public' | 'private')}
              data={[
                { value: 'public', label: t('chat.public') },
                { value: 'private', label: t('chat.private') },
              ]}
            />
            <TextInput
              label={t('chat.channelName')}
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              required
              data-testid="chat-channel-name"
            />
            <MultiSelect
              label={t('chat.members')}
              data={people.map((p) => ({ value: p.id, label: p.name }))}
              value={members}
              onChange={setMembers}
              searchable
            />
            <Button type="submit" disabled={!name.trim()} data-testid="chat-channel-create">
              {t('chat.create')}
            </Button>
          </Stack>
        </form>
      </Modal>
    </>
  );
}

function DirectButton() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const me = useMe();
  const people = (useChatPeople().data ?? []).filter((p) => p.id !== me.id);
  const [opened, setOpened] = useState(false);
  const [who, setWho] = useState<string[]>([]);
  const start = async () => {
    try {
      const c = await chatApi.direct(who);
      setOpened(false);
      setWho([]);
      void navigate(`/chat/${c.id}`);
    } catch (err) {
      notifyError(err);
    }
  };
  return (
    <>
      <ActionIcon variant="light" onClick={() => setOpened(true)} aria-label={t('chat.newDirect')} data-testid="chat-new-direct">
        <IconUser size={16} />
      </ActionIcon>
      <Modal opened={opened} onClose={() => setOpened(false)} title={t('chat.newDirect')}>
        <Stack>
          <MultiSelect
            label={t('chat.withWhom')}
            data={people.map((p) => ({ value: p.id, label: p.name }))}
            value={who}
            onChange={setWho}
            searchable
            maxValues={8}
            data-testid="chat-direct-people"
          />
          <Button disabled={who.length === 0} onClick={() => void start()} data-testid="chat-direct-start">
            {t('chat.startDirect')}
          </Button>
        </Stack>
      </Modal>
    </>
  );
}
