import { Group, SegmentedControl, Select, Stack, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { TeamworkFilters } from '../teamwork/inbox-filters';
import { ASSIGNEE_FILTERS, STATUS_FILTERS, type AssigneeFilter, type ConversationFilter, type StatusFilter } from './conversations.api';

interface Props {
  filter: ConversationFilter;
  onChange: (patch: Partial<ConversationFilter>) => void;
}

export function ConversationFilters({ filter, onChange }: Props) {
  const { t } = useTranslation();
  return (
    <Stack gap={8} p="sm" pb={8} style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}>
      <Group justify="space-between" wrap="nowrap">
        <Title order={1} fz="lg">
          {t('inbox.title')}
        </Title>
        <Select
          size="xs"
          w={150}
          aria-label={t('inbox.filters.status')}
          data-testid="status-filter"
          allowDeselect={false}
          value={filter.status}
          onChange={(v) => v && onChange({ status: v as StatusFilter })}
          data={STATUS_FILTERS.map((s) => ({ value: s, label: t(`inbox.statusFilter.${s}`) }))}
          comboboxProps={{ withinPortal: true }}
        />
      </Group>
      <SegmentedControl
        size="xs"
        fullWidth
        aria-label={t('inbox.filters.assignee')}
        data-testid="assignee-filter"
        value={filter.assignee}
        onChange={(v) => onChange({ assignee: v as AssigneeFilter })}
        data={ASSIGNEE_FILTERS.map((a) => ({ value: a, label: t(`inbox.assigneeFilter.${a}`) }))}
      />
      <TeamworkFilters filter={filter} onChange={onChange} />
    </Stack>
  );
}
