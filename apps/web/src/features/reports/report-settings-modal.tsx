import { Button, Checkbox, Group, Modal, Select, Stack, Switch, Table, Text, TextInput } from '@mantine/core';
import type { ReportSettings } from '@switchboard/shared';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { notifySuccess } from '../../lib/notify';
import { useReportSettings, useSaveReportSettings } from './use-reports';

const ZONES: string[] = (() => {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return ['UTC', 'Europe/Moscow'];
  }
})();

/** Business hours, time zone and the weekly e-mail (people who may change account settings). */
export function ReportSettingsModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const current = useReportSettings();
  const save = useSaveReportSettings();
  const [draft, setDraft] = useState<ReportSettings | null>(null);
  useEffect(() => {
    if (opened && current.data) setDraft(current.data);
  }, [opened, current.data]);
  if (!draft) return null;
  const setDay = (i: number, patch: Partial<ReportSettings['week'][number]>) =>
    setDraft({ ...draft, week: draft.week.map((d, j) => (j === i ? { ...d, ...patch } : d)) });
  const submit = () =>
    save.mutate(draft, {
      onSuccess: () => {
        notifySuccess(t('reports.settings.saved'));
        onClose();
      },
    });
  return (
    <Modal opened={opened} onClose={onClose} title={t('reports.settings.title')} size="lg">
      <Stack gap="md">
        <Select
          label={t('reports.settings.timeZone')}
          searchable
          data={ZONES.includes(draft.timeZone) ? ZONES : [draft.timeZone, ...ZONES]}
          value={draft.timeZone}
          onChange={(v) => v && setDraft({ ...draft, timeZone: v })}
          data-testid="report-settings-zone"
        />
        <Switch
          label={t('reports.settings.businessHours')}
          description={t('reports.settings.businessHoursHint')}
          checked={draft.businessHoursEnabled}
          onChange={(e) => setDraft({ ...draft, businessHoursEnabled: e.currentTarget.checked })}
          data-testid="report-settings-hours"
        />
        {draft.businessHoursEnabled && (
          <Table withRowBorders={false} verticalSpacing={4}>
            <Table.Tbody>
              {draft.week.map((d, i) => (
                <Table.Tr key={i}>
                  <Table.Td w={150}>
                    <Checkbox
                      label={t(`reports.settings.days.${i}` as 'reports.settings.days.0')}
                      checked={d.open}
                      onChange={(e) => setDay(i, { open: e.currentTarget.checked })}
                    />
                  </Table.Td>
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      <TextInput
                        type="time"
                        size="xs"
                        disabled={!d.open}
                        value={d.start}
                        onChange={(e) => setDay(i, { start: e.currentTarget.value })}
                        aria-label={t('reports.settings.opens')}
                      />
                      <Text fz="sm">—</Text>
                      <TextInput
                        type="time"
                        size="xs"
                        disabled={!d.open}
                        value={d.end}
                        onChange={(e) => setDay(i, { end: e.currentTarget.value })}
                        aria-label={t('reports.settings.closes')}
                      />
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        <Switch
          label={t('reports.settings.weekly')}
          description={t('reports.settings.weeklyHint')}
          checked={draft.weeklyReport}
          onChange={(e) => setDraft({ ...draft, weeklyReport: e.currentTarget.checked })}
          data-testid="report-settings-weekly"
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('reports.settings.cancel')}
          </Button>
          <Button onClick={submit} loading={save.isPending} data-testid="report-settings-save">
            {t('reports.settings.save')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
