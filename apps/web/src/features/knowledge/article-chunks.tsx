import { Alert, Badge, Center, Group, Loader, Paper, Spoiler, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../lib/notify';
import { SourcePath } from './passage-list';
import { useChunks } from './use-knowledge';

/** The passages the bot searches, as the indexer cut them. */
export function ArticleChunks({ articleId }: { articleId: string }) {
  const { t } = useTranslation();
  const chunks = useChunks(articleId);
  if (chunks.isPending) {
    return (
      <Center py="md">
        <Loader size="sm" aria-label={t('common.loading')} />
      </Center>
    );
  }
  if (chunks.isError) return <Alert color="red">{errorMessage(chunks.error)}</Alert>;
  if (chunks.data.items.length === 0) {
    return (
      <Text c="dimmed" fz="sm" data-testid="chunks-empty">
        {t('knowledge.detail.noChunks')}
      </Text>
    );
  }
  return (
    <Stack gap="xs" data-testid="chunk-list">
      {chunks.data.items.map((c) => (
        <Paper key={c.id} withBorder p="sm" data-testid="chunk">
          <Group justify="space-between" gap="xs" mb={4}>
            <Text fz="xs" fw={700} c="dimmed">
              #{c.ordinal + 1}
            </Text>
            <Badge size="xs" variant="outline" color="gray">
              {c.language}
            </Badge>
          </Group>
          <SourcePath path={c.headingPath} />
          <Spoiler maxHeight={96} showLabel={t('knowledge.detail.more')} hideLabel={t('knowledge.detail.less')}>
            <Text fz="sm" style={{ whiteSpace: 'pre-wrap' }}>
              {c.text}
            </Text>
          </Spoiler>
        </Paper>
      ))}
    </Stack>
  );
}
