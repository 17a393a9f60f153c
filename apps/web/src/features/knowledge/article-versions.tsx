import { Alert, Badge, Center, Code, Group, Loader, Stack, Text, Timeline } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../../i18n';
import { errorMessage } from '../../lib/notify';
import { formatDateTime } from '../../lib/time';
import { useTeammates } from '../conversation/use-messages';
import type { ArticleVersion } from './knowledge.api';
import { useVersions } from './use-knowledge';

/** Fields of a version snapshot worth showing, in reading order. */
const FIELDS = ['title', 'question', 'answer', 'alternatives', 'category', 'published', 'fileName'] as const;

/** Each saved version, newest first, with who saved it and what it said. */
export function ArticleVersions({ articleId }: { articleId: string }) {
  const { t } = useTranslation();
  const versions = useVersions(articleId);
  const teammates = useTeammates();
  if (versions.isPending) {
    return (
      <Center py="md">
        <Loader size="sm" aria-label={t('common.loading')} />
      </Center>
    );
  }
  if (versions.isError) return <Alert color="red">{errorMessage(versions.error)}</Alert>;
  const items = [...versions.data.items].sort((a, b) => b.version - a.version);
  if (items.length === 0)
    return (
      <Text c="dimmed" fz="sm">
        {t('knowledge.detail.noVersions')}
      </Text>
    );
  return (
    <Timeline bulletSize={18} lineWidth={2} active={0} data-testid="version-list">
      {items.map((v) => (
        <Timeline.Item
          key={v.version}
          title={
            <Group gap={6}>
              <Text fz="sm" fw={600}>
                {t('knowledge.detail.version', { version: v.version })}
              </Text>
              <Text fz="xs" c="dimmed">
                {formatDateTime(v.createdAt, currentLanguage())} ·{' '}
                {v.editedBy ? (teammates.get(v.editedBy)?.name ?? t('conversation.someone')) : t('knowledge.detail.system')}
              </Text>
            </Group>
          }
          data-testid="version"
        >
          <Snapshot snapshot={v.snapshot} />
        </Timeline.Item>
      ))}
    </Timeline>
  );
}

function Snapshot({ snapshot }: { snapshot: ArticleVersion['snapshot'] }) {
  const { t } = useTranslation();
  const rows = FIELDS.filter((f) => !isBlank(snapshot[f]));
  return (
    <Stack gap={2} mt={4}>
      {rows.map((f) => (
        <Group key={f} gap={6} wrap="nowrap" align="flex-start">
          <Text fz="xs" c="dimmed" w={110} style={{ flexShrink: 0 }}>
            {t(`knowledge.snapshot.${f}`)}
          </Text>
          <SnapshotValue value={snapshot[f]} />
        </Group>
      ))}
    </Stack>
  );
}

const isBlank = (v: unknown) => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

function SnapshotValue({ value }: { value: unknown }) {
  const { t } = useTranslation();
  if (typeof value === 'boolean') {
    return (
      <Badge size="xs" variant="light" color={value ? 'teal' : 'gray'}>
        {value ? t('knowledge.published') : t('knowledge.draft')}
      </Badge>
    );
  }
  if (Array.isArray(value)) return <Text fz="xs">{value.map(String).join(' | ')}</Text>;
  if (typeof value === 'string' || typeof value === 'number') {
    return (
      <Text fz="xs" lineClamp={3} style={{ whiteSpace: 'pre-wrap' }}>
        {value}
      </Text>
    );
  }
  return <Code fz="xs">{JSON.stringify(value)}</Code>;
}
