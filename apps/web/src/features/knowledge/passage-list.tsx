import { Badge, Breadcrumbs, Group, Paper, Stack, Text } from '@mantine/core';
import type { Passage } from '@switchboard/shared';
import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../../i18n';
import { KindIcon } from './kind-icon';

/** Retrieved passages, best first, with the score the ranking gave them and where they come from. */
export function PassageList({ passages }: { passages: Passage[] }) {
  const { t } = useTranslation();
  const score = new Intl.NumberFormat(currentLanguage(), { maximumSignificantDigits: 3 });
  if (passages.length === 0) {
    return (
      <Text c="dimmed" fz="sm" data-testid="passages-empty">
        {t('knowledge.test.noPassages')}
      </Text>
    );
  }
  return (
    <Stack gap="xs" data-testid="passage-list">
      {passages.map((p, i) => (
        <Paper key={p.source.chunkId} withBorder p="sm" data-testid="passage">
          <Group justify="space-between" wrap="nowrap" gap="xs" mb={4}>
            <Group gap={6} wrap="nowrap" miw={0}>
              <Text fz="xs" fw={700} c="dimmed" style={{ flexShrink: 0 }}>
                #{i + 1}
              </Text>
              <KindIcon kind={p.source.kind} size={16} />
              <Text fz="sm" fw={600} truncate>
                {p.source.title}
              </Text>
            </Group>
            <Badge variant="light" color="gray" style={{ flexShrink: 0 }} title={t('knowledge.test.score')}>
              {t('knowledge.test.scoreValue', { score: score.format(p.score) })}
            </Badge>
          </Group>
          <SourcePath path={p.source.headingPath} />
          <Text fz="sm" lineClamp={5} style={{ whiteSpace: 'pre-wrap' }}>
            {p.text}
          </Text>
        </Paper>
      ))}
    </Stack>
  );
}

/** "Delivery › Terms › Moscow": where in a document a passage sits. */
export function SourcePath({ path }: { path: string[] }) {
  if (path.length === 0) return null;
  return (
    <Breadcrumbs separator="›" separatorMargin={4} mb={4} style={{ flexWrap: 'wrap' }}>
      {path.map((h, i) => (
        <Text key={`${i}-${h}`} fz="xs" c="dimmed">
          {h}
        </Text>
      ))}
    </Breadcrumbs>
  );
}
