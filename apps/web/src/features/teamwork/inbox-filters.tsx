import { Group, Select } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ConversationFilter } from '../inbox/conversations.api';
import { useTags, useTeams } from './use-teamwork';

const ALL = 'all';

/** Team queue and tag filters of the inbox (shown once the account has teams or tags). */
export function TeamworkFilters({
  filter,
  onChange,
}: {
  filter: ConversationFilter;
  onChange: (patch: Partial<ConversationFilter>) => void;
}) {
  const { t } = useTranslation();
  const teams = useTeams();
  const tags = useTags();
  if (teams.length === 0 && tags.length === 0) return null;
  return (
    <Group gap={8} wrap="nowrap" grow>
      {teams.length > 0 && (
        <Select
          size="xs"
          aria-label={t('teamwork.filters.team')}
          data-testid="team-filter"
          allowDeselect={false}
          value={filter.team ?? ALL}
          onChange={(v) => onChange({ team: v === ALL ? undefined : (v ?? undefined) })}
          data={[{ value: ALL, label: t('teamwork.filters.anyTeam') }, ...teams.map((x) => ({ value: x.id, label: x.name }))]}
          comboboxProps={{ withinPortal: true }}
        />
      )}
      {tags.length > 0 && (
        <Select
          size="xs"
          aria-label={t('teamwork.filters.tag')}
          data-testid="tag-filter"
          allowDeselect={false}
          searchable
          value={filter.tag ?? ALL}
          onChange={(v) => onChange({ tag: v === ALL ? undefined : (v ?? undefined) })}
          data={[{ value: ALL, label: t('teamwork.filters.anyTag') }, ...tags.map((x) => ({ value: x.id, label: x.name }))]}
          comboboxProps={{ withinPortal: true }}
        />
      )}
    </Group>
  );
}
