import { Badge, Tooltip } from '@mantine/core';
import type { Conversation } from '@switchboard/shared';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { ChannelIcon } from '../../components/channel-icon';
import { UserAvatar } from '../../components/user-avatar';
import { currentLanguage } from '../../i18n';
import { formatDateTime, formatListTime } from '../../lib/time';
import { contactName } from './contact-name';
import { ConversationStatusBadge } from './conversation-status-badge';
import { TagBadges } from '../teamwork/tag-badges';
import classes from './conversation-list-item.module.css';

interface Props {
  conversation: Conversation;
  selected: boolean;
  now: number;
}

export function ConversationListItem({ conversation: c, selected, now }: Props) {
  const { t } = useTranslation();
  const { search } = useLocation();
  const locale = currentLanguage();
  const name = contactName(c.contact);
  // The open conversation is being read right now: its counter is about to be reset anyway.
  const unread = selected ? 0 : c.unreadCount;
  const flag = (on: boolean) => (on ? '' : undefined);

  return (
    <Link
      to={{ pathname: `/inbox/${c.id}`, search }}
      className={classes.item}
      data-selected={flag(selected)}
      aria-current={selected ? 'page' : undefined}
      data-testid="conversation-item"
      data-conversation-id={c.id}
      data-unread={unread}
    >
      <UserAvatar name={name} seed={c.contact.id} size={38} />
      <div className={classes.body}>
        <div className={classes.row}>
          <ChannelIcon type={c.channelType} size={14} />
          <span className={classes.name} data-unread={flag(unread > 0)}>
            {name}
          </span>
          <Tooltip label={formatDateTime(c.lastMessageAt, locale)}>
            <time className={classes.time} dateTime={c.lastMessageAt}>
              {formatListTime(c.lastMessageAt, now, locale, t('time.now'))}
            </time>
          </Tooltip>
        </div>
        {c.tagIds.length > 0 && (
          <div style={{ marginTop: 3 }}>
            <TagBadges tagIds={c.tagIds} max={3} />
          </div>
        )}
        <div className={classes.row} style={{ marginTop: 3 }}>
          <span className={classes.preview} data-unread={flag(unread > 0)}>
            {c.lastMessagePreview ?? t('inbox.noPreview')}
          </span>
          {c.category && (
            <Badge
              size="xs"
              variant="light"
              color="cyan"
              tt="none"
              maw={110}
              style={{ flexShrink: 0 }}
              title={c.category}
              data-testid="conversation-category-badge"
            >
              {c.category}
            </Badge>
          )}
          {c.status !== 'open' && <ConversationStatusBadge status={c.status} size="xs" />}
          {unread > 0 && (
            <Badge size="sm" circle={unread < 10} color="blue" aria-label={t('inbox.unread', { count: unread })} data-testid="unread-badge">
              {unread > 99 ? '99+' : unread}
            </Badge>
          )}
        </div>
      </div>
    </Link>
  );
}
