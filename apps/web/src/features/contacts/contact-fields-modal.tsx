import { ActionIcon, Button, Group, Modal, Select, Stack, Table, Text, Textarea, TextInput } from '@mantine/core';
import { attributeTypes, type AttributeType } from '@switchboard/shared';
import { IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { notifyError } from '../../lib/notify';
import { useContactFields, useCreateField, useDeleteField } from './contacts.api';

/** The account's custom contact fields: list, add, delete. */
export function ContactFieldsModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const fields = useContactFields();
  const create = useCreateField();
  const remove = useDeleteField();
  const [key, setKey] = useState('');
  const [label, setLabel] = useState('');
  const [type, setType] = useState<AttributeType>('text');
  const [options, setOptions] = useState('');
  const add = () =>
    create.mutate(
      {
        key: key.trim(),
        label: label.trim(),
        type,
        options:
          type === 'list'
            ? options
                .split('\n')
                .map((o) => o.trim())
                .filter(Boolean)
            : [],
      },
      {
        onSuccess: () => {
          setKey('');
          setLabel('');
          setOptions('');
        },
        onError: (e) => notifyError(e),
      },
    );
  return (
    <Modal opened={opened} onClose={onClose} title={t('contacts.fields')} size="lg" centered>
      <Stack gap="sm">
        <Text fz="sm" c="dimmed">
          {t('contacts.fieldsHelp')}
        </Text>
        {fields.data?.length ? (
          <Table>
            <Table.Tbody>
              {fields.data.map((f) => (
                <Table.Tr key={f.id}>
                  <Table.Td>{f.label}</Table.Td>
                  <Table.Td>
                    <Text fz="xs" c="dimmed">
                      {f.key} · {t(`contacts.types.${f.type}`)}
                      {f.options.length ? ` (${f.options.join(', ')})` : ''}
                    </Text>
                  </Table.Td>
                  <Table.Td w={40}>
                    <ActionIcon variant="subtle" color="red" aria-label={t('contacts.deleteField')} onClick={() => remove.mutate(f.id)}>
                      <IconTrash size={16} />
                    </ActionIcon>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        ) : (
          <Text fz="sm">{t('contacts.noFields')}</Text>
        )}
        <form
          onSubmit={(e) => {
            e.preventDefault();
            add();
          }}
        >
          <Group align="flex-end" gap="xs" wrap="wrap">
            <TextInput
              label={t('contacts.fieldLabel')}
              value={label}
              onChange={(e) => setLabel(e.currentTarget.value)}
              w={180}
              required
              data-testid="field-label"
            />
            <TextInput
              label={t('contacts.fieldKey')}
              value={key}
              onChange={(e) => setKey(e.currentTarget.value)}
              w={140}
              required
              placeholder="city"
              data-testid="field-key"
            />
            <Select
              label={t('contacts.fieldType')}
              data={attributeTypes.map((v) => ({ value: v, label: t(`contacts.types.${v}`) }))}
              value={type}
              onChange={(v) => v && setType(v as AttributeType)}
              allowDeselect={false}
              w={140}
            />
            <Button type="submit" loading={create.isPending} data-testid="field-add">
              {t('contacts.addField')}
            </Button>
          </Group>
          {type === 'list' && (
            <Textarea
              mt="xs"
              label={t('contacts.fieldOptions')}
              value={options}
              onChange={(e) => setOptions(e.currentTarget.value)}
              autosize
              minRows={2}
            />
          )}
        </form>
      </Stack>
    </Modal>
  );
}
