import { ActionIcon, Anchor, Badge, Card, Checkbox, Group, Stack, Table, Text, Tooltip, VisuallyHidden } from '@mantine/core';
import { IconMessageForward } from '@tabler/icons-react';
import type { DeadLetter } from '@switchboard/shared';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ChannelIcon } from '../../components/channel-icon';
import { currentLanguage } from '../../i18n';
import { formatAgo, formatDateTime } from '../../lib/time';
import { DeliveryReason } from './delivery-reason';

const BADGE: Partial<Record<DeadLetter['status'], string>> = { dead: 'red', uncertain: 'yellow' };

interface Props {
  items: DeadLetter[];
  now: number;
  selected: Set<string>;
  onSelect: (selected: Set<string>) => void;
  onFilterChannel: (channelId: string) => void;
}

export function DeadLetterTable({ items, now, selected, onSelect, onFilterChannel }: Props) {
  const { t } = useTranslation();
  const locale = currentLanguage();
  const chosen = items.filter((d) => selected.has(d.messageId)).length;
  const toggle = (id: string, on: boolean) => {
    const next = new Set(selected);
    if (on) next.add(id);
    else next.delete(id);
    onSelect(next);
  };

  return (
    <Card withBorder padding={0}>
      <Table.ScrollContainer minWidth={980}>
        <Table verticalSpacing="sm" horizontalSpacing="md" highlightOnHover data-testid="dead-letter-list">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={40}>
                <Checkbox
                  aria-label={t('deadLetters.selectAll')}
                  checked={chosen > 0 && chosen === items.length}
                  indeterminate={chosen > 0 && chosen < items.length}
                  onChange={(e) => onSelect(new Set(e.currentTarget.checked ? items.map((d) => d.messageId) : []))}
                  data-testid="dead-letter-select-all"
                />
              </Table.Th>
              <Table.Th>{t('deadLetters.columns.channel')}</Table.Th>
              <Table.Th>{t('deadLetters.columns.contact')}</Table.Th>
              <Table.Th>{t('deadLetters.columns.text')}</Table.Th>
              <Table.Th>{t('deadLetters.columns.reason')}</Table.Th>
              <Table.Th ta="right">{t('deadLetters.columns.attempts')}</Table.Th>
              <Table.Th>{t('deadLetters.columns.when')}</Table.Th>
              <Table.Th w={48}>
                <VisuallyHidden>{t('deadLetters.columns.open')}</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((d) => (
              <Table.Tr
                key={d.messageId}
                data-testid="dead-letter-row"
                data-message-id={d.messageId}
                bg={selected.has(d.messageId) ? 'var(--mantine-primary-color-light)' : undefined}
              >
                <Table.Td>
                  <Checkbox
                    aria-label={t('deadLetters.select')}
                    checked={selected.has(d.messageId)}
                    onChange={(e) => toggle(d.messageId, e.currentTarget.checked)}
                    data-testid="dead-letter-select"
                  />
                </Table.Td>
                <Table.Td>
                  <Group gap={6} wrap="nowrap" maw={200}>
                    <ChannelIcon type={d.channelType} size={16} />
                    <Anchor component="button" type="button" fz="sm" truncate onClick={() => onFilterChannel(d.channelId)}>
                      {d.channelName}
                    </Anchor>
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Text fz="sm" truncate maw={180}>
                    {d.contactName ?? t('deadLetters.unknownContact')}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text fz="sm" lineClamp={2} maw={300} data-testid="dead-letter-text">
                    {d.text ?? '—'}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Stack gap={2} maw={320}>
                    <Badge size="xs" variant="light" color={BADGE[d.status] ?? 'orange'} w="fit-content" data-testid="dead-letter-status">
                      {d.status === 'queued'
                        ? t('deadLetters.delivery.retryingStatus')
                        : t(`deadLetters.status.${d.status === 'dead' || d.status === 'uncertain' ? d.status : 'failed'}`)}
                    </Badge>
                    {d.status === 'uncertain' ? (
                      <Text fz="xs" c="orange" lineClamp={3} data-testid="dead-letter-reason">
                        {t('deadLetters.uncertainReason')}
                      </Text>
                    ) : (
                      <Text fz="xs" c={d.status === 'queued' ? 'orange' : 'red'} lineClamp={2} data-testid="dead-letter-reason">
                        <DeliveryReason message={d} />
                      </Text>
                    )}
                  </Stack>
                </Table.Td>
                <Table.Td ta="right" fz="sm">
                  {d.attempts}
                </Table.Td>
                <Table.Td>
                  <Tooltip label={formatDateTime(d.createdAt, locale)}>
                    <Text fz="sm" style={{ whiteSpace: 'nowrap' }}>
                      {formatAgo(d.createdAt, Math.max(now, Date.parse(d.createdAt)), locale)}
                    </Text>
                  </Tooltip>
                </Table.Td>
                <Table.Td>
                  <Tooltip label={t('deadLetters.openConversation')}>
                    <ActionIcon
                      component={Link}
                      to={`/inbox/${d.conversationId}`}
                      variant="subtle"
                      color="gray"
                      aria-label={t('deadLetters.openConversation')}
                      data-testid="dead-letter-open"
                    >
                      <IconMessageForward size={16} />
                    </ActionIcon>
                  </Tooltip>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Card>
  );
}
