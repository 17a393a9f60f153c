import { ActionIcon, Button, Group, Menu, Modal, Text, Tooltip } from '@mantine/core';
import { DateTimePicker } from '@mantine/dates';
import '@mantine/dates/styles.css';
import dayjs from 'dayjs';
import { IconAlarm, IconClockPause } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../../i18n';
import { useProfile } from '../profile/use-profile';
import { formatInZone, fromZonedWallClock, personTimeZone, SNOOZE_PRESETS, snoozePresetTime } from './snooze-presets';

/** The person's time zone for snoozing and showing snooze times. */
export function useSnoozeZone(): string {
  return personTimeZone(useProfile().data?.timeZone);
}

/** "Snooze" with presets (1 h, tomorrow 9:00, next Monday 9:00) and a date-time picker, in the person's time zone. */
export function SnoozeMenu({
  onSnooze,
  disabled,
  compact,
  testId = 'snooze',
}: {
  onSnooze: (until: string) => void;
  disabled?: boolean;
  compact?: boolean;
  testId?: string;
}) {
  const { t } = useTranslation();
  const zone = useSnoozeZone();
  const locale = currentLanguage();
  const [picking, setPicking] = useState(false);
  const [picked, setPicked] = useState<Date | null>(null);
  const now = new Date();
  const pickedAt = picked ? fromZonedWallClock(picked, zone) : null;
  const inPast = pickedAt !== null && pickedAt.getTime() < Date.now() + 60_000;

  return (
    <>
      <Menu position="bottom-end" width={250} withinPortal>
        <Menu.Target>
          {compact ? (
            <Tooltip label={t('teamwork.snooze.button')}>
              <ActionIcon variant="default" size={30} aria-label={t('teamwork.snooze.button')} disabled={disabled} data-testid={testId}>
                <IconClockPause size={16} />
              </ActionIcon>
            </Tooltip>
          ) : (
            <Button size="compact-xs" variant="default" leftSection={<IconClockPause size={14} />} disabled={disabled} data-testid={testId}>
              {t('teamwork.snooze.button')}
            </Button>
          )}
        </Menu.Target>
        <Menu.Dropdown>
          {SNOOZE_PRESETS.map((p) => {
            const at = snoozePresetTime(p, now, zone);
            return (
              <Menu.Item key={p} onClick={() => onSnooze(at.toISOString())} data-testid={`snooze-${p}`}>
                <Group justify="space-between" wrap="nowrap" gap="xs">
                  <span>{t(`teamwork.snooze.${p}`)}</span>
                  <Text fz="xs" c="dimmed">
                    {formatInZone(at, zone, locale)}
                  </Text>
                </Group>
              </Menu.Item>
            );
          })}
          <Menu.Divider />
          <Menu.Item leftSection={<IconAlarm size={16} />} onClick={() => setPicking(true)} data-testid="snooze-pick">
            {t('teamwork.snooze.pick')}
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      <Modal opened={picking} onClose={() => setPicking(false)} title={t('teamwork.snooze.pickTitle')} size="sm">
        <DateTimePicker
          label={`${t('teamwork.snooze.pickTitle')} (${zone})`}
          value={picked}
          onChange={(v) => setPicked(v ? dayjs(v).toDate() : null)}
          minDate={new Date()}
          valueFormat="DD.MM.YYYY HH:mm"
          error={inPast ? t('teamwork.snooze.past') : undefined}
          popoverProps={{ withinPortal: true }}
          data-testid="snooze-datetime"
        />
        <Group justify="flex-end" mt="md">
          <Button
            disabled={!pickedAt || inPast}
            onClick={() => {
              if (!pickedAt) return;
              onSnooze(pickedAt.toISOString());
              setPicking(false);
            }}
            data-testid="snooze-confirm"
          >
            {t('teamwork.snooze.confirm')}
          </Button>
        </Group>
      </Modal>
    </>
  );
}

/** "Snoozed until …" with a button to wake it now. */
export function SnoozedLine({ until, onWake }: { until: string; onWake?: (() => void) | undefined }) {
  const { t } = useTranslation();
  const zone = useSnoozeZone();
  return (
    <Group gap={6} wrap="nowrap" data-testid="snoozed-until">
      <Text fz="xs" c="dimmed" truncate>
        {t('teamwork.snooze.until', { time: formatInZone(until, zone, currentLanguage()) })}
      </Text>
      {onWake && (
        <Button size="compact-xs" variant="light" onClick={onWake} data-testid="unsnooze">
          {t('teamwork.snooze.unsnooze')}
        </Button>
      )}
    </Group>
  );
}
