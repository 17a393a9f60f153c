import { Alert, Card, Center, Group, Loader, Progress, SegmentedControl, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import type { AiMetrics } from '@switchboard/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../../i18n';
import { formatNumber } from '../../lib/format';
import { errorMessage } from '../../lib/notify';
import { LearningCard } from './learning-card';
import { isHandoverReason } from './reasons';
import { StatCard } from './stat-card';
import { useAiMetrics } from './use-ai';

const PERIODS = ['7', '30', '90'] as const;

/** How the AI first line did over a period: resolution, hand-overs, suggestions, classification, LLM cost. */
export function AiDashboard() {
  const { t } = useTranslation();
  const [days, setDays] = useState<(typeof PERIODS)[number]>('30');
  const metrics = useAiMetrics(Number(days));

  return (
    <Stack gap="md">
      <Group justify="flex-end" gap="sm">
        <Text c="dimmed" fz="sm">
          {t('ai.dashboard.period')}
        </Text>
        <SegmentedControl
          size="xs"
          value={days}
          onChange={(v) => setDays(v as (typeof PERIODS)[number])}
          data={PERIODS.map((d) => ({ value: d, label: t('ai.dashboard.days', { count: Number(d) }) }))}
          data-testid="ai-metrics-period"
        />
      </Group>
      {metrics.isPending && (
        <Center py="xl">
          <Loader aria-label={t('common.loading')} />
        </Center>
      )}
      {metrics.isError && (
        <Alert color="red" title={t('ai.dashboard.loadFailed')}>
          {errorMessage(metrics.error)}
        </Alert>
      )}
      {metrics.data && <Metrics m={metrics.data} />}
      {metrics.data && <LearningCard days={Number(days)} />}
    </Stack>
  );
}

function Metrics({ m }: { m: AiMetrics }) {
  const { t } = useTranslation();
  const s = m.suggestions;
  return (
    <Stack gap="md" data-testid="ai-metrics">
      {m.botConversations === 0 && (
        <Alert color="gray" data-testid="ai-metrics-empty">
          {t('ai.dashboard.noBotData', { count: m.conversations })}
        </Alert>
      )}
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>
        <StatCard
          label={t('ai.dashboard.autoResolution')}
          rate={m.autoResolutionRate}
          caption={t('ai.dashboard.ofBotConversations', { count: m.botConversations, total: m.conversations })}
          color="teal"
          testId="metric-auto-resolution"
        />
        <StatCard
          label={t('ai.dashboard.handoverRate')}
          rate={m.handoverRate}
          caption={t('ai.dashboard.ofBotConversationsShort', { count: m.botConversations })}
          color="orange"
          testId="metric-handover"
        />
        <StatCard
          label={t('ai.dashboard.suggestionAcceptance')}
          rate={s.acceptanceRate}
          caption={t('ai.dashboard.suggestionsDecided', { count: s.sent + s.edited + s.rejected })}
          color="blue"
          testId="metric-suggestions"
        />
        <StatCard
          label={t('ai.dashboard.classificationAccuracy')}
          rate={m.classification.accuracy}
          caption={t('ai.dashboard.corrections', { corrected: m.classification.corrected, count: m.classification.reviewed })}
          color="grape"
          testId="metric-classification"
        />
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <HandoverReasons byReason={m.handoversByReason} />
        <Stack gap="md">
          <SuggestionOutcomes s={s} />
          <LlmUsage usage={m.usage} />
        </Stack>
      </SimpleGrid>
    </Stack>
  );
}

function HandoverReasons({ byReason }: { byReason: AiMetrics['handoversByReason'] }) {
  const { t } = useTranslation();
  const rows = Object.entries(byReason).sort((a, b) => b[1] - a[1]);
  const max = Math.max(1, ...rows.map(([, n]) => n));
  return (
    <Card withBorder padding="md" data-testid="handover-reasons">
      <Title order={3} fz="md" mb="sm">
        {t('ai.dashboard.handoversByReason')}
      </Title>
      {rows.length === 0 && (
        <Text c="dimmed" fz="sm">
          {t('ai.dashboard.noHandovers')}
        </Text>
      )}
      <Stack gap="sm">
        {rows.map(([reason, n]) => (
          <div key={reason}>
            <Group justify="space-between" mb={2}>
              <Text fz="sm">{isHandoverReason(reason) ? t(`ai.reasons.${reason}`) : reason}</Text>
              <Text fz="sm" fw={600}>
                {formatNumber(n, currentLanguage())}
              </Text>
            </Group>
            <Progress value={(n / max) * 100} color="orange" size="sm" />
          </div>
        ))}
      </Stack>
    </Card>
  );
}

function SuggestionOutcomes({ s }: { s: AiMetrics['suggestions'] }) {
  const { t } = useTranslation();
  const decided = s.sent + s.edited + s.rejected;
  const part = (n: number) => (decided > 0 ? (n / decided) * 100 : 0);
  const legend = [
    { key: 'sent', n: s.sent, color: 'teal' },
    { key: 'edited', n: s.edited, color: 'blue' },
    { key: 'rejected', n: s.rejected, color: 'red' },
  ] as const;
  return (
    <Card withBorder padding="md" data-testid="suggestion-outcomes">
      <Title order={3} fz="md" mb="sm">
        {t('ai.dashboard.suggestions', { count: s.total })}
      </Title>
      <Progress.Root size="lg" mb="xs">
        {legend.map(({ key, n, color }) => (
          <Progress.Section key={key} value={part(n)} color={color} />
        ))}
      </Progress.Root>
      <Group gap="md">
        {legend.map(({ key, n, color }) => (
          <Group key={key} gap={6}>
            <div style={{ width: 10, height: 10, borderRadius: 2, background: `var(--mantine-color-${color}-6)` }} />
            <Text fz="xs">
              {t(`ai.dashboard.outcome.${key}`)}: <b>{n}</b>
            </Text>
          </Group>
        ))}
      </Group>
    </Card>
  );
}

function LlmUsage({ usage }: { usage: AiMetrics['usage'] }) {
  const { t } = useTranslation();
  const locale = currentLanguage();
  const rows = [
    ['requests', usage.requests],
    ['promptTokens', usage.promptTokens],
    ['completionTokens', usage.completionTokens],
    ['failures', usage.failures],
  ] as const;
  return (
    <Card withBorder padding="md" data-testid="llm-usage">
      <Title order={3} fz="md" mb="xs">
        {t('ai.dashboard.llmUsage')}
      </Title>
      <Table>
        <Table.Tbody>
          {rows.map(([key, n]) => (
            <Table.Tr key={key}>
              <Table.Td fz="sm">{t(`ai.dashboard.usage.${key}`)}</Table.Td>
              <Table.Td fz="sm" ta="right" fw={600} c={key === 'failures' && n > 0 ? 'red' : undefined}>
                {formatNumber(n, locale)}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Card>
  );
}
