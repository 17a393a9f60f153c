import { SegmentedControl, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ChannelMode } from './channels.api';

/** Same shape the server checks (`123456:ABC…`), so a typo is caught before a round trip to Telegram. */
export const BOT_TOKEN_PATTERN = /^\d+:[A-Za-z0-9_-]{20,}$/;

export function ModeField({ value, onChange }: { value: ChannelMode; onChange: (mode: ChannelMode) => void }) {
  const { t } = useTranslation();
  return (
    <Stack gap={4}>
      <Text fz="sm" fw={500} id="channel-mode-label">
        {t('channels.form.mode')}
      </Text>
      <SegmentedControl
        aria-labelledby="channel-mode-label"
        value={value}
        onChange={(v) => onChange(v === 'polling' ? 'polling' : 'webhook')}
        data={[
          { value: 'webhook', label: t('channels.mode.webhook') },
          { value: 'polling', label: t('channels.mode.polling') },
        ]}
        data-testid="channel-mode-input"
      />
      <Text fz="xs" c="dimmed">
        {value === 'webhook' ? t('channels.form.webhookHint') : t('channels.form.pollingHint')}
      </Text>
    </Stack>
  );
}
