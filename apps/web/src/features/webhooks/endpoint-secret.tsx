import { Alert, Button, Code, CopyButton, Group, Stack, Text, TextInput } from '@mantine/core';
import { IconAlertTriangle, IconCheck, IconCopy } from '@tabler/icons-react';
import type { WebhookEndpointWithSecret } from '@switchboard/shared';
import { useTranslation } from 'react-i18next';

/** The signing secret, shown this one time (after creating an endpoint or replacing its secret). */
export function EndpointSecret({ endpoint, onDone }: { endpoint: WebhookEndpointWithSecret; onDone: () => void }) {
  const { t } = useTranslation();
  return (
    <Stack>
      <Alert color="orange" icon={<IconAlertTriangle size={18} />} title={t('webhooks.secret.onceTitle')}>
        {t('webhooks.secret.onceText')}
      </Alert>
      <Group gap="xs" wrap="nowrap" align="flex-end">
        <TextInput
          label={endpoint.url}
          value={endpoint.secret}
          readOnly
          flex={1}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
          onFocus={(e) => e.currentTarget.select()}
          data-testid="webhook-secret"
        />
        <CopyButton value={endpoint.secret}>
          {({ copied, copy }) => (
            <Button color={copied ? 'teal' : 'blue'} leftSection={copied ? <IconCheck size={16} /> : <IconCopy size={16} />} onClick={copy}>
              {copied ? t('common.copied') : t('common.copy')}
            </Button>
          )}
        </CopyButton>
      </Group>
      <Text fz="xs" c="dimmed">
        {t('webhooks.secret.verifyHint')} <Code fz="xs">X-Switchboard-Signature: v1=HMAC-SHA256(secret, timestamp + "." + body)</Code>
      </Text>
      <Group justify="flex-end">
        <Button onClick={onDone} data-testid="webhook-secret-done">
          {t('webhooks.secret.done')}
        </Button>
      </Group>
    </Stack>
  );
}
