import { Alert, Button, Center, Loader, Stack, Text } from '@mantine/core';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/api-error';
import { errorMessage } from '../../lib/notify';
import { useConversation, useMarkRead } from '../inbox/use-conversations';
import { ConversationHeader } from './conversation-header';
import { MessageList } from './message-list';
import { ReplyBox } from './reply-box';
import { useHasPermission } from '../auth/permissions';
import { ContactPanel } from '../contacts/contact-panel';

/** One conversation: header with actions, history, reply box. Keyed by id, so state resets per conversation. */
export function ConversationView({ id }: { id: string }) {
  const { t } = useTranslation();
  const conversation = useConversation(id);
  const canSeeContact = useHasPermission('contact.read');
  useKeepRead(id, conversation.data?.unreadCount ?? 0);

  if (conversation.isPending) {
    return (
      <Center h="100%">
        <Loader aria-label={t('common.loading')} />
      </Center>
    );
  }
  if (conversation.isError) {
    const missing = conversation.error instanceof ApiError && conversation.error.status === 404;
    return (
      <Center h="100%" p="xl">
        <Alert color={missing ? 'gray' : 'red'} title={missing ? t('conversation.notFound') : t('conversation.loadFailed')} maw={420}>
          <Stack gap="xs">
            {!missing && <Text fz="sm">{errorMessage(conversation.error)}</Text>}
            {!missing && (
              <Button size="xs" variant="light" onClick={() => void conversation.refetch()}>
                {t('common.retry')}
              </Button>
            )}
          </Stack>
        </Alert>
      </Center>
    );
  }
  return (
    <div style={{ display: 'flex', flex: 1, minHeight: 0 }}>
      <div style={{ display: 'flex', flexDirection: 'column', flex: 1, minWidth: 0 }}>
        <ConversationHeader conversation={conversation.data} />
        <MessageList conversationId={id} />
        <ReplyBox conversationId={id} />
      </div>
      {canSeeContact && <ContactPanel conversationId={id} />}
    </div>
  );
}

/** Marks the conversation read on opening, and again whenever new messages arrive while it is open. */
function useKeepRead(id: string, unreadCount: number) {
  const markRead = useMarkRead(id);
  const opened = useRef(false);
  const { mutate, isPending } = markRead;
  useEffect(() => {
    const firstTime = !opened.current;
    if (isPending || (!firstTime && unreadCount === 0) || document.visibilityState === 'hidden') return;
    opened.current = true;
    mutate();
  }, [id, unreadCount, isPending, mutate]);

  // Messages that came while the tab was in the background are read once the operator looks again.
  useEffect(() => {
    const onVisible = () => {
      if (document.visibilityState === 'visible' && unreadCount > 0) mutate();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => document.removeEventListener('visibilitychange', onVisible);
  }, [unreadCount, mutate]);
}
