import { Center, Stack, Text } from '@mantine/core';
import { IconMessages } from '@tabler/icons-react';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { useHasPermission } from '../auth/permissions';
import { useMe } from '../auth/use-session';
import { BulkBar } from '../teamwork/bulk-bar';
import { ShortcutsHelp, useInboxShortcuts } from '../teamwork/shortcuts';
import { useApplyConversation } from '../teamwork/use-teamwork';
import { updateConversation } from './conversations.api';
import { useConversationList } from './use-conversations';
import { ConversationView } from '../conversation/conversation-view';
import { OnboardingChecklist } from '../onboarding/onboarding-checklist';
import { ConversationFilters } from './conversation-filters';
import { ConversationList } from './conversation-list';
import { useConversationFilter } from './use-conversation-filter';
import classes from './inbox-page.module.css';

/** The operator's main screen: filters and conversation list on the left, the open conversation on the right. */
export function InboxPage() {
  const { t } = useTranslation();
  const { conversationId } = useParams();
  const [filter, setFilter] = useConversationFilter();
  const open = conversationId ? '' : undefined;
  const me = useMe();
  const canAssign = useHasPermission('conversation.assign');
  const apply = useApplyConversation();
  const { conversations } = useConversationList(filter);
  const [checked, setChecked] = useState<Set<string>>(new Set());
  // A new filter shows other conversations: what was ticked no longer shows.
  useEffect(() => setChecked(new Set()), [filter]);
  const onCheck = useCallback((id: string, on: boolean) => {
    setChecked((prev) => {
      const next = new Set(prev);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  }, []);
  const patch = useCallback(
    (id: string, body: Parameters<typeof updateConversation>[1]) => void updateConversation(id, body).then(apply, () => undefined),
    [apply],
  );
  const { helpOpen, closeHelp } = useInboxShortcuts({
    conversations,
    onResolve: (id) => canAssign && patch(id, { status: 'resolved' }),
    onAssignMe: (id) => canAssign && patch(id, { assigneeId: me.id }),
  });

  return (
    <div className={classes.layout}>
      <section className={classes.listPane} data-conversation-open={open} aria-label={t('inbox.listLabel')}>
        <ConversationFilters filter={filter} onChange={setFilter} />
        {checked.size > 0 && <BulkBar ids={[...checked]} onDone={() => setChecked(new Set())} onClear={() => setChecked(new Set())} />}
        <ConversationList filter={filter} selectedId={conversationId ?? null} {...(canAssign ? { checked, onCheck } : {})} />
      </section>
      <ShortcutsHelp opened={helpOpen} onClose={closeHelp} />
      <section className={classes.conversationPane} data-conversation-open={open}>
        {conversationId ? <ConversationView key={conversationId} id={conversationId} /> : <NoConversationSelected />}
      </section>
    </div>
  );
}

function NoConversationSelected() {
  const { t } = useTranslation();
  return (
    <Center h="100%" p="md">
      <Stack align="center" gap={4}>
        <OnboardingChecklist />
        <IconMessages size={40} stroke={1.2} color="var(--mantine-color-dimmed)" aria-hidden />
        <Text c="dimmed">{t('inbox.selectConversation')}</Text>
      </Stack>
    </Center>
  );
}
