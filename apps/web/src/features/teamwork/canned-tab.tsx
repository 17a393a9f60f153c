import {
  ActionIcon,
  Badge,
  Button,
  Card,
  Code,
  Group,
  Modal,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import type { CannedResponse } from '@switchboard/shared';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmModal } from '../../components/confirm-modal';
import { errorMessage, notifyError } from '../../lib/notify';
import { useHasPermission } from '../auth/permissions';
import { useMe } from '../auth/use-session';
import { cannedKey, createCanned, deleteCanned, updateCanned, type CannedInput } from './teamwork.api';
import { useCanned, useInvalidate } from './use-teamwork';

const VARIABLES = ['{{contact.name}}', '{{agent.name}}', '{{conversation.number}}'];

/** Canned responses: shared ones (canned.manage) and my own; `/shortcut` in the reply box inserts them. */
export function CannedTab() {
  const { t } = useTranslation();
  const me = useMe();
  const canned = useCanned();
  const canShare = useHasPermission('canned.manage');
  const refresh = useInvalidate(cannedKey);
  const [editing, setEditing] = useState<CannedResponse | 'new' | null>(null);
  const [deleting, setDeleting] = useState<CannedResponse | null>(null);
  const [q, setQ] = useState('');
  const remove = useMutation({
    mutationFn: (id: string) => deleteCanned(id),
    onSuccess: () => {
      setDeleting(null);
      refresh();
    },
    onError: (err) => notifyError(err),
  });
  const editable = (c: CannedResponse) => (c.shared ? canShare : c.ownerUserId === me.id);
  const query = q.trim().toLowerCase();
  const items = (canned.data ?? []).filter(
    (c) => !query || c.shortcut.toLowerCase().includes(query) || c.text.toLowerCase().includes(query),
  );

  return (
    <Card withBorder>
      <Group justify="space-between" mb="md" wrap="wrap" gap="sm">
        <TextInput
          placeholder={t('teamwork.canned.search')}
          value={q}
          onChange={(e) => setQ(e.currentTarget.value)}
          style={{ flex: '1 1 220px' }}
          maw={360}
        />
        <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')} data-testid="canned-add">
          {t('teamwork.canned.add')}
        </Button>
      </Group>
      {items.length === 0 ? (
        <Text c="dimmed" fz="sm">
          {t('teamwork.canned.empty')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={0}>
          <Table verticalSpacing={6} data-testid="canned-table">
            <Table.Tbody>
              {items.map((c) => (
                <Table.Tr key={c.id} data-testid="canned-row">
                  <Table.Td w={130}>
                    <Text fw={600} fz="sm">
                      /{c.shortcut}
                    </Text>
                    <Group gap={4} mt={2}>
                      <Badge size="xs" variant="light" color={c.shared ? 'blue' : 'gray'} tt="none">
                        {c.shared ? t('teamwork.canned.shared') : t('teamwork.canned.personal')}
                      </Badge>
                      {c.language && (
                        <Badge size="xs" variant="outline" color="gray">
                          {c.language}
                        </Badge>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Text fz="sm" lineClamp={3} style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                      {c.text}
                    </Text>
                  </Table.Td>
                  <Table.Td w={80}>
                    {editable(c) && (
                      <Group gap={2} wrap="nowrap">
                        <ActionIcon variant="subtle" color="gray" aria-label={t('teamwork.canned.edit')} onClick={() => setEditing(c)}>
                          <IconPencil size={16} />
                        </ActionIcon>
                        <ActionIcon variant="subtle" color="red" aria-label={t('teamwork.canned.delete')} onClick={() => setDeleting(c)}>
                          <IconTrash size={16} />
                        </ActionIcon>
                      </Group>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {editing && (
        <CannedForm
          initial={editing === 'new' ? null : editing}
          canShare={canShare}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            refresh();
          }}
        />
      )}
      <ConfirmModal
        opened={deleting !== null}
        title={t('teamwork.canned.delete')}
        text={`/${deleting?.shortcut ?? ''}`}
        confirmLabel={t('teamwork.canned.delete')}
        loading={remove.isPending}
        onConfirm={() => deleting && remove.mutate(deleting.id)}
        onCancel={() => setDeleting(null)}
      />
    </Card>
  );
}

function CannedForm({
  initial,
  canShare,
  onClose,
  onSaved,
}: {
  initial: CannedResponse | null;
  canShare: boolean;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useTranslation();
  const [shortcut, setShortcut] = useState(initial?.shortcut ?? '');
  const [text, setText] = useState(initial?.text ?? '');
  const [language, setLanguage] = useState<string>(initial?.language ?? 'any');
  const [shared, setShared] = useState(initial ? initial.shared : canShare);
  const [error, setError] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: () => {
      const body: CannedInput = { shortcut: shortcut.trim(), text, language: language === 'any' ? null : (language as 'ru' | 'en') };
      return initial ? updateCanned(initial.id, body) : createCanned({ ...body, shared });
    },
    onSuccess: onSaved,
    onError: (err) => setError(errorMessage(err)),
  });
  return (
    <Modal opened onClose={onClose} title={initial ? t('teamwork.canned.edit') : t('teamwork.canned.add')} size="lg">
      <Stack
        gap="sm"
        component="form"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <Group grow align="flex-start" wrap="wrap">
          <TextInput
            label={t('teamwork.canned.shortcut')}
            description={t('teamwork.canned.shortcutHint')}
            leftSection="/"
            value={shortcut}
            onChange={(e) => setShortcut(e.currentTarget.value.replace(/\s/g, ''))}
            maxLength={40}
            required
            data-testid="canned-shortcut"
          />
          <Select
            label={t('teamwork.canned.language')}
            value={language}
            onChange={(v) => v && setLanguage(v)}
            allowDeselect={false}
            data={[
              { value: 'any', label: t('teamwork.canned.anyLanguage') },
              { value: 'ru', label: 'Русский' },
              { value: 'en', label: 'English' },
            ]}
            data-testid="canned-language"
          />
        </Group>
        {!initial && canShare && (
          <SegmentedControl
            value={shared ? 'shared' : 'personal'}
            onChange={(v) => setShared(v === 'shared')}
            data={[
              { value: 'shared', label: t('teamwork.canned.shared') },
              { value: 'personal', label: t('teamwork.canned.personal') },
            ]}
            data-testid="canned-scope"
          />
        )}
        <Textarea
          label={t('teamwork.canned.text')}
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          autosize
          minRows={4}
          maxRows={12}
          maxLength={4096}
          required
          data-testid="canned-text"
        />
        <Group gap={6} wrap="wrap">
          <Text fz="xs" c="dimmed">
            {t('teamwork.canned.textHint')}
          </Text>
          {VARIABLES.map((v) => (
            <Code key={v} style={{ cursor: 'pointer' }} onClick={() => setText((x) => `${x}${v}`)}>
              {v}
            </Code>
          ))}
        </Group>
        {error && (
          <Text c="red" fz="sm" role="alert">
            {error}
          </Text>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={save.isPending} disabled={!shortcut.trim() || !text.trim()} data-testid="canned-save">
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
