import { Anchor, Group, Loader, ScrollArea, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { BlockedBadge, contactTitle, HandleList } from './contact-bits';
import { ContactForm, ConversationLinks, Facts } from './contact-page';
import { useConversationContact } from './contacts.api';
import classes from './contact-panel.module.css';

/** The conversation view's right side: who is writing, across channels, with their fields and notes. */
export function ContactPanel({ conversationId }: { conversationId: string }) {
  const { t } = useTranslation();
  const contact = useConversationContact(conversationId);
  return (
    <aside className={classes.panel} aria-label={t('contacts.panelTitle')} data-testid="contact-panel">
      {contact.isPending && <Loader size="sm" m="md" />}
      {contact.isError && (
        <Text c="dimmed" fz="sm" p="md">
          {t('contacts.loadFailed')}
        </Text>
      )}
      {contact.data && (
        <ScrollArea h="100%" type="auto">
          <Stack gap="sm" p="sm">
            <Group justify="space-between" wrap="nowrap">
              <Text component="h2" fw={600} fz="lg" m={0} truncate>
                {contactTitle(contact.data, t('contacts.noName'))}
              </Text>
              {contact.data.blocked && <BlockedBadge />}
            </Group>
            <HandleList handles={contact.data.handles} />
            <Facts contact={contact.data} />
            <ContactForm key={contact.data.id} contact={contact.data} compact />
            <Text fz="sm" fw={500}>
              {t('contacts.conversations')}
            </Text>
            <ConversationLinks contact={contact.data} currentId={conversationId} />
            <Anchor component={Link} to={`/contacts/${contact.data.id}`} fz="sm" data-testid="contact-open-profile">
              {t('contacts.openProfile')}
            </Anchor>
          </Stack>
        </ScrollArea>
      )}
    </aside>
  );
}
