import { Alert, Button, FileInput, Group, List, Modal, Stack, Text } from '@mantine/core';
import type { ContactImportError } from '@switchboard/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/api-error';
import { notifyError, notifySuccess } from '../../lib/notify';
import { useImportContacts } from './contacts.api';

/** CSV import: all rows or none; the server's per-row problems are listed by line and column. */
export function ImportModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const run = useImportContacts();
  const [file, setFile] = useState<File | null>(null);
  const [errors, setErrors] = useState<ContactImportError[]>([]);
  const close = () => {
    setFile(null);
    setErrors([]);
    onClose();
  };
  const submit = async () => {
    if (!file) return;
    setErrors([]);
    run.mutate(await file.text(), {
      onSuccess: (r) => {
        notifySuccess(t('contacts.imported', { count: r.imported }));
        close();
      },
      onError: (e) => {
        const details = e instanceof ApiError ? (e.details as { errors?: ContactImportError[] } | undefined) : undefined;
        if (details?.errors) setErrors(details.errors);
        else notifyError(e);
      },
    });
  };
  return (
    <Modal opened={opened} onClose={close} title={t('contacts.importTitle')} size="lg" centered>
      <Stack gap="sm">
        <Text fz="sm" c="dimmed">
          {t('contacts.importHelp')}
        </Text>
        <FileInput label={t('contacts.importFile')} accept=".csv,text/csv" value={file} onChange={setFile} data-testid="import-file" />
        {errors.length > 0 && (
          <Alert color="red" title={t('contacts.importErrors')} data-testid="import-errors">
            <List size="sm" spacing={2}>
              {errors.map((e, i) => (
                <List.Item key={i}>
                  {t('contacts.importLine', { line: e.line })}
                  {e.column ? ` · ${e.column}` : ''}: {e.message}
                </List.Item>
              ))}
            </List>
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            {t('common.cancel')}
          </Button>
          <Button disabled={!file} loading={run.isPending} onClick={() => void submit()} data-testid="import-run">
            {t('contacts.importRun')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
