import {
  ActionIcon,
  Alert,
  Button,
  Card,
  Center,
  Checkbox,
  Group,
  Loader,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Title,
  Tooltip,
} from '@mantine/core';
import { IconAlertCircle, IconPlus, IconTrash } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmModal } from '../../components/confirm-modal';
import { errorMessage } from '../../lib/notify';
import type { Category } from './ai.api';
import { useCategories, useCreateCategory, useDeleteCategory, useUpdateCategory } from './use-ai';

/** The account's conversation categories; an "always human" one is never answered by the bot. */
export function CategoriesPanel({ canManage }: { canManage: boolean }) {
  const { t } = useTranslation();
  const categories = useCategories();
  const update = useUpdateCategory();
  const remove = useDeleteCategory();
  const [deleting, setDeleting] = useState<Category | null>(null);

  return (
    <Card withBorder padding="lg" data-testid="categories-panel">
      <Title order={2} fz="lg">
        {t('ai.categories.title')}
      </Title>
      <Text fz="sm" c="dimmed" mb="md">
        {t('ai.categories.description')}
      </Text>
      {canManage && <AddCategoryForm />}
      {categories.isPending && (
        <Center py="md">
          <Loader size="sm" aria-label={t('common.loading')} />
        </Center>
      )}
      {categories.isError && <Alert color="red">{errorMessage(categories.error)}</Alert>}
      {categories.isSuccess && categories.data.items.length === 0 && (
        <Text c="dimmed" fz="sm" mt="md" data-testid="categories-empty">
          {t('ai.categories.empty')}
        </Text>
      )}
      {categories.isSuccess && categories.data.items.length > 0 && (
        <Table mt="md" verticalSpacing="xs" data-testid="category-list">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('ai.categories.name')}</Table.Th>
              <Table.Th>{t('ai.categories.alwaysHuman')}</Table.Th>
              <Table.Th w={48} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {categories.data.items.map((c) => (
              <Table.Tr key={c.id} data-testid="category-row">
                <Table.Td fz="sm" fw={500}>
                  {c.name}
                </Table.Td>
                <Table.Td>
                  <Switch
                    size="sm"
                    aria-label={t('ai.categories.alwaysHumanFor', { name: c.name })}
                    checked={c.alwaysHuman}
                    disabled={!canManage || (update.isPending && update.variables.id === c.id)}
                    onChange={(e) => update.mutate({ id: c.id, alwaysHuman: e.currentTarget.checked })}
                  />
                </Table.Td>
                <Table.Td>
                  {canManage && (
                    <Tooltip label={t('ai.categories.delete')}>
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        aria-label={t('ai.categories.deleteNamed', { name: c.name })}
                        onClick={() => setDeleting(c)}
                      >
                        <IconTrash size={16} />
                      </ActionIcon>
                    </Tooltip>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <ConfirmModal
        opened={deleting !== null}
        title={t('ai.categories.deleteTitle', { name: deleting?.name ?? '' })}
        text={t('ai.categories.deleteText')}
        confirmLabel={t('ai.categories.delete')}
        loading={remove.isPending}
        onCancel={() => setDeleting(null)}
        onConfirm={() => deleting && remove.mutate(deleting.id, { onSuccess: () => setDeleting(null) })}
      />
    </Card>
  );
}

function AddCategoryForm() {
  const { t } = useTranslation();
  const create = useCreateCategory();
  const [name, setName] = useState('');
  const [alwaysHuman, setAlwaysHuman] = useState(false);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) return;
    create.mutate(
      { name: name.trim(), alwaysHuman },
      {
        onSuccess: () => {
          setName('');
          setAlwaysHuman(false);
        },
      },
    );
  };

  return (
    <form onSubmit={submit} noValidate data-testid="category-add-form">
      <Stack gap="xs">
        <Group align="flex-end" gap="sm">
          <TextInput
            flex="1 1 220px"
            label={t('ai.categories.newName')}
            placeholder={t('ai.categories.newNamePlaceholder')}
            maxLength={100}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            data-testid="category-name-input"
          />
          <Checkbox
            mb={8}
            label={t('ai.categories.alwaysHuman')}
            checked={alwaysHuman}
            onChange={(e) => setAlwaysHuman(e.currentTarget.checked)}
          />
          <Button
            type="submit"
            leftSection={<IconPlus size={16} />}
            loading={create.isPending}
            disabled={!name.trim()}
            data-testid="category-add"
          >
            {t('ai.categories.add')}
          </Button>
        </Group>
        {create.isError && (
          <Alert color="red" icon={<IconAlertCircle size={18} />} role="alert">
            {errorMessage(create.error)}
          </Alert>
        )}
      </Stack>
    </form>
  );
}
