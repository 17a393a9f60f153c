import { Button, Checkbox, Group, Menu, Paper, Text } from '@mantine/core';
import { IconCheck, IconTags, IconUser, IconX } from '@tabler/icons-react';
import type { BulkAction } from '@switchboard/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useHasPermission } from '../auth/permissions';
import { useMe } from '../auth/use-session';
import { useTeammates } from '../conversation/use-messages';
import { conversationKeys } from '../inbox/conversations.api';
import { errorMessage, notifyError, notifySuccess } from '../../lib/notify';
import { bulkAction } from './teamwork.api';
import { SnoozeMenu } from './snooze-menu';
import { useTags } from './use-teamwork';

/** The tick box in front of a conversation in the list. */
export function SelectBox({ id, checked, onCheck }: { id: string; checked: boolean; onCheck: (id: string, on: boolean) => void }) {
  const { t } = useTranslation();
  return (
    <div style={{ display: 'flex', alignItems: 'center', paddingLeft: 8, borderBottom: '1px solid var(--mantine-color-default-border)' }}>
      <Checkbox
        size="xs"
        checked={checked}
        onChange={(e) => onCheck(id, e.currentTarget.checked)}
        aria-label={t('teamwork.bulk.select')}
        data-testid="conversation-check"
      />
    </div>
  );
}

/** Actions on the ticked conversations: assign, tag, resolve, snooze — one request, a result per conversation. */
export function BulkBar({ ids, onDone, onClear }: { ids: string[]; onDone: () => void; onClear: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const me = useMe();
  const tags = useTags();
  const canOthers = useHasPermission('conversation.assign_others');
  const teammates = [...useTeammates().values()].filter((u) => u.id !== me.id);
  const run = useMutation({
    mutationFn: (action: BulkAction) => bulkAction(ids, action),
    onSuccess: (res) => {
      const failed = res.results.filter((r) => !r.ok);
      const done = res.results.length - failed.length;
      if (failed.length === 0) notifySuccess(t('teamwork.bulk.done', { count: done }));
      else {
        const code = failed[0]?.error?.code;
        const reason = t(
          `teamwork.bulk.reasons.${code === 'forbidden' || code === 'not_found' || code === 'snooze_in_past' ? code : 'other'}`,
        );
        notifyError(new Error(t('teamwork.bulk.partly', { done, failed: failed.length, reason })));
      }
      void qc.invalidateQueries({ queryKey: conversationKeys.all });
      onDone();
    },
    onError: (err) => notifyError(new Error(errorMessage(err))),
  });

  return (
    <Paper
      px="sm"
      py={6}
      radius={0}
      withBorder
      style={{ borderLeft: 0, borderRight: 0 }}
      bg="var(--mantine-primary-color-light)"
      data-testid="bulk-bar"
    >
      <Group justify="space-between" gap={6} wrap="wrap">
        <Text fz="sm" fw={600} data-testid="bulk-count">
          {t('teamwork.bulk.selected', { count: ids.length })}
        </Text>
        <Group gap={4} wrap="wrap">
          <Menu withinPortal position="bottom-end">
            <Menu.Target>
              <Button size="compact-xs" variant="default" leftSection={<IconUser size={14} />} data-testid="bulk-assign">
                {t('teamwork.bulk.assign')}
              </Button>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Item onClick={() => run.mutate({ kind: 'assign', assigneeId: me.id })} data-testid="bulk-assign-me">
                {t('teamwork.bulk.assignMe')}
              </Menu.Item>
              {canOthers &&
                teammates.map((u) => (
                  <Menu.Item key={u.id} onClick={() => run.mutate({ kind: 'assign', assigneeId: u.id })}>
                    {u.name}
                  </Menu.Item>
                ))}
              <Menu.Item onClick={() => run.mutate({ kind: 'assign', assigneeId: null })}>{t('teamwork.bulk.nobody')}</Menu.Item>
            </Menu.Dropdown>
          </Menu>
          {tags.length > 0 && (
            <Menu withinPortal position="bottom-end">
              <Menu.Target>
                <Button size="compact-xs" variant="default" leftSection={<IconTags size={14} />} data-testid="bulk-tag">
                  {t('teamwork.bulk.tag')}
                </Button>
              </Menu.Target>
              <Menu.Dropdown>
                {tags.map((tag) => (
                  <Menu.Item
                    key={tag.id}
                    c={tag.color}
                    onClick={() => run.mutate({ kind: 'tag', add: [tag.id], remove: [] })}
                    data-testid="bulk-tag-option"
                  >
                    {tag.name}
                  </Menu.Item>
                ))}
              </Menu.Dropdown>
            </Menu>
          )}
          <Button
            size="compact-xs"
            color="green"
            leftSection={<IconCheck size={14} />}
            loading={run.isPending && run.variables.kind === 'resolve'}
            onClick={() => run.mutate({ kind: 'resolve' })}
            data-testid="bulk-resolve"
          >
            {t('teamwork.bulk.resolve')}
          </Button>
          <SnoozeMenu testId="bulk-snooze" onSnooze={(until) => run.mutate({ kind: 'snooze', until })} />
          <Button
            size="compact-xs"
            variant="subtle"
            color="gray"
            onClick={onClear}
            aria-label={t('teamwork.bulk.clear')}
            data-testid="bulk-clear"
          >
            <IconX size={14} />
          </Button>
        </Group>
      </Group>
    </Paper>
  );
}
