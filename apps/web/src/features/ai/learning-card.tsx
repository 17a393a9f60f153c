import { Badge, Card, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { IconArrowRight, IconBulb } from '@tabler/icons-react';
import type { LearningMetrics, WordingOffer } from '@switchboard/shared';
import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../../i18n';
import { formatPercent } from '../../lib/format';
import { useLearning } from './use-evaluation';

const STATUS_COLORS: Record<WordingOffer['status'], string> = { pending: 'blue', added: 'teal', auto_added: 'teal', dismissed: 'gray' };

/** What learning from operators changed: wordings learned, questions the bot now answers, the auto-answer rate before and since. */
export function LearningCard({ days }: { days: number }) {
  const { t } = useTranslation();
  const learning = useLearning(days);
  const data = learning.data;
  if (!data) return null;
  const m = data.metrics;
  return (
    <Card withBorder padding="md" data-testid="learning-card">
      <Group gap={8} mb="sm">
        <IconBulb size={18} color="var(--mantine-color-teal-7)" aria-hidden />
        <Title order={3} fz="md">
          {t('aiLoop.learning.title')}
        </Title>
      </Group>
      <SimpleGrid cols={{ base: 1, sm: 3 }} mb="sm">
        <Figure
          label={t('aiLoop.learning.learned')}
          value={String(m.learned)}
          caption={t('aiLoop.learning.auto', { count: m.autoLearned })}
        />
        <Figure
          label={t('aiLoop.learning.nowAnswered')}
          value={String(m.nowAnswered)}
          caption={t('aiLoop.learning.answersFromLearned', { count: m.answersFromLearned })}
        />
        <RateMove m={m} />
      </SimpleGrid>
      {m.pending > 0 && (
        <Text fz="xs" c="dimmed" mb="xs">
          {t('aiLoop.learning.pending', { count: m.pending })}
        </Text>
      )}
      {data.recent.length === 0 ? (
        <Text fz="sm" c="dimmed">
          {t('aiLoop.learning.none')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={420}>
          <Table fz="sm" data-testid="learning-recent">
            <Table.Tbody>
              {data.recent.slice(0, 6).map((o) => (
                <Table.Tr key={o.id}>
                  <Table.Td>«{o.question}»</Table.Td>
                  <Table.Td c="dimmed">
                    <IconArrowRight size={12} aria-hidden /> {o.articleTitle}
                  </Table.Td>
                  <Table.Td ta="right">
                    <Badge size="xs" variant="light" color={STATUS_COLORS[o.status]}>
                      {t(`aiLoop.learning.status.${o.status}`)}
                    </Badge>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Card>
  );
}

function Figure({ label, value, caption }: { label: string; value: string; caption: string }) {
  return (
    <Stack gap={0}>
      <Text fz="xs" c="dimmed">
        {label}
      </Text>
      <Text fz="xl" fw={700}>
        {value}
      </Text>
      <Text fz="xs" c="dimmed">
        {caption}
      </Text>
    </Stack>
  );
}

/** The auto-answer rate before the first learned wording and since: the move learning made. */
function RateMove({ m }: { m: LearningMetrics }) {
  const { t } = useTranslation();
  const locale = currentLanguage();
  const before = m.autoAnswerRateBefore;
  const since = m.autoAnswerRateSince;
  const delta = before !== null && since !== null ? since - before : null;
  return (
    <Stack gap={0} data-testid="learning-rate">
      <Text fz="xs" c="dimmed">
        {t('aiLoop.learning.rate')}
      </Text>
      <Text fz="xl" fw={700}>
        {formatPercent(before, locale)} → {formatPercent(since, locale)}
      </Text>
      <Text fz="xs" c={delta === null ? 'dimmed' : delta >= 0 ? 'teal' : 'red'}>
        {delta === null
          ? t('aiLoop.learning.rateNoData')
          : t('aiLoop.learning.rateDelta', { delta: `${delta >= 0 ? '+' : '−'}${Math.abs(Math.round(delta * 100))}` })}
      </Text>
    </Stack>
  );
}
