import { Button, Center, Loader, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../lib/notify';

export function FullScreenLoader() {
  const { t } = useTranslation();
  return (
    <Center h="100dvh">
      <Loader aria-label={t('common.loading')} />
    </Center>
  );
}

export function FullScreenError({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const { t } = useTranslation();
  return (
    <Center h="100dvh" p="xl">
      <Stack align="center" gap="xs" maw={480}>
        <Title order={3}>{t('errors.unavailableTitle')}</Title>
        <Text c="dimmed" ta="center">
          {errorMessage(error)}
        </Text>
        <Button onClick={onRetry} mt="sm">
          {t('common.retry')}
        </Button>
      </Stack>
    </Center>
  );
}
