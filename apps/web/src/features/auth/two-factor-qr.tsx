import { Code, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { QrCode } from '../bridge/qr-code';

/** The authenticator's QR code and, for typing in by hand, its secret. */
export function TwoFactorQr({ uri, secret }: { uri: string; secret: string }) {
  const { t } = useTranslation();
  return (
    <Group align="center" wrap="wrap" gap="md" data-testid="two-factor-qr">
      <QrCode value={uri} size={168} label={t('people.twoFactor.qrLabel')} />
      <Stack gap={4} style={{ minWidth: 0, flex: 1 }}>
        <Text fz="sm">{t('people.twoFactor.scan')}</Text>
        <Text fz="xs" c="dimmed">
          {t('people.twoFactor.manual')}
        </Text>
        <Code fz="xs" style={{ wordBreak: 'break-all' }} data-testid="two-factor-secret">
          {secret}
        </Code>
      </Stack>
    </Group>
  );
}
