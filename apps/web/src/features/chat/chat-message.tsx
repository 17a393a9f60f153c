import { ActionIcon, Anchor, Badge, Card, Group, Menu, Stack, Text, Textarea, Button } from '@mantine/core';
import { IconDots, IconFile, IconMessageCircle, IconPin, IconUser, IconMessage } from '@tabler/icons-react';
import type { ChatMessage } from '@switchboard/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatBytes } from '../../lib/format';
import { formatClock } from '../../lib/time';
import { notifyError } from '../../lib/notify';
import { UserAvatar } from '../../components/user-avatar';
import { chatApi } from './chat.api';

export const QUICK_REACTIONS = ['👍', '❤️', '😄', '🎉', '👀'];

/** One chat message: author, text with mentions, files, a shared card, reactions, and its actions. */
export function ChatMessageItem({
  m,
  meId,
  canManage,
  onThread,
}: {
  m: ChatMessage;
  meId: string;
  canManage: boolean;
  onThread?: (id: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const [editing, setEditing] = useState<string | null>(null);
  const act = (p: Promise<unknown>) => void p.catch(notifyError);
  const mine = m.authorId === meId;

  if (m.deleted) {
    return (
      <Text size="sm" c="dimmed" fs="italic" px="sm" py={4} data-testid="chat-message" data-deleted="true">
        {t('chat.deleted')}
      </Text>
    );
  }
  return (
    <Group gap="sm" align="flex-start" wrap="nowrap" px="sm" py={4} data-testid="chat-message" data-id={m.id} className="chat-message">
      <UserAvatar name={m.authorName ?? '?'} seed={m.authorId ?? '?'} size={32} />
      <Stack gap={2} style={{ flex: 1, minWidth: 0 }}>
        <Group gap={6} wrap="nowrap">
          <Text size="sm" fw={600} truncate>
            {m.authorName ?? t('chat.someone')}
          </Text>
          <Text size="xs" c="dimmed">
            {formatClock(m.createdAt, i18n.language)}
            {m.editedAt ? ` · ${t('chat.edited')}` : ''}
          </Text>
          {m.pinnedAt && <IconPin size={14} color="var(--mantine-color-orange-6)" aria-label={t('chat.pinned')} />}
        </Group>
        {editing !== null ? (
          <Stack gap={4}>
            <Textarea
              autosize
              minRows={1}
              value={editing}
              onChange={(e) => setEditing(e.currentTarget.value)}
              data-testid="chat-edit-input"
            />
            <Group gap={4}>
              <Button size="compact-xs" onClick={() => act(chatApi.edit(m.id, editing).then(() => setEditing(null)))}>
                {t('chat.save')}
              </Button>
              <Button size="compact-xs" variant="subtle" onClick={() => setEditing(null)}>
                {t('chat.cancel')}
              </Button>
            </Group>
          </Stack>
        ) : (
          m.text && (
            <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }} data-testid="chat-text">
              {m.text}
            </Text>
          )
        )}
        {m.attachments.map((a) => (
          <Anchor key={a.fileId} href={`/api/chat/files/${a.fileId}`} target="_blank" size="sm">
            <Group gap={4} wrap="nowrap">
              <IconFile size={16} />
              <span>{a.fileName}</span>
              <Text span size="xs" c="dimmed">
                {formatBytes(a.size)}
              </Text>
            </Group>
          </Anchor>
        ))}
        {m.card && (
          <Card
            withBorder
            padding="xs"
            maw={420}
            component={Link}
            to={m.card.type === 'conversation' ? `/inbox/${m.card.id}` : `/contacts/${m.card.id}`}
            data-testid="chat-card"
          >
            <Group gap="xs" wrap="nowrap">
              {m.card.type === 'conversation' ? <IconMessage size={18} /> : <IconUser size={18} />}
              <Stack gap={0} style={{ minWidth: 0 }}>
                <Text size="sm" fw={600} truncate>
                  {m.card.title}
                </Text>
                {m.card.subtitle && (
                  <Text size="xs" c="dimmed" truncate>
                    {m.card.subtitle}
                  </Text>
                )}
              </Stack>
            </Group>
          </Card>
        )}
        <Group gap={4}>
          {m.reactions.map((r) => (
            <Badge
              key={r.emoji}
              variant={r.userIds.includes(meId) ? 'filled' : 'light'}
              color="gray"
              style={{ cursor: 'pointer', textTransform: 'none' }}
              onClick={() => act(chatApi.react(m.id, r.emoji, !r.userIds.includes(meId)))}
              data-testid="chat-reaction"
            >
              {r.emoji} {r.count}
            </Badge>
          ))}
          {onThread && m.replyCount > 0 && (
            <Anchor size="xs" onClick={() => onThread(m.id)} data-testid="chat-thread-link">
              {t('chat.replies', { count: m.replyCount })}
            </Anchor>
          )}
        </Group>
      </Stack>
      <Group gap={0} wrap="nowrap">
        {onThread && (
          <ActionIcon
            variant="subtle"
            color="gray"
            size="sm"
            onClick={() => onThread(m.id)}
            aria-label={t('chat.reply')}
            data-testid="chat-reply"
          >
            <IconMessageCircle size={16} />
          </ActionIcon>
        )}
        <Menu position="bottom-end" withinPortal>
          <Menu.Target>
            <ActionIcon variant="subtle" color="gray" size="sm" aria-label={t('chat.actions')} data-testid="chat-actions">
              <IconDots size={16} />
            </ActionIcon>
          </Menu.Target>
          <Menu.Dropdown>
            <Group gap={2} px={6} py={4}>
              {QUICK_REACTIONS.map((e) => (
                <Menu.Item key={e} p={4} w="auto" onClick={() => act(chatApi.react(m.id, e, true))} data-testid={`react-${e}`}>
                  {e}
                </Menu.Item>
              ))}
            </Group>
            <Menu.Item onClick={() => act(chatApi.pin(m.id, !m.pinnedAt))}>{m.pinnedAt ? t('chat.unpin') : t('chat.pin')}</Menu.Item>
            {mine && <Menu.Item onClick={() => setEditing(m.text)}>{t('chat.edit')}</Menu.Item>}
            {(mine || canManage) && (
              <Menu.Item color="red" onClick={() => act(chatApi.remove(m.id))}>
                {t('chat.delete')}
              </Menu.Item>
            )}
          </Menu.Dropdown>
        </Menu>
      </Group>
    </Group>
  );
}
