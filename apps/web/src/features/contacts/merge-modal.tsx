import { Button, Group, Modal, Select, Stack, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import type { ContactSummary } from '@switchboard/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { notifyError, notifySuccess } from '../../lib/notify';
import { contactTitle } from './contact-bits';
import { useContacts, useMergeContacts } from './contacts.api';

type Named = Pick<ContactSummary, 'id' | 'name' | 'handles' | 'phones' | 'emails'>;

/** Asks before merging `source` into `target` (what moves, and that it is audited). */
export function MergeConfirm({ target, source, onClose }: { target: Named; source: Named; onClose: () => void }) {
  const { t } = useTranslation();
  const merge = useMergeContacts();
  const names = { target: contactTitle(target, t('contacts.noName')), source: contactTitle(source, t('contacts.noName')) };
  return (
    <Modal opened onClose={onClose} title={t('contacts.mergeTitle')} centered>
      <Stack gap="sm">
        <Text fw={500}>{t('contacts.mergeInto', names)}</Text>
        <Text fz="sm" c="dimmed">
          {t('contacts.mergeHelp', names)}
        </Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button
            loading={merge.isPending}
            data-testid="merge-confirm"
            onClick={() =>
              merge.mutate(
                { targetId: target.id, sourceId: source.id },
                {
                  onSuccess: () => {
                    notifySuccess(t('contacts.merged'));
                    onClose();
                  },
                  onError: (e) => notifyError(e),
                },
              )
            }
          >
            {t('contacts.merge')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** Picks another contact (by search) to merge into `target`, then confirms. */
export function MergeModal({ target, onClose }: { target: Named; onClose: () => void }) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [debounced] = useDebouncedValue(q, 250);
  const found = useContacts({ q: debounced, channelId: null, blocked: null, sort: 'last_seen' });
  const [picked, setPicked] = useState<Named | null>(null);
  if (picked) return <MergeConfirm target={target} source={picked} onClose={onClose} />;
  const options = found.items.filter((c) => c.id !== target.id);
  return (
    <Modal opened onClose={onClose} title={t('contacts.mergeTitle')} centered>
      <Select
        label={t('contacts.mergePick')}
        placeholder={t('contacts.mergePickPlaceholder')}
        searchable
        searchValue={q}
        onSearchChange={setQ}
        filter={({ options: o }) => o}
        data={options.map((c) => ({
          value: c.id,
          label: `${contactTitle(c, t('contacts.noName'))}${c.phones[0] ? ` · ${c.phones[0]}` : ''}`,
        }))}
        onChange={(id) => setPicked(options.find((c) => c.id === id) ?? null)}
        data-testid="merge-pick"
        comboboxProps={{ withinPortal: false }}
      />
    </Modal>
  );
}
