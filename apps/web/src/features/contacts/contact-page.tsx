import { Anchor, Badge, Button, Card, Grid, Group, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import type { ContactDetail } from '@switchboard/shared';
import { IconArrowLeft } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError } from '../../api/api-error';
import { ChannelIcon } from '../../components/channel-icon';
import { LoadFailed, PageLoader } from '../../components/page-states';
import { currentLanguage } from '../../i18n';
import { notifyError, notifySuccess } from '../../lib/notify';
import { formatDateTime } from '../../lib/time';
import { useHasPermission } from '../auth/permissions';
import { ConversationStatusBadge } from '../inbox/conversation-status-badge';
import { AttributeInput } from './attribute-input';
import { BlockedBadge, contactTitle, HandleList } from './contact-bits';
import { DuplicateList } from './duplicate-list';
import { MergeModal } from './merge-modal';
import { useBlockContact, useContact, useContactFields, useUpdateContact } from './contacts.api';

/** One contact's profile: editable facts and fields, channels, every conversation, duplicates, merge and block. */
export function ContactPage() {
  const { t } = useTranslation();
  const { contactId } = useParams();
  const contact = useContact(contactId!);
  if (contact.isPending) return <PageLoader />;
  if (contact.isError) {
    const missing = contact.error instanceof ApiError && contact.error.status === 404;
    return <LoadFailed title={missing ? t('contacts.notFound') : t('contacts.loadFailed')} error={contact.error} />;
  }
  return <Profile key={contact.data.id} contact={contact.data} />;
}

function Profile({ contact }: { contact: ContactDetail }) {
  const { t } = useTranslation();
  const canManage = useHasPermission('contact.manage');
  const block = useBlockContact(contact.id);
  const [merging, setMerging] = useState(false);
  const title = contactTitle(contact, t('contacts.noName'));
  return (
    <Stack p={{ base: 'sm', sm: 'lg' }} gap="md" maw={1200}>
      <Anchor component={Link} to="/contacts" fz="sm">
        <Group gap={4}>
          <IconArrowLeft size={14} />
          {t('contacts.back')}
        </Group>
      </Anchor>
      <Group justify="space-between" wrap="wrap" gap="sm">
        <Group gap="sm" wrap="wrap">
          <Title order={1} fz="h3" data-testid="contact-title">
            {title}
          </Title>
          {contact.blocked && <BlockedBadge />}
          <HandleList handles={contact.handles} />
        </Group>
        {canManage && (
          <Group gap="xs">
            <Button variant="default" size="xs" onClick={() => setMerging(true)} data-testid="contact-merge">
              {t('contacts.merge')}
            </Button>
            <Button
              variant={contact.blocked ? 'default' : 'light'}
              color={contact.blocked ? undefined : 'red'}
              size="xs"
              loading={block.isPending}
              data-testid="contact-block"
              onClick={() =>
                block.mutate(!contact.blocked, {
                  onSuccess: (c) => notifySuccess(t(c.blocked ? 'contacts.blockedDone' : 'contacts.unblockedDone')),
                  onError: (e) => notifyError(e),
                })
              }
            >
              {contact.blocked ? t('contacts.unblock') : t('contacts.block')}
            </Button>
          </Group>
        )}
      </Group>
      {contact.blocked && (
        <Text fz="sm" c="red">
          {t('contacts.blockedNote')}
        </Text>
      )}
      <Grid gutter="md">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <ContactForm contact={contact} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack gap="md">
            <Facts contact={contact} />
            <Card withBorder padding="md">
              <Title order={2} fz="h5" mb="xs">
                {t('contacts.conversations')}
              </Title>
              <ConversationLinks contact={contact} />
            </Card>
            <Card withBorder padding="md">
              <Title order={2} fz="h5" mb="xs">
                {t('contacts.duplicates')}
              </Title>
              <DuplicateList contactId={contact.id} />
            </Card>
          </Stack>
        </Grid.Col>
      </Grid>
      {merging && <MergeModal target={contact} onClose={() => setMerging(false)} />}
    </Stack>
  );
}

const splitList = (s: string) =>
  s
    .split(/[;,\n]/)
    .map((x) => x.trim())
    .filter(Boolean);

