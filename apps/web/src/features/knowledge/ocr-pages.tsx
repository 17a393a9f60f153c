import { Alert, Badge, Center, Group, Loader, Paper, Progress, Spoiler, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import type { Article, OcrPage } from '@switchboard/shared';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../lib/notify';
import { useOcrPages } from './use-knowledge';

/** Pages below this confidence are flagged by the server (OCR_LOW_CONFIDENCE). */
const LOW_CONFIDENCE = 70;

/** A scanned document's OCR: a progress bar while pages are read, then how many need a person's check. */
export function OcrProgress({ article: a }: { article: Pick<Article, 'ocr' | 'indexStatus'> }) {
  const { t } = useTranslation();
  if (!a.ocr) return null;
  const { pagesDone: done, pagesTotal: total, pagesToReview } = a.ocr;
  if (done < total && a.indexStatus !== 'failed') {
    return (
      <Stack gap={2} miw={140} data-testid="ocr-progress">
        <Text fz="xs" c="dimmed">
          {t('knowledge.ocr.progress', { done, total })}
        </Text>
        <Progress value={(done / total) * 100} size="sm" animated aria-label={t('knowledge.ocr.progress', { done, total })} />
      </Stack>
    );
  }
  if (pagesToReview === 0) return null;
  return (
    <Badge variant="light" color="orange" leftSection={<IconAlertTriangle size={12} />} data-testid="ocr-to-review">
      {t('knowledge.ocr.toReview', { count: pagesToReview })}
    </Badge>
  );
}

const confidenceColor = (c: number) => (c >= 85 ? 'green' : c >= LOW_CONFIDENCE ? 'yellow' : 'red');

/** What OCR read on each scanned page, with its confidence; doubtful pages say so. */
export function ArticleOcrPages({ articleId }: { articleId: string }) {
  const { t } = useTranslation();
  const pages = useOcrPages(articleId);
  if (pages.isPending) {
    return (
      <Center py="md">
        <Loader size="sm" aria-label={t('common.loading')} />
      </Center>
    );
  }
  if (pages.isError) return <Alert color="red">{errorMessage(pages.error)}</Alert>;
  return (
    <Stack gap="xs" data-testid="ocr-pages">
      <Text fz="sm" c="dimmed">
        {t('knowledge.ocr.help', { threshold: LOW_CONFIDENCE })}
      </Text>
      {pages.data.items.map((p) => (
        <OcrPageCard key={p.page} page={p} />
      ))}
    </Stack>
  );
}

function OcrPageCard({ page: p }: { page: OcrPage }) {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="sm" data-testid="ocr-page" data-review={String(p.needsReview)}>
      <Group justify="space-between" gap="xs" mb={4}>
        <Text fz="sm" fw={600}>
          {t('knowledge.ocr.page', { page: p.page })}
        </Text>
        {p.status === 'waiting' ? (
          <Badge variant="light" color="gray">
            {t('knowledge.ocr.waiting')}
          </Badge>
        ) : p.confidence !== null ? (
          <Badge variant="light" color={confidenceColor(p.confidence)}>
            {t('knowledge.ocr.confidence', { value: Math.round(p.confidence) })}
          </Badge>
        ) : null}
      </Group>
      {p.needsReview && p.status === 'read' && (
        <Alert color="orange" p="xs" mb="xs" icon={<IconAlertTriangle size={16} />}>
          <Text fz="xs">{t('knowledge.ocr.review')}</Text>
        </Alert>
      )}
      {p.status === 'read' &&
        (p.text ? (
          <Spoiler maxHeight={96} showLabel={t('knowledge.detail.more')} hideLabel={t('knowledge.detail.less')}>
            <Text fz="sm" style={{ whiteSpace: 'pre-wrap' }}>
              {p.text}
            </Text>
          </Spoiler>
        ) : (
          <Text fz="sm" c="dimmed">
            {t('knowledge.ocr.noText')}
          </Text>
        ))}
    </Paper>
  );
}
