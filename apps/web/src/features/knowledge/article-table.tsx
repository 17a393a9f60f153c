import { ActionIcon, Badge, Group, Menu, Stack, Table, Text, Tooltip, UnstyledButton, VisuallyHidden } from '@mantine/core';
import { IconDots, IconEye, IconEyeOff, IconListDetails, IconPencil, IconTrash } from '@tabler/icons-react';
import type { Article } from '@switchboard/shared';
import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../../i18n';
import { formatBytes } from '../../lib/format';
import { formatAgo, formatDateTime, useNow } from '../../lib/time';
import { OcrProgress } from './ocr-pages';
import { IndexStatusBadge, PublishedBadge } from './index-status-badge';
import { KindIcon } from './kind-icon';
import { WideTable } from '../../components/wide-table';

export interface ArticleActions {
  onOpen: (a: Article) => void;
  onEdit: (a: Article) => void;
  onTogglePublished: (a: Article) => void;
  onDelete: (a: Article) => void;
}

interface Props extends ArticleActions {
  articles: Article[];
  canManage: boolean;
  busyId: string | null;
}

export function ArticleTable({ articles, canManage, busyId, ...actions }: Props) {
  const { t } = useTranslation();
  const now = useNow();
  return (
    <WideTable minWidth={820}>
      <Table verticalSpacing="sm" horizontalSpacing="md" highlightOnHover data-testid="article-list">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('knowledge.columns.title')}</Table.Th>
            <Table.Th>{t('knowledge.columns.category')}</Table.Th>
            <Table.Th>{t('knowledge.columns.status')}</Table.Th>
            <Table.Th>{t('knowledge.columns.index')}</Table.Th>
            <Table.Th>{t('knowledge.columns.updated')}</Table.Th>
            <Table.Th w={48}>
              <VisuallyHidden>{t('knowledge.columns.actions')}</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {articles.map((a) => (
            <ArticleRow key={a.id} article={a} now={now} canManage={canManage} busy={busyId === a.id} {...actions} />
          ))}
        </Table.Tbody>
      </Table>
    </WideTable>
  );
}

function ArticleRow({
  article: a,
  now,
  canManage,
  busy,
  ...actions
}: { article: Article; now: number; canManage: boolean; busy: boolean } & ArticleActions) {
  const { t } = useTranslation();
  const locale = currentLanguage();
  const subtitle =
    a.kind === 'document'
      ? [a.fileName, a.sizeBytes !== null ? formatBytes(a.sizeBytes) : null].filter(Boolean).join(' · ')
      : a.alternatives.length > 0
        ? t('knowledge.alternativesCount', { count: a.alternatives.length })
        : null;
  return (
    <Table.Tr data-testid="article-row" data-article-id={a.id} data-kind={a.kind}>
      <Table.Td maw={420}>
        <Group gap="sm" wrap="nowrap" align="flex-start">
          <KindIcon kind={a.kind} />
          <UnstyledButton onClick={() => actions.onOpen(a)} style={{ minWidth: 0 }} data-testid="article-open">
            <Text fz="sm" fw={500} lineClamp={2}>
              {a.title}
            </Text>
            {subtitle && (
              <Text fz="xs" c="dimmed" truncate>
                {subtitle}
              </Text>
            )}
          </UnstyledButton>
        </Group>
      </Table.Td>
      <Table.Td>
        {a.category ? (
          <Badge variant="outline" color="gray" tt="none">
            {a.category}
          </Badge>
        ) : (
          <Text fz="sm" c="dimmed">
            —
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <PublishedBadge published={a.published} />
      </Table.Td>
      <Table.Td>
        <Stack gap={2} align="flex-start">
          <IndexStatusBadge article={a} />
          <Text fz="xs" c="dimmed">
            {t('knowledge.chunkCount', { count: a.chunkCount })}
          </Text>
          <OcrProgress article={a} />
        </Stack>
      </Table.Td>
      <Table.Td>
        <Tooltip label={formatDateTime(a.updatedAt, locale)}>
          <Text fz="sm" style={{ whiteSpace: 'nowrap' }}>
            {/* A row changed after the clock last ticked must not read "in 12 seconds". */}
            {formatAgo(a.updatedAt, Math.max(now, Date.parse(a.updatedAt)), locale)}
          </Text>
        </Tooltip>
      </Table.Td>
      <Table.Td>
        <RowMenu article={a} canManage={canManage} busy={busy} {...actions} />
      </Table.Td>
    </Table.Tr>
  );
}

function RowMenu({
  article: a,
  canManage,
  busy,
  onOpen,
  onEdit,
  onTogglePublished,
  onDelete,
}: { article: Article; canManage: boolean; busy: boolean } & ArticleActions) {
  const { t } = useTranslation();
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <ActionIcon
          variant="subtle"
          color="gray"
          loading={busy}
          aria-label={t('knowledge.actionsFor', { title: a.title })}
          data-testid="article-menu"
        >
          <IconDots size={16} />
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item leftSection={<IconListDetails size={16} />} onClick={() => onOpen(a)}>
          {t('knowledge.details')}
        </Menu.Item>
        {canManage && (
          <>
            <Menu.Item leftSection={<IconPencil size={16} />} onClick={() => onEdit(a)} data-testid="article-edit">
              {t('knowledge.edit')}
            </Menu.Item>
            <Menu.Item
              leftSection={a.published ? <IconEyeOff size={16} /> : <IconEye size={16} />}
              onClick={() => onTogglePublished(a)}
              data-testid="article-toggle-published"
            >
              {a.published ? t('knowledge.unpublish') : t('knowledge.publish')}
            </Menu.Item>
            <Menu.Divider />
            <Menu.Item leftSection={<IconTrash size={16} />} color="red" onClick={() => onDelete(a)} data-testid="article-delete">
              {t('knowledge.delete')}
            </Menu.Item>
          </>
        )}
      </Menu.Dropdown>
    </Menu>
  );
}
