import { Alert, Badge, Button, Card, Center, FileInput, Group, Loader, Table, Text, Title, Tooltip } from '@mantine/core';
import { IconAlertCircle, IconBrain, IconFileTypeCsv } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../../i18n';
import { errorMessage, notifySuccess } from '../../lib/notify';
import { formatDateTime } from '../../lib/time';
import type { ClassifierModel } from './ai.api';
import { summariseReport } from './classifier-report';
import { useClassifier, useImportExamples, useTrainClassifier } from './use-ai';

const STATUS_COLORS: Record<ClassifierModel['status'], string> = { training: 'blue', ready: 'green', failed: 'red' };

/** Labelled examples and trained versions of the category classifier. */
export function ClassifierPanel({ canManage }: { canManage: boolean }) {
  const { t } = useTranslation();
  const classifier = useClassifier();
  const train = useTrainClassifier();
  const training = classifier.data?.models.some((m) => m.status === 'training') ?? false;

  return (
    <Card withBorder padding="lg" data-testid="classifier-panel">
      <Group justify="space-between" align="flex-start" mb="md">
        <div>
          <Title order={2} fz="lg">
            {t('ai.classifier.title')}
          </Title>
          <Text fz="sm" c="dimmed" maw={560}>
            {t('ai.classifier.description')}
          </Text>
        </div>
        {canManage && (
          <Button
            leftSection={<IconBrain size={16} />}
            loading={train.isPending}
            disabled={training || classifier.data?.examples === 0}
            onClick={() => train.mutate(undefined, { onSuccess: () => notifySuccess(t('ai.classifier.trainingStarted')) })}
            data-testid="classifier-train"
          >
            {training ? t('ai.classifier.training') : t('ai.classifier.train')}
          </Button>
        )}
      </Group>
      {classifier.isPending && (
        <Center py="md">
          <Loader size="sm" aria-label={t('common.loading')} />
        </Center>
      )}
      {classifier.isError && <Alert color="red">{errorMessage(classifier.error)}</Alert>}
      {classifier.data && (
        <>
          <Text fz="sm" mb="sm" data-testid="classifier-examples">
            {t('ai.classifier.examples', { count: classifier.data.examples })}
          </Text>
          {canManage && <ExamplesImport />}
          {classifier.data.models.length === 0 ? (
            <Text c="dimmed" fz="sm" mt="md">
              {t('ai.classifier.noModels')}
            </Text>
          ) : (
            <ModelTable models={classifier.data.models} />
          )}
        </>
      )}
    </Card>
  );
}

function ExamplesImport() {
  const { t } = useTranslation();
  const importer = useImportExamples();
  const [file, setFile] = useState<File | null>(null);
  return (
    <>
      <Group align="flex-end" gap="sm">
        <FileInput
          flex="1 1 260px"
          maw={420}
          label={t('ai.classifier.importLabel')}
          description={t('ai.classifier.importHint')}
          placeholder={t('knowledge.upload.choose')}
          accept=".csv,text/csv"
          leftSection={<IconFileTypeCsv size={16} />}
          clearable
          value={file}
          onChange={(f) => {
            setFile(f);
            importer.reset();
          }}
          data-testid="classifier-examples-file"
        />
        <Button
          variant="default"
          disabled={!file}
          loading={importer.isPending}
          onClick={() => file && importer.mutate(file, { onSuccess: () => setFile(null) })}
          data-testid="classifier-examples-import"
        >
          {t('ai.classifier.import')}
        </Button>
      </Group>
      {importer.isSuccess && (
        <Alert color="green" mt="xs" data-testid="classifier-examples-imported">
          {t('ai.classifier.imported', { count: importer.data.imported })}
        </Alert>
      )}
      {importer.isError && (
        <Alert color="red" mt="xs" icon={<IconAlertCircle size={18} />} role="alert">
          {errorMessage(importer.error)}
        </Alert>
      )}
    </>
  );
}

function ModelTable({ models }: { models: ClassifierModel[] }) {
  const { t } = useTranslation();
  const locale = currentLanguage();
  const sorted = [...models].sort((a, b) => b.version - a.version);
  return (
    <Table.ScrollContainer minWidth={720} mt="md">
      <Table verticalSpacing="xs" data-testid="classifier-models">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('ai.classifier.version')}</Table.Th>
            <Table.Th>{t('ai.classifier.status')}</Table.Th>
            <Table.Th>{t('ai.classifier.accuracy')}</Table.Th>
            <Table.Th>{t('ai.classifier.examplesColumn')}</Table.Th>
            <Table.Th>{t('ai.classifier.labels')}</Table.Th>
            <Table.Th>{t('ai.classifier.trainTime')}</Table.Th>
            <Table.Th>{t('ai.classifier.created')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {sorted.map((m) => {
            const r = summariseReport(m.report, locale);
            return (
              <Table.Tr key={m.id} data-testid="classifier-model" data-status={m.status} data-active={String(m.active)}>
                <Table.Td fw={600}>v{m.version}</Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    <Tooltip label={m.error ?? ''} disabled={!m.error} multiline maw={320}>
                      <Badge variant="light" color={STATUS_COLORS[m.status]}>
                        {t(`ai.classifier.statuses.${m.status}`)}
                      </Badge>
                    </Tooltip>
                    {m.active && <Badge color="teal">{t('ai.classifier.active')}</Badge>}
                  </Group>
                </Table.Td>
                <Table.Td fz="sm">{r.accuracy}</Table.Td>
                <Table.Td fz="sm">{r.examples}</Table.Td>
                <Table.Td fz="sm">
                  <Tooltip label={r.labelNames.join(', ')} disabled={r.labelNames.length === 0} multiline maw={320}>
                    <span>{r.labels}</span>
                  </Tooltip>
                </Table.Td>
                <Table.Td fz="sm">{r.trainTime}</Table.Td>
                <Table.Td fz="sm">{formatDateTime(m.createdAt, locale)}</Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
