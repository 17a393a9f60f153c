import { Alert, Badge, Button, Drawer, Group, Stack, Table, Tabs, Text } from '@mantine/core';
import { IconAlertTriangle, IconEye, IconEyeOff, IconPencil, IconTrash } from '@tabler/icons-react';
import type { Article } from '@switchboard/shared';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../../i18n';
import { formatBytes } from '../../lib/format';
import { formatDateTime } from '../../lib/time';
import { ArticleChunks } from './article-chunks';
import type { ArticleActions } from './article-table';
import { ArticleVersions } from './article-versions';
import { IndexStatusBadge, PublishedBadge } from './index-status-badge';
import { KindIcon } from './kind-icon';
import { ArticleOcrPages, OcrProgress } from './ocr-pages';

interface Props extends Omit<ArticleActions, 'onOpen'> {
  article: Article | null;
  canManage: boolean;
  busy: boolean;
  onClose: () => void;
}

/** One entry: what it says, how it was indexed, and its edit history. */
export function ArticleDrawer({ article: a, canManage, busy, onClose, onEdit, onTogglePublished, onDelete }: Props) {
  const { t } = useTranslation();
  return (
    <Drawer
      opened={a !== null}
      onClose={onClose}
      position="right"
      size="xl"
      title={
        a && (
          <Group gap="xs" wrap="nowrap">
            <KindIcon kind={a.kind} />
            <Text fw={600} lineClamp={2}>
              {a.title}
            </Text>
          </Group>
        )
      }
      data-testid="article-drawer"
    >
      {a && (
        <Stack gap="md">
          <Group gap={6}>
            <PublishedBadge published={a.published} />
            <IndexStatusBadge article={a} />
            <Badge variant="outline" color="gray">
              {t('knowledge.chunkCount', { count: a.chunkCount })}
            </Badge>
            <Badge variant="outline" color="gray">
              {t('knowledge.detail.version', { version: a.version })}
            </Badge>
          </Group>
          <OcrProgress article={a} />
          {a.indexStatus === 'failed' && a.indexError && (
            <Alert color="red" icon={<IconAlertTriangle size={18} />} title={t('knowledge.detail.indexFailed')}>
              {a.indexError}
            </Alert>
          )}
          {canManage && (
            <Group gap="xs">
              <Button size="xs" variant="default" leftSection={<IconPencil size={14} />} onClick={() => onEdit(a)}>
                {t('knowledge.edit')}
              </Button>
              <Button
                size="xs"
                variant="default"
                loading={busy}
                leftSection={a.published ? <IconEyeOff size={14} /> : <IconEye size={14} />}
                onClick={() => onTogglePublished(a)}
              >
                {a.published ? t('knowledge.unpublish') : t('knowledge.publish')}
              </Button>
              <Button size="xs" variant="subtle" color="red" leftSection={<IconTrash size={14} />} onClick={() => onDelete(a)}>
                {t('knowledge.delete')}
              </Button>
            </Group>
          )}
          <ArticleFacts article={a} />
          <Tabs defaultValue="chunks" keepMounted={false}>
            <Tabs.List>
              <Tabs.Tab value="chunks">{t('knowledge.detail.chunks')}</Tabs.Tab>
              {a.ocr && (
                <Tabs.Tab value="ocr" data-testid="article-ocr-tab">
                  {t('knowledge.detail.ocrPages')}
                </Tabs.Tab>
              )}
              <Tabs.Tab value="history" data-testid="article-history-tab">
                {t('knowledge.detail.history')}
              </Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="chunks" pt="sm">
              <ArticleChunks articleId={a.id} />
            </Tabs.Panel>
            {a.ocr && (
              <Tabs.Panel value="ocr" pt="sm">
                <ArticleOcrPages articleId={a.id} />
              </Tabs.Panel>
            )}
            <Tabs.Panel value="history" pt="sm">
              <ArticleVersions articleId={a.id} />
            </Tabs.Panel>
          </Tabs>
        </Stack>
      )}
    </Drawer>
  );
}

function ArticleFacts({ article: a }: { article: Article }) {
  const { t } = useTranslation();
  const locale = currentLanguage();
  const rows: [string, ReactNode][] = [[t('knowledge.columns.category'), a.category ?? '—']];
  if (a.kind === 'faq') {
    rows.unshift([t('knowledge.form.question'), a.question]);
    if (a.alternatives.length > 0)
      rows.push([
        t('knowledge.form.alternatives'),
        <Group key="alt" gap={4}>
          {a.alternatives.map((alt) => (
            <Badge key={alt} variant="light" color="gray" tt="none" fw={400}>
              {alt}
            </Badge>
          ))}
        </Group>,
      ]);
    rows.push([
      t('knowledge.form.answer'),
      <Text key="answer" fz="sm" style={{ whiteSpace: 'pre-wrap' }}>
        {a.answer}
      </Text>,
    ]);
  } else {
    rows.push([
      t('knowledge.detail.file'),
      [a.fileName, a.mimeType, a.sizeBytes !== null ? formatBytes(a.sizeBytes) : null].filter(Boolean).join(' · '),
    ]);
  }
  rows.push(
    [t('knowledge.detail.created'), formatDateTime(a.createdAt, locale)],
    [t('knowledge.columns.updated'), formatDateTime(a.updatedAt, locale)],
  );
  return (
    <Table variant="vertical" layout="fixed" withTableBorder data-testid="article-facts">
      <Table.Tbody>
        {rows.map(([label, value]) => (
          <Table.Tr key={label}>
            <Table.Th w={150} fz="sm">
              {label}
            </Table.Th>
            <Table.Td fz="sm">{value}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
