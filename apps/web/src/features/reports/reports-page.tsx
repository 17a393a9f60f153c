import { Page } from '../../components/page';
import '@mantine/charts/styles.css';
import '@mantine/dates/styles.css';
import 'dayjs/locale/ru';
import { Button, Group, Menu, SegmentedControl, Select, Text } from '@mantine/core';
import { DatePickerInput, DatesProvider } from '@mantine/dates';
import type { ReportGranularity } from '@switchboard/shared';
import { IconDownload, IconSettings } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { PageHeader } from '../../components/page-header';
import { LoadFailed, PageLoader } from '../../components/page-states';
import { useHasPermission } from '../auth/permissions';
import { useChannels } from '../channels/use-channels';
import { ReportCharts } from './report-charts';
import { lastDays } from './report-format';
import { ReportSettingsModal } from './report-settings-modal';
import { ReportStats } from './report-stats';
import { ChannelTable, OperatorTable } from './report-tables';
import { exportUrl, type ReportFilter } from './reports.api';
import { useConversationReport } from './use-reports';

const PRESETS = [7, 30, 90] as const;

/** Conversations report: period, channel, headline figures against the previous period, charts, tables, exports. */
export function ReportsPage() {
  const { t, i18n } = useTranslation();
  const canConfigure = useHasPermission('account.manage');
  const [params, setParams] = useSearchParams();
  const fallback = lastDays(30);
  const filter: ReportFilter = {
    from: params.get('from') ?? fallback.from,
    to: params.get('to') ?? fallback.to,
    granularity: (params.get('by') as ReportGranularity | null) ?? 'day',
    channelId: params.get('channel'),
  };
  const [range, setRange] = useState<[string | null, string | null]>([filter.from, filter.to]);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const channels = useChannels();
  const report = useConversationReport(filter);

  const update = (patch: Partial<ReportFilter>) => {
    const next = { ...filter, ...patch };
    const p: Record<string, string> = { from: next.from, to: next.to, by: next.granularity };
    if (next.channelId) p.channel = next.channelId;
    setParams(p, { replace: true });
  };
  const preset = (days: number) => {
    const r = lastDays(days);
    setRange([r.from, r.to]);
    update(r);
  };

  const exportMenu = (
    <Menu position="bottom-end">
      <Menu.Target>
        <Button variant="default" leftSection={<IconDownload size={16} />} data-testid="report-export">
          {t('reports.export')}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        {(['xlsx', 'csv', 'pdf'] as const).map((f) => (
          <Menu.Item key={f} component="a" href={exportUrl(filter, f, i18n.language)} download data-testid={`report-export-${f}`}>
            {t(`reports.exportAs.${f}`)}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );

  return (
    <Page>
      <PageHeader
        title={t('reports.title')}
        description={t('reports.description')}
        action={
          <Group gap="xs">
            {canConfigure && (
              <Button
                variant="subtle"
                leftSection={<IconSettings size={16} />}
                onClick={() => setSettingsOpen(true)}
                data-testid="report-settings"
              >
                {t('reports.settings.open')}
              </Button>
            )}
            {exportMenu}
          </Group>
        }
      />
      <Group gap="sm" wrap="wrap" align="flex-end">
        <DatesProvider settings={{ locale: i18n.language === 'ru' ? 'ru' : 'en', firstDayOfWeek: 1 }}>
          <DatePickerInput
            type="range"
            label={t('reports.period')}
            value={range}
            maxDate={new Date()}
            onChange={(v) => {
              setRange(v);
              if (v[0] && v[1]) update({ from: v[0], to: v[1] });
            }}
            valueFormat="D MMM YYYY"
            w={{ base: '100%', xs: 280 }}
            data-testid="report-range"
          />
        </DatesProvider>
        <Group gap={4}>
          {PRESETS.map((d) => (
            <Button key={d} size="xs" variant="light" onClick={() => preset(d)} data-testid={`report-preset-${d}`}>
              {t('reports.lastDays', { count: d })}
            </Button>
          ))}
        </Group>
        <SegmentedControl
          size="xs"
          value={filter.granularity}
          onChange={(v) => update({ granularity: v as ReportGranularity })}
          data={[
            { value: 'day', label: t('reports.byDay') },
            { value: 'week', label: t('reports.byWeek') },
          ]}
          data-testid="report-granularity"
        />
        <Select
          aria-label={t('reports.channel')}
          placeholder={t('reports.allChannels')}
          clearable
          w={{ base: '100%', xs: 220 }}
          value={filter.channelId}
          onChange={(v) => update({ channelId: v })}
          data={(channels.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))}
          data-testid="report-channel"
        />
      </Group>
      {report.isPending && <PageLoader />}
      {report.isError && <LoadFailed title={t('reports.loadFailed')} error={report.error} />}
      {report.data && (
        <>
          <Text fz="sm" c="dimmed" data-testid="report-compare">
            {t('reports.comparedWith', { from: report.data.previous.from, to: report.data.previous.to })}
            {report.data.businessHours
              ? ` · ${t('reports.inBusinessHours', { zone: report.data.timeZone })}`
              : ` · ${report.data.timeZone}`}
          </Text>
          <ReportStats report={report.data} />
          <ReportCharts report={report.data} />
          <ChannelTable report={report.data} />
          <OperatorTable report={report.data} />
        </>
      )}
      <ReportSettingsModal opened={settingsOpen} onClose={() => setSettingsOpen(false)} />
    </Page>
  );
}
