import { AreaChart, BarChart } from '@mantine/charts';
import { Paper, SimpleGrid, Text, Title } from '@mantine/core';
import type { ConversationReport } from '@switchboard/shared';
import { useTranslation } from 'react-i18next';

const label = (period: string, locale: string, week: boolean) =>
  new Intl.DateTimeFormat(locale, week ? { day: 'numeric', month: 'short' } : { day: 'numeric', month: 'short' }).format(
    new Date(`${period}T00:00:00`),
  );

/** Messages in and out, and conversations started and resolved, by day or week. */
export function ReportCharts({ report }: { report: ConversationReport }) {
  const { t, i18n } = useTranslation();
  const week = report.granularity === 'week';
  const data = report.series.map((p) => ({
    period: label(p.period, i18n.language, week),
    [t('reports.chart.in')]: p.messagesIn,
    [t('reports.chart.out')]: p.messagesOut,
    [t('reports.chart.started')]: p.conversations,
    [t('reports.chart.resolved')]: p.resolved,
  }));
  const empty = data.length === 0;
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
      <Paper withBorder radius="md" p="md" data-testid="report-chart-messages">
        <Title order={2} fz="h5" mb="sm">
          {t('reports.chart.messages')}
        </Title>
        {empty ? (
          <Text c="dimmed" fz="sm">
            {t('reports.noData')}
          </Text>
        ) : (
          <BarChart
            h={240}
            data={data}
            dataKey="period"
            withLegend
            legendProps={{ verticalAlign: 'bottom' }}
            series={[
              { name: t('reports.chart.in'), color: 'blue.6' },
              { name: t('reports.chart.out'), color: 'teal.6' },
            ]}
          />
        )}
      </Paper>
      <Paper withBorder radius="md" p="md" data-testid="report-chart-conversations">
        <Title order={2} fz="h5" mb="sm">
          {t('reports.chart.conversations')}
        </Title>
        {empty ? (
          <Text c="dimmed" fz="sm">
            {t('reports.noData')}
          </Text>
        ) : (
          <AreaChart
            h={240}
            data={data}
            dataKey="period"
            withLegend
            legendProps={{ verticalAlign: 'bottom' }}
            curveType="monotone"
            series={[
              { name: t('reports.chart.started'), color: 'indigo.6' },
              { name: t('reports.chart.resolved'), color: 'green.6' },
            ]}
          />
        )}
      </Paper>
    </SimpleGrid>
  );
}
