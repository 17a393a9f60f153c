import { Badge, Group, Paper, SimpleGrid, Text } from '@mantine/core';
import type { ConversationReport, ReportMetrics } from '@switchboard/shared';
import { useTranslation } from 'react-i18next';
import { formatNumber, formatPercent } from '../../lib/format';
import { change, formatSeconds } from './report-format';

type Kind = 'count' | 'duration' | 'rate';
const CARDS: { key: keyof ReportMetrics; kind: Kind; /** Lower is better (times). */ lowerIsBetter?: boolean }[] = [
  { key: 'conversations', kind: 'count' },
  { key: 'resolved', kind: 'count' },
  { key: 'messagesIn', kind: 'count' },
  { key: 'operatorReplies', kind: 'count' },
  { key: 'firstResponseMedian', kind: 'duration', lowerIsBetter: true },
  { key: 'firstResponseP90', kind: 'duration', lowerIsBetter: true },
  { key: 'resolutionMedian', kind: 'duration', lowerIsBetter: true },
  { key: 'resolutionP90', kind: 'duration', lowerIsBetter: true },
  { key: 'botResolutionRate', kind: 'rate' },
  { key: 'handoverRate', kind: 'rate', lowerIsBetter: true },
];

/** Headline figures of the period, each with its change against the previous period. */
export function ReportStats({ report }: { report: ConversationReport }) {
  const { t, i18n } = useTranslation();
  const show = (kind: Kind, v: number | null) =>
    kind === 'duration' ? formatSeconds(v, t) : kind === 'rate' ? formatPercent(v, i18n.language, 1) : formatNumber(v ?? 0, i18n.language);
  return (
    <SimpleGrid cols={{ base: 2, sm: 3, md: 5 }} spacing="sm" data-testid="report-stats">
      {CARDS.map(({ key, kind, lowerIsBetter }) => {
        const now = report.summary[key];
        const before = report.previous[key];
        const delta = change(now, before);
        const good = delta === null || delta === 0 ? null : delta < 0 === Boolean(lowerIsBetter);
        return (
          <Paper key={key} withBorder p="sm" radius="md" data-testid={`report-stat-${key}`}>
            <Text fz="xs" c="dimmed" lh={1.3} mih={32}>
              {t(`reports.metrics.${key}`)}
            </Text>
            <Text fz="xl" fw={700} data-testid="report-stat-value">
              {show(kind, now)}
            </Text>
            <Group gap={4} wrap="nowrap">
              {delta !== null && (
                <Badge size="sm" variant="light" color={good ? 'teal' : 'red'}>
                  {delta > 0 ? '+' : '−'}
                  {formatPercent(Math.abs(delta), i18n.language, 0)}
                </Badge>
              )}
              <Text fz="xs" c="dimmed" truncate>
                {t('reports.previousValue', { value: show(kind, before) })}
              </Text>
            </Group>
          </Paper>
        );
      })}
    </SimpleGrid>
  );
}
