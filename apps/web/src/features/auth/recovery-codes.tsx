import { Alert, Button, CopyButton, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';

/** The ten recovery codes, shown once: each signs in once when the authenticator is lost. */
export function RecoveryCodes({ codes }: { codes: string[] }) {
  const { t } = useTranslation();
  return (
    <Stack gap="sm" data-testid="recovery-codes">
      <Alert color="yellow" icon={<IconAlertTriangle size={18} />} title={t('people.twoFactor.codesTitle')}>
        {t('people.twoFactor.codesText')}
      </Alert>
      <SimpleGrid cols={2} spacing={4}>
        {codes.map((c) => (
          <Text key={c} ff="monospace" fz="sm" data-testid="recovery-code">
            {c}
          </Text>
        ))}
      </SimpleGrid>
      <Group>
        <CopyButton value={codes.join('\n')}>
          {({ copied, copy }) => (
            <Button size="xs" variant="light" onClick={copy}>
              {copied ? t('people.common.copied') : t('people.twoFactor.copyCodes')}
            </Button>
          )}
        </CopyButton>
      </Group>
    </Stack>
  );
}
