import { Page } from '../../components/page';
import { Button, Card, Center, Group, Stack, Tabs } from '@mantine/core';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { IconBooks, IconFileSpreadsheet, IconFileUpload, IconPlus } from '@tabler/icons-react';
import type { Article } from '@switchboard/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { ConfirmModal } from '../../components/confirm-modal';
import { PageHeader } from '../../components/page-header';
import { EmptyState, LoadFailed, PageLoader } from '../../components/page-states';
import { notifySuccess } from '../../lib/notify';
import { useHasPermission } from '../auth/permissions';
import { ArticleDrawer } from './article-drawer';
import { ArticleEditorModal } from './article-editor-modal';
import { ArticleFilters } from './article-filters';
import { ArticleTable } from './article-table';
import { DocumentUploadModal } from './document-upload-modal';
import { FaqImportModal } from './faq-import-modal';
import type { ArticleFilter } from './knowledge.api';
import { ReindexButton, ReindexProgress } from './reindex';
import { TestQuestion } from './test-question';
import { useArticles, useDeleteArticle, useUpdateArticle } from './use-knowledge';

type Tab = 'articles' | 'test';

export function KnowledgePage() {
  const { t } = useTranslation();
  const canManage = useHasPermission('knowledge.manage');
  const [params, setParams] = useSearchParams();
  const tab: Tab = params.get('tab') === 'test' ? 'test' : 'articles';
  const [filter, setFilter] = useState<ArticleFilter>({ kind: 'all', published: 'all', q: '' });
  const [q] = useDebouncedValue(filter.q, 300);
  const articles = useArticles({ ...filter, q });
  const [editor, setEditor] = useState<{ article: Article | null } | null>(null);
  const [uploadOpen, upload] = useDisclosure(false);
  const [importOpen, importer] = useDisclosure(false);
  // `?article=<id>` opens an entry (the source chips of bot answers and suggestions link here).
  const [selectedId, setSelectedId] = useState<string | null>(() => params.get('article'));
  const [deleting, setDeleting] = useState<Article | null>(null);
  const toggle = useUpdateArticle();
  const remove = useDeleteArticle();
  const selected = articles.articles.find((a) => a.id === selectedId) ?? null;
  const filtered = filter.kind !== 'all' || filter.published !== 'all' || q.trim() !== '';

  const actions = {
    onOpen: (a: Article) => setSelectedId(a.id),
    onEdit: (a: Article) => setEditor({ article: a }),
    onDelete: setDeleting,
    onTogglePublished: (a: Article) =>
      toggle.mutate(
        { id: a.id, patch: { published: !a.published } },
        { onSuccess: (saved) => notifySuccess(saved.published ? t('knowledge.nowPublished') : t('knowledge.nowDraft')) },
      ),
  };
  const busyId = toggle.isPending ? toggle.variables.id : null;

  const headerActions = canManage && (
    <Group gap="xs">
      <ReindexButton />
      <Button variant="default" leftSection={<IconFileSpreadsheet size={16} />} onClick={importer.open} data-testid="faq-import-open">
        {t('knowledge.import.open')}
      </Button>
      <Button variant="default" leftSection={<IconFileUpload size={16} />} onClick={upload.open} data-testid="document-upload-open">
        {t('knowledge.upload.open')}
      </Button>
      <Button leftSection={<IconPlus size={16} />} onClick={() => setEditor({ article: null })} data-testid="faq-create">
        {t('knowledge.newFaq')}
      </Button>
    </Group>
  );

  return (
    <Page>
      <PageHeader title={t('knowledge.title')} description={t('knowledge.description')} action={headerActions} />
      <ReindexProgress />
      <Tabs value={tab} onChange={(v) => setParams(v === 'test' ? { tab: 'test' } : {}, { replace: true })} keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="articles">{t('knowledge.tabs.articles')}</Tabs.Tab>
          <Tabs.Tab value="test" data-testid="knowledge-test-tab">
            {t('knowledge.tabs.test')}
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="articles">
          <Stack gap="md">
            <ArticleFilters filter={filter} onChange={(patch) => setFilter((f) => ({ ...f, ...patch }))} />
            {articles.isPending && <PageLoader />}
            {articles.isError && <LoadFailed title={t('knowledge.loadFailed')} error={articles.error} />}
            {articles.isSuccess && articles.articles.length === 0 && (
              <EmptyKnowledge
                filtered={filtered}
                canManage={canManage}
                onCreate={() => setEditor({ article: null })}
                onUpload={upload.open}
              />
            )}
            {articles.articles.length > 0 && (
              <Card withBorder padding={0} style={{ opacity: articles.isPlaceholderData ? 0.6 : 1 }}>
                <ArticleTable articles={articles.articles} canManage={canManage} busyId={busyId} {...actions} />
              </Card>
            )}
            {articles.hasNextPage && (
              <Center>
                <Button variant="subtle" loading={articles.isFetchingNextPage} onClick={() => void articles.fetchNextPage()}>
                  {t('knowledge.loadMore')}
                </Button>
              </Center>
            )}
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="test">
          <TestQuestion />
        </Tabs.Panel>
      </Tabs>
      {editor && <ArticleEditorModal key={editor.article?.id ?? 'new'} article={editor.article} onClose={() => setEditor(null)} />}
      <DocumentUploadModal opened={uploadOpen} onClose={upload.close} />
      <FaqImportModal opened={importOpen} onClose={importer.close} />
      <ArticleDrawer
        article={selected}
        canManage={canManage}
        busy={busyId !== null && busyId === selectedId}
        onClose={() => setSelectedId(null)}
        {...actions}
      />
      <ConfirmModal
        opened={deleting !== null}
        title={t('knowledge.deleteTitle', { title: deleting?.title ?? '' })}
        text={t('knowledge.deleteText')}
        confirmLabel={t('knowledge.delete')}
        loading={remove.isPending}
        onCancel={() => setDeleting(null)}
        onConfirm={() =>
          deleting &&
          remove.mutate(deleting.id, {
            onSuccess: () => {
              if (selectedId === deleting.id) setSelectedId(null);
              setDeleting(null);
            },
          })
        }
      />
    </Page>
  );
}

interface EmptyProps {
  filtered: boolean;
  canManage: boolean;
  onCreate: () => void;
  onUpload: () => void;
}

function EmptyKnowledge({ filtered, canManage, onCreate, onUpload }: EmptyProps) {
  const { t } = useTranslation();
  return (
    <EmptyState
      testId="knowledge-empty"
      icon={<IconBooks size={40} stroke={1.3} color="var(--mantine-color-dimmed)" aria-hidden />}
      title={filtered ? t('knowledge.emptyFilteredTitle') : t('knowledge.emptyTitle')}
      text={filtered ? t('knowledge.emptyFilteredText') : canManage ? t('knowledge.emptyText') : t('knowledge.emptyTextReadOnly')}
      textWidth={480}
    >
      {!filtered && canManage && (
        <Group gap="xs" mt="xs">
          <Button leftSection={<IconPlus size={16} />} onClick={onCreate}>
            {t('knowledge.newFaq')}
          </Button>
          <Button variant="default" leftSection={<IconFileUpload size={16} />} onClick={onUpload}>
            {t('knowledge.upload.open')}
          </Button>
        </Group>
      )}
    </EmptyState>
  );
}
