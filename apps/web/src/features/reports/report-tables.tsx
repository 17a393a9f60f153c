import { Paper, ScrollArea, Table, Text, Title } from '@mantine/core';
import type { ConversationReport } from '@switchboard/shared';
import { useTranslation } from 'react-i18next';
import { ChannelIcon } from '../../components/channel-icon';
import { formatNumber, formatPercent } from '../../lib/format';
import { formatSeconds } from './report-format';

/** Breakdown by channel: volume, times and what the bot did. */
export function ChannelTable({ report }: { report: ConversationReport }) {
  const { t, i18n } = useTranslation();
  const n = (v: number) => formatNumber(v, i18n.language);
  return (
    <Paper withBorder radius="md" p="md">
      <Title order={2} fz="h5" mb="sm">
        {t('reports.byChannel')}
      </Title>
      {report.channels.length === 0 ? (
        <Text c="dimmed" fz="sm">
          {t('reports.noData')}
        </Text>
      ) : (
        <ScrollArea type="auto" offsetScrollbars data-testid="report-channels-scroll">
          <Table striped miw={820} data-testid="report-channels">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('reports.channel')}</Table.Th>
                <Table.Th ta="right">{t('reports.metrics.conversations')}</Table.Th>
                <Table.Th ta="right">{t('reports.metrics.resolved')}</Table.Th>
                <Table.Th ta="right">{t('reports.metrics.messagesIn')}</Table.Th>
                <Table.Th ta="right">{t('reports.metrics.operatorReplies')}</Table.Th>
                <Table.Th ta="right">{t('reports.metrics.firstResponseMedian')}</Table.Th>
                <Table.Th ta="right">{t('reports.metrics.resolutionMedian')}</Table.Th>
                <Table.Th ta="right">{t('reports.metrics.botResolutionRate')}</Table.Th>
                <Table.Th ta="right">{t('reports.metrics.handoverRate')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {report.channels.map((c) => (
                <Table.Tr key={c.channelId}>
                  <Table.Td>
                    <Text fz="sm" span style={{ display: 'inline-flex', gap: 6, alignItems: 'center' }}>
                      <ChannelIcon type={c.channelType} size={16} />
                      {c.channelName}
                    </Text>
                  </Table.Td>
                  <Table.Td ta="right">{n(c.conversations)}</Table.Td>
                  <Table.Td ta="right">{n(c.resolved)}</Table.Td>
                  <Table.Td ta="right">{n(c.messagesIn)}</Table.Td>
                  <Table.Td ta="right">{n(c.operatorReplies)}</Table.Td>
                  <Table.Td ta="right">{formatSeconds(c.firstResponseMedian, t)}</Table.Td>
                  <Table.Td ta="right">{formatSeconds(c.resolutionMedian, t)}</Table.Td>
                  <Table.Td ta="right">{formatPercent(c.botResolutionRate, i18n.language, 1)}</Table.Td>
                  <Table.Td ta="right">{formatPercent(c.handoverRate, i18n.language, 1)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      )}
    </Paper>
  );
}

/** Operators: conversations, replies, resolved, times, CSAT (once surveys exist). */
export function OperatorTable({ report }: { report: ConversationReport }) {
  const { t, i18n } = useTranslation();
  const n = (v: number) => formatNumber(v, i18n.language);
  return (
    <Paper withBorder radius="md" p="md">
      <Title order={2} fz="h5" mb="sm">
        {t('reports.operators')}
      </Title>
      {report.operators.length === 0 ? (
        <Text c="dimmed" fz="sm">
          {t('reports.noOperators')}
        </Text>
      ) : (
        <ScrollArea type="auto" offsetScrollbars>
          <Table striped miw={680} data-testid="report-operators">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('reports.operator')}</Table.Th>
                <Table.Th ta="right">{t('reports.metrics.conversations')}</Table.Th>
                <Table.Th ta="right">{t('reports.replies')}</Table.Th>
                <Table.Th ta="right">{t('reports.metrics.resolved')}</Table.Th>
                <Table.Th ta="right">{t('reports.metrics.firstResponseMedian')}</Table.Th>
                <Table.Th ta="right">{t('reports.metrics.resolutionMedian')}</Table.Th>
                <Table.Th ta="right">{t('reports.csat')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {report.operators.map((o) => (
                <Table.Tr key={o.userId}>
                  <Table.Td>{o.name}</Table.Td>
                  <Table.Td ta="right">{n(o.conversations)}</Table.Td>
                  <Table.Td ta="right">{n(o.replies)}</Table.Td>
                  <Table.Td ta="right">{n(o.resolved)}</Table.Td>
                  <Table.Td ta="right">{formatSeconds(o.firstResponseMedian, t)}</Table.Td>
                  <Table.Td ta="right">{formatSeconds(o.resolutionMedian, t)}</Table.Td>
                  <Table.Td ta="right">{o.csat === null ? '—' : o.csat.toFixed(2)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      )}
    </Paper>
  );
}
