import { Badge, Loader, Tooltip } from '@mantine/core';
import type { Article } from '@switchboard/shared';
import { useTranslation } from 'react-i18next';

const COLORS: Record<Article['indexStatus'], string> = { pending: 'gray', indexing: 'blue', ready: 'green', failed: 'red' };

/** Whether the bot can already find this article; a failed one says why on hover. */
export function IndexStatusBadge({ article }: { article: Pick<Article, 'indexStatus' | 'indexError'> }) {
  const { t } = useTranslation();
  const { indexStatus: status, indexError } = article;
  const badge = (
    <Badge
      variant="light"
      color={COLORS[status]}
      leftSection={status === 'indexing' ? <Loader size={10} color="blue" /> : undefined}
      data-testid="index-status"
      data-status={status}
    >
      {t(`knowledge.index.${status}`)}
    </Badge>
  );
  if (status !== 'failed' || !indexError) return badge;
  return (
    <Tooltip label={indexError} multiline maw={360}>
      {badge}
    </Tooltip>
  );
}

export function PublishedBadge({ published }: { published: boolean }) {
  const { t } = useTranslation();
  return (
    <Badge variant="light" color={published ? 'teal' : 'gray'} data-testid="published-badge" data-published={String(published)}>
      {published ? t('knowledge.published') : t('knowledge.draft')}
    </Badge>
  );
}
