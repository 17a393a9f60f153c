import { Alert, Button, Code, FileInput, Group, Modal, ScrollArea, Stack, Table, Text } from '@mantine/core';
import { IconAlertCircle, IconCircleCheck, IconFileSpreadsheet } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../lib/notify';
import { fileExtension, IMPORT_EXTENSIONS, type FaqImportResult } from './knowledge.api';
import { useImportFaq } from './use-knowledge';

/** Bulk FAQ import from CSV/XLSX; stays open to show what was created and which rows were skipped. */
export function FaqImportModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const importer = useImportFaq();
  const [file, setFile] = useState<File | null>(null);
  const wrongType = file && !(IMPORT_EXTENSIONS as readonly string[]).includes(fileExtension(file.name));

  const clear = () => {
    importer.reset();
    setFile(null);
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (file && !wrongType) importer.mutate(file);
  };

  return (
    <Modal opened={opened} onClose={onClose} onExitTransitionEnd={clear} title={t('knowledge.import.title')} centered size="lg">
      {importer.data ? (
        <ImportResult result={importer.data} onDone={onClose} onAgain={clear} />
      ) : (
        <form onSubmit={submit} noValidate data-testid="faq-import-form">
          <Stack>
            <Text fz="sm">{t('knowledge.import.help')}</Text>
            <Code block>
              {'question,answer,alternatives,category\n"How long is delivery?","2–3 days","delivery time|when will it arrive",Delivery'}
            </Code>
            <Text fz="xs" c="dimmed">
              {t('knowledge.import.helpColumns')}
            </Text>
            {importer.isError && (
              <Alert color="red" icon={<IconAlertCircle size={18} />} role="alert">
                {errorMessage(importer.error)}
              </Alert>
            )}
            <FileInput
              label={t('knowledge.import.file')}
              placeholder={t('knowledge.upload.choose')}
              accept={IMPORT_EXTENSIONS.join(',')}
              leftSection={<IconFileSpreadsheet size={16} />}
              clearable
              value={file}
              onChange={setFile}
              error={wrongType ? t('knowledge.upload.wrongType', { types: IMPORT_EXTENSIONS.join(' ') }) : undefined}
              data-testid="faq-import-file-input"
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={onClose}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" loading={importer.isPending} disabled={!file || Boolean(wrongType)} data-testid="faq-import-submit">
                {t('knowledge.import.submit')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}

function ImportResult({ result, onDone, onAgain }: { result: FaqImportResult; onDone: () => void; onAgain: () => void }) {
  const { t } = useTranslation();
  return (
    <Stack data-testid="faq-import-result">
      <Alert
        color={result.errors.length === 0 ? 'green' : 'orange'}
        icon={result.errors.length === 0 ? <IconCircleCheck size={18} /> : <IconAlertCircle size={18} />}
        title={t('knowledge.import.created', { count: result.created })}
      >
        {result.errors.length > 0 ? t('knowledge.import.skipped', { count: result.errors.length }) : t('knowledge.import.allGood')}
      </Alert>
      {result.errors.length > 0 && (
        <ScrollArea.Autosize mah={300}>
          <Table striped data-testid="faq-import-errors">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={80}>{t('knowledge.import.row')}</Table.Th>
                <Table.Th>{t('knowledge.import.problem')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {result.errors.map((e, i) => (
                <Table.Tr key={`${e.row}-${i}`}>
                  <Table.Td>{e.row}</Table.Td>
                  <Table.Td fz="sm">{e.message}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea.Autosize>
      )}
      <Group justify="flex-end">
        <Button variant="default" onClick={onAgain}>
          {t('knowledge.import.another')}
        </Button>
        <Button onClick={onDone} data-testid="faq-import-done">
          {t('knowledge.import.done')}
        </Button>
      </Group>
    </Stack>
  );
}
