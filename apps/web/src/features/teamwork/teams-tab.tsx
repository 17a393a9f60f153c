import {
  ActionIcon,
  Badge,
  Button,
  Card,
  Chip,
  Group,
  Modal,
  MultiSelect,
  NumberInput,
  Radio,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  TextInput,
  Title,
  Tooltip,
} from '@mantine/core';
import { IconCircleFilled, IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { assignmentModes, type AssignmentMode, type SaveTeamRequest, type Team } from '@switchboard/shared';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ConfirmModal } from '../../components/confirm-modal';
import { errorMessage, notifyError, notifySuccess } from '../../lib/notify';
import { useHasPermission } from '../auth/permissions';
import { channelKeys, listChannels } from '../channels/channels.api';
import { useTeammates } from '../conversation/use-messages';
import { PRESENCE_COLORS } from './presence';
import { personTimeZone } from './snooze-presets';
import { createTeam, deleteTeam, teamsKey, updateTeam } from './teamwork.api';
import { useInvalidate, usePresence, useTeams } from './use-teamwork';

const DAYS = ['1', '2', '3', '4', '5', '6', '7'] as const;
const ZONES = [
  'Europe/Kaliningrad',
  'Europe/Moscow',
  'Europe/Samara',
  'Asia/Yekaterinburg',
  'Asia/Novosibirsk',
  'Asia/Vladivostok',
  'Europe/London',
  'UTC',
];

function useChannelList() {
  const canRead = useHasPermission('channel.read');
  return useQuery({ queryKey: channelKeys.all, queryFn: ({ signal }) => listChannels(signal), enabled: canRead }).data?.items ?? [];
}

/** Teams: members (with presence), channels, assignment rule, capacity, hours; a link to each unassigned queue. */
export function TeamsTab() {
  const { t } = useTranslation();
  const teams = useTeams();
  const canManage = useHasPermission('team.manage');
  const teammates = useTeammates();
  const presence = usePresence();
  const channels = useChannelList();
  const refresh = useInvalidate(teamsKey);
  const [editing, setEditing] = useState<Team | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Team | null>(null);
  const remove = useMutation({
    mutationFn: (id: string) => deleteTeam(id),
    onSuccess: () => {
      setDeleting(null);
      refresh();
    },
    onError: (err) => notifyError(err),
  });

  return (
    <Stack gap="md">
      {canManage && (
        <Group justify="flex-end">
          <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')} data-testid="team-add">
            {t('teamwork.teams.add')}
          </Button>
        </Group>
      )}
      {teams.length === 0 && (
        <Card withBorder>
          <Text c="dimmed" fz="sm">
            {t('teamwork.teams.empty')}
          </Text>
        </Card>
      )}
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        {teams.map((team) => (
          <Card key={team.id} withBorder data-testid="team-card">
            <Group justify="space-between" wrap="nowrap" align="flex-start">
              <div style={{ minWidth: 0 }}>
                <Title order={3} fz="md">
                  {team.name}
                </Title>
                {team.description && (
                  <Text fz="sm" c="dimmed">
                    {team.description}
                  </Text>
                )}
              </div>
              {canManage && (
                <Group gap={2} wrap="nowrap">
                  <ActionIcon
                    variant="subtle"
                    color="gray"
                    aria-label={t('teamwork.teams.edit')}
                    onClick={() => setEditing(team)}
                    data-testid="team-edit"
                  >
                    <IconPencil size={16} />
                  </ActionIcon>
                  <ActionIcon variant="subtle" color="red" aria-label={t('teamwork.teams.delete')} onClick={() => setDeleting(team)}>
                    <IconTrash size={16} />
                  </ActionIcon>
                </Group>
              )}
            </Group>
            <Group gap={6} mt="xs" wrap="wrap">
              <Badge variant="light" tt="none">
                {t(`teamwork.teams.mode.${team.assignment}`)}
              </Badge>
              {team.assignment !== 'manual' && (
                <Badge variant="outline" color="gray" tt="none">
                  {team.capacity ? t('teamwork.teams.perPerson', { count: team.capacity }) : t('teamwork.teams.unlimited')}
                </Badge>
              )}
              {team.workingHours && (
                <Badge variant="outline" color="gray" tt="none">
                  {hoursLabel(team, (d) => t(`teamwork.teams.weekdays.${d}`))}
                </Badge>
              )}
            </Group>
            <Text fz="xs" c="dimmed" mt="sm" tt="uppercase" fw={600}>
              {t('teamwork.teams.members')}
            </Text>
            <Group gap={8} mt={4} wrap="wrap">
              {team.members.length === 0 && (
                <Text fz="sm" c="dimmed">
                  {t('teamwork.teams.noMembers')}
                </Text>
              )}
              {team.members.map((m) => {
                const status = presence.get(m.userId)?.status ?? 'offline';
                return (
                  <Group key={m.userId} gap={4} wrap="nowrap" data-testid="team-member" data-status={status}>
                    <IconCircleFilled
                      size={9}
                      color={`var(--mantine-color-${PRESENCE_COLORS[status]}-6)`}
                      aria-label={t(`teamwork.presence.${status}`)}
                    />
                    <Text fz="sm">{teammates.get(m.userId)?.name ?? '…'}</Text>
                  </Group>
                );
              })}
            </Group>
            <Text fz="xs" c="dimmed" mt="sm" tt="uppercase" fw={600}>
              {t('teamwork.teams.channels')}
            </Text>
            <Text fz="sm" mt={4}>
              {team.channelIds.map((id) => channels.find((c) => c.id === id)?.name ?? '…').join(', ') || t('teamwork.teams.noChannels')}
            </Text>
            <Button
              component={Link}
              to={`/inbox?team=${team.id}&assignee=unassigned&status=queued`}
              variant="light"
              size="xs"
              mt="md"
              data-testid="team-queue"
            >
              {t('teamwork.teams.queue')}
            </Button>
          </Card>
        ))}
      </SimpleGrid>
      {editing && (
        <TeamForm
          initial={editing === 'new' ? null : editing}
          channels={channels.map((c) => ({ value: c.id, label: c.name }))}
          people={[...teammates.values()].map((u) => ({ value: u.id, label: u.name }))}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            notifySuccess(t('teamwork.teams.saved'));
            refresh();
          }}
        />
      )}
      <ConfirmModal
        opened={deleting !== null}
        title={t('teamwork.teams.delete')}
        text={t('teamwork.teams.deleteConfirm', { name: deleting?.name ?? '' })}
        confirmLabel={t('teamwork.teams.delete')}
        loading={remove.isPending}
        onConfirm={() => deleting && remove.mutate(deleting.id)}
        onCancel={() => setDeleting(null)}
      />
    </Stack>
  );
}

