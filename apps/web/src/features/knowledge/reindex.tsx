import { Button, Card, Group, Progress, Stack, Text, Tooltip } from '@mantine/core';
import { IconRefresh } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../../i18n';
import { formatDateTime } from '../../lib/time';
import { useReindexStatus, useStartReindex } from './use-knowledge';

export function ReindexButton() {
  const { t } = useTranslation();
  const status = useReindexStatus();
  const start = useStartReindex();
  const finishedAt = status.data?.finishedAt;
  return (
    <Tooltip
      label={
        finishedAt ? t('knowledge.reindex.last', { when: formatDateTime(finishedAt, currentLanguage()) }) : t('knowledge.reindex.hint')
      }
      multiline
      maw={320}
    >
      <Button
        variant="default"
        leftSection={<IconRefresh size={16} />}
        loading={start.isPending}
        disabled={status.data?.running}
        onClick={() => start.mutate()}
        data-testid="reindex-start"
      >
        {t('knowledge.reindex.start')}
      </Button>
    </Tooltip>
  );
}

/** Shown only while a re-index runs (polled every second, and refreshed by `knowledge.updated`). */
export function ReindexProgress() {
  const { t } = useTranslation();
  const { data } = useReindexStatus();
  if (!data?.running) return null;
  const share = data.total > 0 ? data.done / data.total : 0;
  return (
    <Card withBorder padding="sm" data-testid="reindex-progress">
      <Stack gap={6}>
        <Group justify="space-between">
          <Text fz="sm" fw={500}>
            {t('knowledge.reindex.running')}
          </Text>
          <Text fz="sm" c="dimmed">
            {t('knowledge.reindex.progress', { done: data.done, total: data.total })}
          </Text>
        </Group>
        <Progress value={share * 100} animated aria-label={t('knowledge.reindex.running')} />
      </Stack>
    </Card>
  );
}
