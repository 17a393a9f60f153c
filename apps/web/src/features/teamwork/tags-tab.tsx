import { ActionIcon, Badge, Button, Card, ColorSwatch, Group, Menu, Select, Table, Text, TextInput, Tooltip } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { tagColors, type Tag } from '@switchboard/shared';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmModal } from '../../components/confirm-modal';
import { notifyError } from '../../lib/notify';
import { useHasPermission } from '../auth/permissions';
import { createTag, deleteTag, tagsKey, updateTag } from './teamwork.api';
import { useInvalidate, useTags } from './use-teamwork';

/** Tags of the account: add, rename, recolour, delete (with `tag.manage`); everyone sees the list. */
export function TagsTab() {
  const { t } = useTranslation();
  const tags = useTags();
  const canManage = useHasPermission('tag.manage');
  const refresh = useInvalidate(tagsKey);
  const [name, setName] = useState('');
  const [color, setColor] = useState<string>('blue');
  const [deleting, setDeleting] = useState<Tag | null>(null);
  const create = useMutation({
    mutationFn: () => createTag({ name: name.trim(), color }),
    onSuccess: () => {
      setName('');
      refresh();
    },
    onError: (err) => notifyError(err),
  });
  const update = useMutation({
    mutationFn: (v: { id: string; name?: string; color?: string }) => updateTag(v.id, v),
    onSuccess: refresh,
    onError: (err) => notifyError(err),
  });
  const remove = useMutation({
    mutationFn: (id: string) => deleteTag(id),
    onSuccess: () => {
      setDeleting(null);
      refresh();
    },
    onError: (err) => notifyError(err),
  });
  const colors = tagColors.map((c) => ({ value: c, label: c }));

  return (
    <Card withBorder>
      {canManage ? (
        <Group
          align="flex-end"
          gap="sm"
          mb="md"
          wrap="wrap"
          component="form"
          onSubmit={(e) => {
            e.preventDefault();
            if (name.trim()) create.mutate();
          }}
        >
          <TextInput
            label={t('teamwork.tags.name')}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            maxLength={50}
            data-testid="tag-name"
            style={{ flex: '1 1 200px' }}
          />
          <Select
            label={t('teamwork.tags.color')}
            data={colors}
            value={color}
            onChange={(v) => v && setColor(v)}
            w={140}
            allowDeselect={false}
            leftSection={<ColorSwatch color={`var(--mantine-color-${color}-6)`} size={14} />}
            renderOption={({ option }) => (
              <Group gap={6}>
                <ColorSwatch color={`var(--mantine-color-${option.value}-6)`} size={14} />
                {option.label}
              </Group>
            )}
            data-testid="tag-color"
          />
          <Button
            type="submit"
            leftSection={<IconPlus size={16} />}
            disabled={!name.trim()}
            loading={create.isPending}
            data-testid="tag-add"
          >
            {t('teamwork.tags.add')}
          </Button>
        </Group>
      ) : (
        <Text fz="sm" c="dimmed" mb="sm">
          {t('teamwork.tags.manageHint')}
        </Text>
      )}
      {tags.length === 0 ? (
        <Text c="dimmed" fz="sm">
          {t('teamwork.tags.empty')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={320}>
          <Table verticalSpacing={6} data-testid="tags-table">
            <Table.Tbody>
              {tags.map((tag) => (
                <Table.Tr key={tag.id} data-testid="tag-row">
                  <Table.Td>
                    {canManage ? (
                      <TextInput
                        size="xs"
                        defaultValue={tag.name}
                        aria-label={t('teamwork.tags.rename')}
                        onBlur={(e) =>
                          e.currentTarget.value.trim() &&
                          e.currentTarget.value.trim() !== tag.name &&
                          update.mutate({ id: tag.id, name: e.currentTarget.value.trim() })
                        }
                        onKeyDown={(e) => e.key === 'Enter' && e.currentTarget.blur()}
                        maw={260}
                      />
                    ) : (
                      <Badge variant="light" color={tag.color} tt="none">
                        {tag.name}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td w={120}>
                    {canManage ? (
                      <Menu withinPortal>
                        <Menu.Target>
                          <Badge variant="light" color={tag.color} tt="none" style={{ cursor: 'pointer' }}>
                            {tag.color}
                          </Badge>
                        </Menu.Target>
                        <Menu.Dropdown>
                          {tagColors.map((c) => (
                            <Menu.Item
                              key={c}
                              leftSection={<ColorSwatch color={`var(--mantine-color-${c}-6)`} size={12} />}
                              onClick={() => update.mutate({ id: tag.id, color: c })}
                            >
                              {c}
                            </Menu.Item>
                          ))}
                        </Menu.Dropdown>
                      </Menu>
                    ) : (
                      <ColorSwatch color={`var(--mantine-color-${tag.color}-6)`} size={14} />
                    )}
                  </Table.Td>
                  <Table.Td w={44}>
                    {canManage && (
                      <Tooltip label={t('teamwork.tags.delete')}>
                        <ActionIcon variant="subtle" color="red" aria-label={t('teamwork.tags.delete')} onClick={() => setDeleting(tag)}>
                          <IconTrash size={16} />
                        </ActionIcon>
                      </Tooltip>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <ConfirmModal
        opened={deleting !== null}
        title={t('teamwork.tags.delete')}
        text={t('teamwork.tags.deleteConfirm', { name: deleting?.name ?? '' })}
        confirmLabel={t('teamwork.tags.delete')}
        loading={remove.isPending}
        onConfirm={() => deleting && remove.mutate(deleting.id)}
        onCancel={() => setDeleting(null)}
      />
    </Card>
  );
}
