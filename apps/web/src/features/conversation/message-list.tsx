import { Alert, Button, Center, Loader, Skeleton, Stack, Text } from '@mantine/core';
import type { Message } from '@switchboard/shared';
import { Fragment, useEffect, useLayoutEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../../i18n';
import { errorMessage } from '../../lib/notify';
import { dayKey, formatDay, useNow } from '../../lib/time';
import { useMe } from '../auth/use-session';
import { MessageBubble } from './message-bubble';
import { useMessages, useTeammates } from './use-messages';
import { useJumpToMessage } from '../search/use-jump-to-message';
import classes from './message-list.module.css';

const NEAR_BOTTOM_PX = 120;

/** The history, oldest at the top; sticks to the bottom as messages arrive unless the operator scrolled up. */
export function MessageList({ conversationId }: { conversationId: string }) {
  const { t } = useTranslation();
  const me = useMe();
  const teammates = useTeammates();
  const now = useNow();
  const query = useMessages(conversationId);
  const { messages } = query;
  const viewport = useRef<HTMLDivElement>(null);
  const stickToBottom = useRef(true);
  const anchorFromBottom = useRef<number | null>(null);
  const last = messages[messages.length - 1];

  useLayoutEffect(() => {
    const el = viewport.current;
    if (!el) return;
    if (anchorFromBottom.current !== null) {
      // Earlier messages were added on top: keep what the operator was looking at in place.
      el.scrollTop = el.scrollHeight - anchorFromBottom.current;
      anchorFromBottom.current = null;
    } else if (stickToBottom.current || last?.authorUserId === me.id) {
      el.scrollTop = el.scrollHeight;
    }
  }, [messages, last?.authorUserId, me.id]);

  // The reply box grows (a suggestion appears, a long draft): stay at the latest message if we were there.
  useEffect(() => {
    const el = viewport.current;
    if (!el) return;
    const observer = new ResizeObserver(() => {
      if (stickToBottom.current) el.scrollTop = el.scrollHeight;
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  // A search hit opened here (`?message=`): show that message instead of the latest.
  useJumpToMessage(
    viewport,
    messages.map((m) => m.id),
    query,
    () => (stickToBottom.current = false),
  );

  const onScroll = () => {
    const el = viewport.current;
    if (el) stickToBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < NEAR_BOTTOM_PX;
  };

  const loadEarlier = () => {
    const el = viewport.current;
    if (el) anchorFromBottom.current = el.scrollHeight - el.scrollTop;
    void query.fetchNextPage();
  };

  return (
    <div
      ref={viewport}
      className={classes.viewport}
      onScroll={onScroll}
      data-testid="message-list"
      role="log"
      aria-label={t('conversation.history')}
      aria-live="polite"
    >
      {query.isPending && <HistorySkeleton />}
      {query.isError && (
        <Alert color="red" title={t('conversation.historyFailed')}>
          <Text fz="sm">{errorMessage(query.error)}</Text>
          <Button size="xs" variant="light" color="red" mt="xs" onClick={() => void query.refetch()}>
            {t('common.retry')}
          </Button>
        </Alert>
      )}
      {query.hasNextPage && (
        <Center mb="sm">
          <Button variant="subtle" size="xs" onClick={loadEarlier} loading={query.isFetchingNextPage} data-testid="load-earlier">
            {t('conversation.loadEarlier')}
          </Button>
        </Center>
      )}
      {query.isSuccess && messages.length === 0 && (
        <Text c="dimmed" ta="center" fz="sm" mt="xl">
          {t('conversation.noMessages')}
        </Text>
      )}
      <Stack gap={6}>
        {messages.map((m, i) => (
          <Fragment key={m.id}>
            {startsNewDay(messages[i - 1], m) && <DayDivider iso={m.createdAt} now={now} />}
            <MessageBubble message={m} authorName={authorName(m, me.id, teammates, t('conversation.you'))} />
          </Fragment>
        ))}
      </Stack>
    </div>
  );
}

function startsNewDay(prev: Message | undefined, m: Message): boolean {
  return !prev || dayKey(prev.createdAt) !== dayKey(m.createdAt);
}

function authorName(m: Message, meId: string, teammates: ReturnType<typeof useTeammates>, you: string): string | null {
  if (m.authorType !== 'operator' || !m.authorUserId) return null;
  return m.authorUserId === meId ? you : (teammates.get(m.authorUserId)?.name ?? null);
}

function DayDivider({ iso, now }: { iso: string; now: number }) {
  const { t } = useTranslation();
  return (
    <div className={classes.day}>
      <span className={classes.dayLabel}>
        {formatDay(iso, now, currentLanguage(), { today: t('time.today'), yesterday: t('time.yesterday') })}
      </span>
    </div>
  );
}

function HistorySkeleton() {
  const { t } = useTranslation();
  return (
    <Stack gap="sm" aria-busy aria-label={t('common.loading')}>
      <Skeleton h={36} w="45%" radius="lg" />
      <Skeleton h={52} w="55%" radius="lg" ml="auto" />
      <Skeleton h={36} w="35%" radius="lg" />
      <Center>
        <Loader size="sm" />
      </Center>
    </Stack>
  );
}