function hoursLabel(team: Team, dayName: (d: (typeof DAYS)[number]) => string): string {
  const h = team.workingHours!;
  const days = DAYS.filter((d) => h.days[d]?.length);
  const first = days.map((d) => h.days[d]![0]!)[0];
  return `${days.map(dayName).join(' ')} ${first ? `${first.from}–${first.to}` : ''} (${h.timeZone})`;
}

function TeamForm({
  initial,
  channels,
  people,
  onClose,
  onSaved,
}: {
  initial: Team | null;
  channels: { value: string; label: string }[];
  people: { value: string; label: string }[];
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useTranslation();
  const firstInterval = initial?.workingHours ? Object.values(initial.workingHours.days).find((d) => d?.length)?.[0] : undefined;
  const [name, setName] = useState(initial?.name ?? '');
  const [description, setDescription] = useState(initial?.description ?? '');
  const [assignment, setAssignment] = useState<AssignmentMode>(initial?.assignment ?? 'manual');
  const [capacity, setCapacity] = useState<number | string>(initial?.capacity ?? '');
  const [members, setMembers] = useState<string[]>(initial?.members.map((m) => m.userId) ?? []);
  const [channelIds, setChannelIds] = useState<string[]>(initial?.channelIds ?? []);
  const [withHours, setWithHours] = useState(Boolean(initial?.workingHours));
  const [zone, setZone] = useState(initial?.workingHours?.timeZone ?? personTimeZone(null));
  const [days, setDays] = useState<string[]>(
    initial?.workingHours ? DAYS.filter((d) => initial.workingHours!.days[d]?.length) : ['1', '2', '3', '4', '5'],
  );
  const [from, setFrom] = useState(firstInterval?.from ?? '09:00');
  const [to, setTo] = useState(firstInterval?.to ?? '18:00');
  const [error, setError] = useState<string | null>(null);
  const zones = [...new Set([zone, ...ZONES])];

  const save = useMutation({
    mutationFn: () => {
      const body: SaveTeamRequest = {
        name: name.trim(),
        description: description.trim() || null,
        assignment,
        capacity: typeof capacity === 'number' && capacity > 0 ? capacity : null,
        members: members.map((userId) => ({ userId, capacity: initial?.members.find((m) => m.userId === userId)?.capacity ?? null })),
        channelIds,
        workingHours: withHours ? { timeZone: zone, days: Object.fromEntries(days.map((d) => [d, [{ from, to }]])) } : null,
      };
      return initial ? updateTeam(initial.id, body) : createTeam(body);
    },
    onSuccess: onSaved,
    onError: (err) => setError(errorMessage(err)),
  });

  return (
    <Modal opened onClose={onClose} title={initial ? t('teamwork.teams.edit') : t('teamwork.teams.add')} size="lg">
      <Stack
        gap="sm"
        component="form"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <TextInput
          label={t('teamwork.teams.name')}
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          required
          maxLength={80}
          data-testid="team-name"
        />
        <TextInput
          label={t('teamwork.teams.description')}
          value={description}
          onChange={(e) => setDescription(e.currentTarget.value)}
          maxLength={500}
        />
        <Radio.Group
          label={t('teamwork.teams.assignment')}
          value={assignment}
          onChange={(v) => setAssignment(v as AssignmentMode)}
          data-testid="team-assignment"
        >
          <Stack gap={6} mt={4}>
            {assignmentModes.map((m) => (
              <Radio
                key={m}
                value={m}
                label={t(`teamwork.teams.mode.${m}`)}
                description={t(`teamwork.teams.modeHint.${m}`)}
                data-testid={`team-mode-${m}`}
              />
            ))}
          </Stack>
        </Radio.Group>
        {assignment !== 'manual' && (
          <NumberInput
            label={t('teamwork.teams.capacity')}
            description={t('teamwork.teams.capacityHint')}
            value={capacity}
            onChange={setCapacity}
            min={1}
            max={1000}
            allowDecimal={false}
            data-testid="team-capacity"
          />
        )}
        <MultiSelect
          label={t('teamwork.teams.members')}
          data={people}
          value={members}
          onChange={setMembers}
          searchable
          comboboxProps={{ withinPortal: true }}
          data-testid="team-members"
        />
        <MultiSelect
          label={t('teamwork.teams.channels')}
          description={t('teamwork.teams.channelsHint')}
          data={channels}
          value={channelIds}
          onChange={setChannelIds}
          comboboxProps={{ withinPortal: true }}
          data-testid="team-channels"
        />
        <Switch
          label={withHours ? t('teamwork.teams.hoursOn') : t('teamwork.teams.hoursOff')}
          checked={withHours}
          onChange={(e) => setWithHours(e.currentTarget.checked)}
          data-testid="team-hours"
        />
        {withHours && (
          <Stack gap="xs">
            <Select
              label={t('teamwork.teams.timeZone')}
              data={zones}
              value={zone}
              onChange={(v) => v && setZone(v)}
              searchable
              allowDeselect={false}
            />
            <Chip.Group multiple value={days} onChange={setDays}>
              <Group gap={4}>
                {DAYS.map((d) => (
                  <Chip key={d} value={d} size="xs">
                    {t(`teamwork.teams.weekdays.${d}`)}
                  </Chip>
                ))}
              </Group>
            </Chip.Group>
            <Group grow>
              <TextInput type="time" label={t('teamwork.teams.from')} value={from} onChange={(e) => setFrom(e.currentTarget.value)} />
              <TextInput type="time" label={t('teamwork.teams.to')} value={to} onChange={(e) => setTo(e.currentTarget.value)} />
            </Group>
          </Stack>
        )}
        {error && (
          <Text c="red" fz="sm" role="alert">
            {error}
          </Text>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Tooltip label={t('teamwork.teams.name')} disabled={Boolean(name.trim())}>
            <Button type="submit" loading={save.isPending} disabled={!name.trim()} data-testid="team-save">
              {t('common.save')}
            </Button>
          </Tooltip>
        </Group>
      </Stack>
    </Modal>
  );
}