/** Name, phones, e-mails, notes and custom fields, saved together. */
export function ContactForm({ contact, compact = false }: { contact: ContactDetail; compact?: boolean }) {
  const { t } = useTranslation();
  const canEdit = useHasPermission('contact.edit');
  const fields = useContactFields();
  const update = useUpdateContact(contact.id);
  const [name, setName] = useState(contact.name ?? '');
  const [phones, setPhones] = useState(contact.phones.join('; '));
  const [emails, setEmails] = useState(contact.emails.join('; '));
  const [notes, setNotes] = useState(contact.notes ?? '');
  const [attributes, setAttributes] = useState<Record<string, string | number | boolean | null>>(contact.attributes);
  const save = () =>
    update.mutate(
      { name: name.trim() || null, phones: splitList(phones), emails: splitList(emails), notes: notes.trim() || null, attributes },
      { onSuccess: () => notifySuccess(t('contacts.saved')), onError: (e) => notifyError(e) },
    );
  return (
    <Card withBorder padding={compact ? 'sm' : 'md'}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save();
        }}
      >
        <Stack gap="xs">
          {!compact && (
            <Title order={2} fz="h5">
              {t('contacts.profile')}
            </Title>
          )}
          <TextInput
            label={t('contacts.name')}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            disabled={!canEdit}
            data-testid="contact-name"
          />
          <TextInput
            label={t('contacts.phones')}
            placeholder={t('contacts.phonesPlaceholder')}
            value={phones}
            onChange={(e) => setPhones(e.currentTarget.value)}
            disabled={!canEdit}
            data-testid="contact-phones"
          />
          <TextInput
            label={t('contacts.emails')}
            placeholder={t('contacts.emailsPlaceholder')}
            value={emails}
            onChange={(e) => setEmails(e.currentTarget.value)}
            disabled={!canEdit}
          />
          {(fields.data ?? []).map((def) => (
            <AttributeInput
              key={def.id}
              def={def}
              value={attributes[def.key] ?? null}
              onChange={(v) => setAttributes({ ...attributes, [def.key]: v })}
            />
          ))}
          <Textarea
            label={t('contacts.notes')}
            placeholder={t('contacts.notesPlaceholder')}
            value={notes}
            onChange={(e) => setNotes(e.currentTarget.value)}
            autosize
            minRows={2}
            disabled={!canEdit}
            data-testid="contact-notes"
          />
          {canEdit && (
            <Group justify="flex-end">
              <Button type="submit" size="xs" loading={update.isPending} data-testid="contact-save">
                {t('contacts.save')}
              </Button>
            </Group>
          )}
        </Stack>
      </form>
    </Card>
  );
}

/** Where they came from, first and last seen, tags. */
export function Facts({ contact }: { contact: ContactDetail }) {
  const { t } = useTranslation();
  const lang = currentLanguage();
  const source = contact.source;
  return (
    <Card withBorder padding="md">
      <Stack gap={6}>
        {source && (
          <Group gap={6} wrap="nowrap" data-testid="contact-source">
            <Text fz="sm" c="dimmed" style={{ flexShrink: 0 }}>
              {t('contacts.cameFrom')}:
            </Text>
            {source.url ? (
              <Anchor href={source.url} target="_blank" rel="noreferrer" fz="sm" truncate>
                {source.title ?? source.subject ?? source.url}
              </Anchor>
            ) : (
              <Text fz="sm" truncate>
                {source.title ?? source.subject}
              </Text>
            )}
            {source.price && (
              <Badge size="xs" variant="light">
                {source.price}
              </Badge>
            )}
          </Group>
        )}
        <Text fz="sm">
          <Text span c="dimmed">
            {t('contacts.createdAt')}:
          </Text>{' '}
          {formatDateTime(contact.createdAt, lang)}
        </Text>
        <Text fz="sm">
          <Text span c="dimmed">
            {t('contacts.lastSeenAt')}:
          </Text>{' '}
          {contact.lastSeenAt ? formatDateTime(contact.lastSeenAt, lang) : t('contacts.never')}
        </Text>
        {contact.tags.length > 0 && (
          <Group gap={4}>
            {contact.tags.map((tag) => (
              <Badge key={tag.id} size="sm" variant="light" color={tag.color ?? 'gray'}>
                {tag.name}
              </Badge>
            ))}
          </Group>
        )}
      </Stack>
    </Card>
  );
}

/** Every conversation of the contact, across channels, newest first. */
export function ConversationLinks({ contact, currentId }: { contact: ContactDetail; currentId?: string }) {
  const { t } = useTranslation();
  const lang = currentLanguage();
  if (contact.conversations.length === 0) return <Text fz="sm">{t('contacts.noConversations')}</Text>;
  return (
    <Stack gap={6} data-testid="contact-conversations">
      {contact.conversations.map((c) => (
        <Group key={c.id} gap={6} wrap="nowrap" opacity={c.id === currentId ? 0.6 : 1}>
          <ChannelIcon type={c.channelType} size={14} />
          <Anchor component={Link} to={`/inbox/${c.id}`} fz="sm" truncate style={{ flex: 1, minWidth: 0 }}>
            {c.number ? `#${c.number} ` : ''}
            {c.context?.title ?? c.context?.subject ?? c.lastMessagePreview ?? c.channelName}
          </Anchor>
          <ConversationStatusBadge status={c.status} size="xs" />
          {!currentId && (
            <Text fz="xs" c="dimmed" visibleFrom="sm" style={{ flexShrink: 0 }}>
              {formatDateTime(c.lastMessageAt, lang)}
            </Text>
          )}
        </Group>
      ))}
    </Stack>
  );
}
