import { Center, Stack, Text } from '@mantine/core';
import { IconMessages } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { ConversationView } from '../conversation/conversation-view';
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

  return (
    <div className={classes.layout}>
      <section className={classes.listPane} data-conversation-open={open} aria-label={t('inbox.listLabel')}>
        <ConversationFilters filter={filter} onChange={setFilter} />
        <ConversationList filter={filter} selectedId={conversationId ?? null} />
      </section>
      <section className={classes.conversationPane} data-conversation-open={open}>
        {conversationId ? <ConversationView key={conversationId} id={conversationId} /> : <NoConversationSelected />}
      </section>
    </div>
  );
}

function NoConversationSelected() {
  const { t } = useTranslation();
  return (
    <Center h="100%">
      <Stack align="center" gap={4}>
        <IconMessages size={40} stroke={1.2} color="var(--mantine-color-dimmed)" aria-hidden />
        <Text c="dimmed">{t('inbox.selectConversation')}</Text>
      </Stack>
    </Center>
  );
}
