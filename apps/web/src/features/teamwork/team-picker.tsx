import { Select } from '@mantine/core';
import type { Conversation } from '@switchboard/shared';
import { useTranslation } from 'react-i18next';
import { useSetConversationTeam, useTeams } from './use-teamwork';

const NONE = 'none';

/** Which team's queue the conversation is in. */
export function TeamPicker({ conversation: c }: { conversation: Conversation }) {
  const { t } = useTranslation();
  const teams = useTeams();
  const set = useSetConversationTeam(c.id);
  if (teams.length === 0) return null;
  return (
    <Select
      size="xs"
      w={150}
      aria-label={t('teamwork.team.label')}
      data-testid="conversation-team"
      allowDeselect={false}
      value={c.teamId ?? NONE}
      onChange={(v) => v && set.mutate(v === NONE ? null : v)}
      data={[{ value: NONE, label: t('teamwork.team.none') }, ...teams.map((team) => ({ value: team.id, label: team.name }))]}
      comboboxProps={{ withinPortal: true }}
    />
  );
}
