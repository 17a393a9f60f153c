import { Badge, Group, Text } from '@mantine/core';
import type { ContactHandle, ContactSummary } from '@switchboard/shared';
import { useTranslation } from 'react-i18next';
import { ChannelIcon } from '../../components/channel-icon';

/** How a contact is called: their name, else a handle's username or id. */
export function contactTitle(c: Pick<ContactSummary, 'name' | 'handles' | 'phones' | 'emails'>, noName: string): string {
  const h = c.handles[0];
  return c.name?.trim() || c.phones[0] || c.emails[0] || (h ? (h.username ?? h.externalId) : noName);
}

/** The channels a contact writes from, as icons with the handle. */
export function HandleList({ handles, compact = false }: { handles: ContactHandle[]; compact?: boolean }) {
  return (
    <Group gap={compact ? 4 : 8} wrap="wrap">
      {handles.map((h) => (
        <Group key={h.id} gap={4} wrap="nowrap" title={`${h.channelName}: ${h.username ?? h.externalId}`} data-testid="contact-handle">
          <ChannelIcon type={h.channelType} size={compact ? 14 : 16} />
          {!compact && (
            <Text fz="xs" c="dimmed" truncate maw={180}>
              {h.username ? (h.username.startsWith('+') || h.username.includes('@') ? h.username : `@${h.username}`) : h.channelName}
            </Text>
          )}
        </Group>
      ))}
    </Group>
  );
}

export function BlockedBadge() {
  const { t } = useTranslation();
  return (
    <Badge color="red" variant="light" size="sm" data-testid="contact-blocked">
      {t('contacts.blocked')}
    </Badge>
  );
}
