import { Button, Text, Tooltip } from '@mantine/core';
import type { DeliveryFailureCode } from '@switchboard/shared';
import { IconRefresh } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { notifySuccess } from '../../lib/notify';
import { formatAgo, useNow } from '../../lib/time';
import { useHasPermission } from '../auth/permissions';
import { useDeadLetterAction } from './use-dead-letters';

interface Undelivered {
  failureCode?: DeliveryFailureCode | null;
  failureReason: string | null;
  retryAt?: string | null;
}

/**
 * Why a reply is not delivered, in the reader's language (from the code), with the next attempt's
 * time while it is retried; the channel's own words (English) inline in the English UI, else in the tooltip.
 */
export function DeliveryReason({ message, size = 'xs' }: { message: Undelivered; size?: 'xs' | 'sm' }) {
  const { t, i18n } = useTranslation();
  const now = useNow(15_000);
  // The channel's own words are English: shown inline in the English UI, only in the tooltip in others.
  const english = i18n.language.startsWith('en');
  const reason = t(`deadLetters.delivery.reasons.${message.failureCode ?? 'unknown'}`);
  const sentence = english && message.failureReason ? `${reason}: ${message.failureReason}` : reason;
  const next = message.retryAt
    ? Date.parse(message.retryAt) <= now
      ? t('deadLetters.delivery.nextAttemptNow')
      : t('deadLetters.delivery.nextAttempt', { when: formatAgo(message.retryAt, now, i18n.language) })
    : null;
  const text = (
    <Text span fz={size} data-testid="delivery-reason" data-code={message.failureCode ?? undefined}>
      {next ? `${sentence}; ${next}` : sentence}
    </Text>
  );
  return message.failureReason ? (
    <Tooltip label={t('deadLetters.delivery.providerSaid', { text: message.failureReason })} multiline maw={420}>
      {text}
    </Tooltip>
  ) : (
    text
  );
}

/** Sends a reply that waits for its next attempt at once (or queues an undelivered one again). */
export function RetryNowButton({ messageId }: { messageId: string }) {
  const { t } = useTranslation();
  const allowed = useHasPermission('conversation.reply');
  const retry = useDeadLetterAction('retry');
  if (!allowed) return null;
  return (
    <Button
      size="compact-xs"
      variant="light"
      leftSection={<IconRefresh size={12} />}
      loading={retry.isPending}
      onClick={() => retry.mutate({ messageIds: [messageId] }, { onSuccess: () => notifySuccess(t('deadLetters.delivery.retriedNow')) })}
      style={{ flexShrink: 0 }}
      data-testid="retry-now"
    >
      {t('deadLetters.delivery.retryNow')}
    </Button>
  );
}
