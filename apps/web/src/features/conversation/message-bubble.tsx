import { Tooltip } from '@mantine/core';
import { IconAlertTriangle, IconLock, IconRobot } from '@tabler/icons-react';
import type { Message } from '@switchboard/shared';
import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../../i18n';
import { formatClock, formatDateTime } from '../../lib/time';
import { AttachmentList } from './attachment-list';
import { BotTurnTags } from './bot-turn';
import { DeliveryStatus, isDeliveryFailed } from './delivery-status';
import { isOptimistic } from './messages.cache';
import { SourceList } from './source-list';
import { MessageText } from '../teamwork/message-text';
import classes from './message-bubble.module.css';
import { DeliveryReason, RetryNowButton } from '../dead-letters/delivery-reason';

type Kind = 'contact' | 'operator' | 'bot' | 'note';

function kindOf(m: Message): Kind | 'system' {
  if (m.private) return 'note';
  return m.authorType;
}

const flag = (on: boolean) => (on ? '' : undefined);

export function MessageBubble({ message: m, authorName }: { message: Message; authorName: string | null }) {
  const { t } = useTranslation();
  const locale = currentLanguage();
  const kind = kindOf(m);
  const common = {
    'data-testid': 'message',
    'data-message-id': m.id,
    'data-direction': m.direction,
    'data-status': m.status,
    'data-private': String(m.private),
  };

  if (kind === 'system') {
    return (
      <div className={classes.row} data-side="center" {...common} data-author="system">
        <div className={classes.system}>{m.text}</div>
      </div>
    );
  }

  const failed = isDeliveryFailed(m);
  const retrying = m.status === 'queued' && m.failureReason !== null;
  const uncertain = m.status === 'uncertain';
  const label =
    kind === 'note'
      ? [t('conversation.privateNote'), authorName].filter(Boolean).join(' · ')
      : kind === 'bot'
        ? t('conversation.bot')
        : kind === 'operator'
          ? authorName
          : null;

  return (
    <div className={classes.row} data-side={m.direction === 'in' ? 'left' : 'right'} {...common} data-author={m.authorType}>
      <div className={classes.bubble} data-kind={kind} data-failed={flag(failed)} data-optimistic={flag(isOptimistic(m))}>
        {(label || m.ai) && (
          <div className={classes.label}>
            {kind === 'note' && <IconLock size={12} aria-hidden />}
            {kind === 'bot' && <IconRobot size={12} aria-hidden />}
            {label && <span data-testid="message-author">{label}</span>}
            {m.ai && <BotTurnTags ai={m.ai} />}
          </div>
        )}
        {m.text && (
          <div data-testid="message-text">
            <MessageText text={m.text} mentions={m.mentions} />
          </div>
        )}
        {m.attachments.length > 0 && <AttachmentList attachments={m.attachments} conversationId={m.conversationId} messageId={m.id} />}
        <div className={classes.meta}>
          {m.editedAt && <span>{t('conversation.edited')}</span>}
          <Tooltip label={formatDateTime(m.createdAt, locale)}>
            <time dateTime={m.createdAt}>{formatClock(m.createdAt, locale)}</time>
          </Tooltip>
          {m.direction === 'out' && !m.private && <DeliveryStatus message={m} />}
        </div>
      </div>
      {m.ai && m.ai.sources.length > 0 && (
        <div className={classes.sources}>
          <SourceList sources={m.ai.sources} />
        </div>
      )}
      {uncertain && (
        <div className={classes.failure} data-retrying="" data-testid="message-uncertain" role="alert">
          <IconAlertTriangle size={14} style={{ flexShrink: 0, marginTop: 1 }} aria-hidden />
          <span>
            {t('conversation.delivery.uncertain')}: {t('conversation.delivery.uncertainHint')}
          </span>
        </div>
      )}
      {(failed || retrying) && m.failureReason && (
        <div className={classes.failure} data-retrying={flag(retrying)} data-testid="message-failure" role={failed ? 'alert' : undefined}>
          <IconAlertTriangle size={14} style={{ flexShrink: 0, marginTop: 1 }} aria-hidden />
          <span>
            {failed ? t(`conversation.delivery.${m.status === 'dead' ? 'dead' : 'failed'}`) : t('conversation.delivery.retrying')}:{' '}
            <DeliveryReason message={m} />
          </span>
          {retrying && <RetryNowButton messageId={m.id} />}
        </div>
      )}
    </div>
  );
}
