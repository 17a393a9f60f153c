import { Anchor, Group, Text } from '@mantine/core';
import { IconBook2 } from '@tabler/icons-react';
import type { PassageSource } from '@switchboard/shared';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

/** "Sources: Delivery › Moscow; Returns": which knowledge-base passages an answer rests on. */
export function SourceList({ sources }: { sources: PassageSource[] }) {
  const { t } = useTranslation();
  if (sources.length === 0) return null;
  return (
    <Group gap={4} wrap="nowrap" align="flex-start" data-testid="sources">
      <IconBook2
        size={13}
        style={{ flexShrink: 0, marginTop: 2 }}
        color="var(--mantine-color-dimmed)"
        aria-label={t('suggestion.sources')}
      />
      <Text fz="xs" c="dimmed">
        {sources.map((s, i) => (
          <span key={s.chunkId} data-testid="source">
            {i > 0 && '; '}
            <Anchor
              component={Link}
              to={`/knowledge?article=${s.articleId}`}
              fz="xs"
              fw={600}
              c="dimmed"
              underline="hover"
              data-testid="source-link"
            >
              {s.title}
            </Anchor>
            {s.headingPath.length > 0 && ` › ${s.headingPath.join(' › ')}`}
          </span>
        ))}
      </Text>
    </Group>
  );
}
