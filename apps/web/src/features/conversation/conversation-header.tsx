import { ActionIcon, Anchor, Badge, Button, Group, Text, Tooltip } from '@mantine/core';
import { IconArrowLeft, IconCheck, IconHandStop, IconMail, IconRefresh, IconTag, IconUserCheck, IconWorld } from '@tabler/icons-react';
import type { Conversation, ConversationContext } from '@switchboard/shared';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { ChannelIcon } from '../../components/channel-icon';
import { UserAvatar } from '../../components/user-avatar';
import { useMe } from '../auth/use-session';
import { contactHandle, contactName } from '../inbox/contact-name';
import { ConversationStatusBadge } from '../inbox/conversation-status-badge';
import { useUpdateConversation } from '../inbox/use-conversations';
import { ConversationCategory } from './conversation-category';
import { useHasPermission } from '../auth/permissions';
import { ConversationMenu } from './conversation-menu';
import { useTeammates } from './use-messages';
import { ConversationTagsButton } from '../teamwork/conversation-tags';
import { SnoozeMenu, SnoozedLine } from '../teamwork/snooze-menu';
import { TagBadges } from '../teamwork/tag-badges';
import { TeamPicker } from '../teamwork/team-picker';

export function ConversationHeader({ conversation: c }: { conversation: Conversation }) {
  const { t } = useTranslation();
  const me = useMe();
  const canAssign = useHasPermission('conversation.assign');
  const teammates = useTeammates();
  const update = useUpdateConversation(c.id);
  const { search } = useLocation();
  const name = contactName(c.contact);
  const assignee = c.assigneeId
    ? c.assigneeId === me.id
      ? t('conversation.assigneeMe')
      : (teammates.get(c.assigneeId)?.name ?? t('conversation.someone'))
    : null;
  const pending = update.isPending ? update.variables : undefined;

  return (
    <Group
      justify="space-between"
      wrap="wrap"
      px="md"
      py={8}
      gap="xs"
      style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}
      data-testid="conversation-header"
    >
      <Group gap="sm" wrap="nowrap" miw={0} style={{ flex: '1 1 260px' }}>
        <ActionIcon
          component={Link}
          to={{ pathname: '/inbox', search }}
          variant="subtle"
          color="gray"
          hiddenFrom="sm"
          aria-label={t('conversation.back')}
        >
          <IconArrowLeft size={18} />
        </ActionIcon>
        <UserAvatar name={name} seed={c.contact.id} size={36} />
        <div style={{ minWidth: 0 }}>
          <Group gap={6} wrap="wrap" style={{ rowGap: 2 }}>
            <Text fw={600} truncate maw="100%" data-testid="conversation-contact">
              {name}
            </Text>
            <ConversationStatusBadge status={c.status} long />
            <ConversationCategory
              conversation={c}
              pending={pending?.category !== undefined}
              onChange={(category) => update.mutate({ category })}
            />
          </Group>
          <Group gap={6} wrap="nowrap" c="dimmed" fz="xs">
            <ChannelIcon type={c.channelType} size={13} />
            <Text fz="xs" c="dimmed" truncate>
              {[c.contact.username && c.contact.name ? contactHandle(c.contact.username) : null, c.channelName].filter(Boolean).join(' · ')}
            </Text>
            <Text fz="xs" c="dimmed" truncate data-testid="conversation-assignee">
              · {assignee ? t('conversation.assignedTo', { name: assignee }) : t('conversation.unassigned')}
            </Text>
          </Group>
          {c.context && <ContextLine context={c.context} />}
          <TagBadges tagIds={c.tagIds} />
          {c.status === 'snoozed' && c.snoozedUntil && (
            <SnoozedLine
              until={c.snoozedUntil}
              onWake={canAssign ? () => update.mutate({ status: c.assigneeId ? 'open' : 'queued' }) : undefined}
            />
          )}
        </div>
      </Group>
      {canAssign && (
        <Group gap={6} wrap="wrap" ml="auto" justify="flex-end">
          <TeamPicker conversation={c} />
          <ConversationTagsButton conversation={c} />
          {c.status === 'bot' && (
            <Tooltip label={t('conversation.takeOverHint')} multiline maw={280}>
              <Button
                size="xs"
                color="violet"
                leftSection={<IconHandStop size={16} />}
                loading={pending?.status === 'open' && pending.assigneeId === me.id}
                onClick={() => update.mutate({ assigneeId: me.id, status: 'open' })}
                data-testid="take-over"
              >
                {t('conversation.takeOver')}
              </Button>
            </Tooltip>
          )}
          {c.status !== 'bot' && c.assigneeId !== me.id && (
            <Tooltip label={t('conversation.assignMeHint')}>
              <Button
                size="xs"
                variant="default"
                leftSection={<IconUserCheck size={16} />}
                loading={pending?.assigneeId === me.id}
                onClick={() => update.mutate({ assigneeId: me.id })}
                data-testid="assign-me"
              >
                {t('conversation.assignMe')}
              </Button>
            </Tooltip>
          )}
          {c.status === 'resolved' ? (
            <Button
              size="xs"
              variant="default"
              leftSection={<IconRefresh size={16} />}
              loading={pending?.status === 'open'}
              onClick={() => update.mutate({ status: 'open' })}
              data-testid="reopen"
            >
              {t('conversation.reopen')}
            </Button>
          ) : (
            <Button
              size="xs"
              color="green"
              leftSection={<IconCheck size={16} />}
              loading={pending?.status === 'resolved'}
              onClick={() => update.mutate({ status: 'resolved' })}
              data-testid="resolve"
            >
              {t('conversation.resolve')}
            </Button>
          )}
          {c.status !== 'resolved' && c.status !== 'snoozed' && (
            <SnoozeMenu compact onSnooze={(until) => update.mutate({ status: 'snoozed', snoozedUntil: until })} />
          )}
          <ConversationMenu conversation={c} onUpdate={(patch) => update.mutate(patch)} />
        </Group>
      )}
    </Group>
  );
}

/** What the conversation is about, from its channel: the Avito listing (title, price, link), the e-mail subject, the page. */
function ContextLine({ context: x }: { context: ConversationContext }) {
  const title = x.kind === 'email' ? (x.subject ?? x.title) : (x.title ?? x.subject);
  if (!title && !x.url) return null;
  const Icon = x.kind === 'email' ? IconMail : x.kind === 'page' ? IconWorld : IconTag;
  const label = title ?? x.url;
  return (
    <Group gap={6} wrap="nowrap" fz="xs" miw={0} data-testid="conversation-context" data-kind={x.kind}>
      <Icon size={13} color="var(--mantine-color-dimmed)" style={{ flexShrink: 0 }} aria-hidden />
      {x.url && /^https?:\/\//.test(x.url) ? (
        <Anchor href={x.url} target="_blank" rel="noreferrer" fz="xs" truncate title={label}>
          {label}
        </Anchor>
      ) : (
        <Text fz="xs" truncate title={label}>
          {label}
        </Text>
      )}
      {x.price && (
        <Badge size="xs" variant="light" color="gray" style={{ flexShrink: 0 }}>
          {x.price}
        </Badge>
      )}
    </Group>
  );
}
