import { Alert, Button, FileInput, Group, Modal, Progress, Stack, Switch, Text } from '@mantine/core';
import { IconAlertCircle, IconUpload } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { formatBytes } from '../../lib/format';
import { errorMessage, notifySuccess } from '../../lib/notify';
import { CategoryInput } from './category-input';
import { DOCUMENT_EXTENSIONS, DOCUMENT_MAX_BYTES, fileExtension } from './knowledge.api';
import { useUploadDocument } from './use-knowledge';

/** Uploads one document with a progress bar; the server's reason (e.g. an unreadable PDF) is shown as is. */
export function DocumentUploadModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const [progress, setProgress] = useState(0);
  const upload = useUploadDocument(setProgress);
  const [file, setFile] = useState<File | null>(null);
  const [category, setCategory] = useState('');
  const [published, setPublished] = useState(true);

  const fileError = !file
    ? undefined
    : !(DOCUMENT_EXTENSIONS as readonly string[]).includes(fileExtension(file.name))
      ? t('knowledge.upload.wrongType', { types: DOCUMENT_EXTENSIONS.join(' ') })
      : file.size > DOCUMENT_MAX_BYTES
        ? t('knowledge.upload.tooLarge', { max: formatBytes(DOCUMENT_MAX_BYTES) })
        : undefined;

  const clear = () => {
    upload.reset();
    setFile(null);
    setCategory('');
    setPublished(true);
    setProgress(0);
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!file || fileError || upload.isPending) return;
    setProgress(0);
    upload.mutate(
      { file, published, category: category.trim() || null },
      {
        onSuccess: (article) => {
          notifySuccess(t('knowledge.upload.done', { title: article.title }));
          onClose();
        },
      },
    );
  };

  const processing = upload.isPending && progress >= 1;
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      onExitTransitionEnd={clear}
      closeOnClickOutside={!upload.isPending}
      title={t('knowledge.upload.title')}
      centered
      size="lg"
    >
      <form onSubmit={submit} noValidate data-testid="document-upload-form">
        <Stack>
          <Text fz="sm" c="dimmed">
            {t('knowledge.upload.help', { types: DOCUMENT_EXTENSIONS.join(', '), max: formatBytes(DOCUMENT_MAX_BYTES) })}
          </Text>
          {upload.isError && (
            <Alert
              color="red"
              icon={<IconAlertCircle size={18} />}
              title={t('knowledge.upload.failed')}
              role="alert"
              data-testid="document-upload-error"
            >
              {errorMessage(upload.error)}
            </Alert>
          )}
          <FileInput
            label={t('knowledge.upload.file')}
            placeholder={t('knowledge.upload.choose')}
            accept={DOCUMENT_EXTENSIONS.join(',')}
            leftSection={<IconUpload size={16} />}
            clearable
            value={file}
            onChange={(f) => {
              setFile(f);
              upload.reset();
            }}
            error={fileError}
            disabled={upload.isPending}
            data-testid="document-file-input"
          />
          <CategoryInput value={category} onChange={setCategory} />
          <Switch
            label={t('knowledge.form.published')}
            description={t('knowledge.form.publishedHint')}
            checked={published}
            onChange={(e) => setPublished(e.currentTarget.checked)}
          />
          {upload.isPending && (
            <Stack gap={4} data-testid="document-upload-progress">
              <Progress value={progress * 100} animated={processing} striped={processing} />
              <Text fz="xs" c="dimmed">
                {processing ? t('knowledge.upload.processing') : t('knowledge.upload.progress', { percent: Math.round(progress * 100) })}
              </Text>
            </Stack>
          )}
          <Group justify="flex-end" mt="xs">
            <Button variant="default" onClick={onClose} disabled={upload.isPending}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={upload.isPending} disabled={!file || Boolean(fileError)} data-testid="document-upload-submit">
              {t('knowledge.upload.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
