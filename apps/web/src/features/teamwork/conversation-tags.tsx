import { ActionIcon, Checkbox, Popover, Stack, Text, TextInput, Tooltip } from '@mantine/core';
import { IconTags } from '@tabler/icons-react';
import type { Conversation } from '@switchboard/shared';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useHasPermission } from '../auth/permissions';
import { errorMessage } from '../../lib/notify';
import { createTag, tagsKey } from './teamwork.api';
import { useSetConversationTags, useTags } from './use-teamwork';

/** Edits the tags of a conversation: tick existing ones; people who manage tags may type a new one. */
export function ConversationTagsButton({ conversation: c }: { conversation: Conversation }) {
  const { t } = useTranslation();
  const tags = useTags();
  const qc = useQueryClient();
  const canManage = useHasPermission('tag.manage');
  const set = useSetConversationTags(c.id);
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const toggle = (id: string, on: boolean) => set.mutate(on ? [...c.tagIds, id] : c.tagIds.filter((x) => x !== id));

  const addNew = async () => {
    const trimmed = name.trim();
    if (!trimmed) return;
    try {
      const tag = await createTag({ name: trimmed, color: 'blue' });
      await qc.invalidateQueries({ queryKey: tagsKey });
      set.mutate([...c.tagIds, tag.id]);
      setName('');
      setError(null);
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  return (
    <Popover position="bottom-end" width={240} withinPortal shadow="md">
      <Popover.Target>
        <Tooltip label={t('teamwork.tags.edit')}>
          <ActionIcon variant="default" size={30} aria-label={t('teamwork.tags.edit')} data-testid="conversation-tags-button">
            <IconTags size={16} />
          </ActionIcon>
        </Tooltip>
      </Popover.Target>
      <Popover.Dropdown>
        <Stack gap={6} mah={320} style={{ overflowY: 'auto' }} data-testid="conversation-tags-picker">
          {tags.length === 0 && (
            <Text fz="sm" c="dimmed">
              {t('teamwork.tags.empty')}
            </Text>
          )}
          {tags.map((tag) => (
            <Checkbox
              key={tag.id}
              label={tag.name}
              color={tag.color}
              checked={c.tagIds.includes(tag.id)}
              onChange={(e) => toggle(tag.id, e.currentTarget.checked)}
              data-testid="tag-option"
            />
          ))}
          {canManage && (
            <TextInput
              size="xs"
              placeholder={t('teamwork.tags.add')}
              value={name}
              error={error}
              onChange={(e) => setName(e.currentTarget.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter') {
                  e.preventDefault();
                  void addNew();
                }
              }}
              data-testid="new-tag-input"
            />
          )}
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
