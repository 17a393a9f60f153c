import { Alert, Button, CopyButton, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { IconAlertCircle, IconAlertTriangle, IconCheck, IconCopy } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../lib/notify';
import type { CreatedToken } from './tokens.api';
import { useCreateToken } from './use-tokens';

/** Names a new token, then shows its secret exactly once. */
export function CreateTokenModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const create = useCreateToken();
  const [name, setName] = useState('');
  const created = create.data;

  // Cleared only once the modal has faded out, so the secret does not flip back to the form while closing.
  const clear = () => {
    create.reset();
    setName('');
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (name.trim()) create.mutate(name.trim());
  };

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      onExitTransitionEnd={clear}
      title={created ? t('tokens.createdTitle') : t('tokens.createTitle')}
      centered
      size="lg"
      closeOnClickOutside={!created}
    >
      {created ? (
        <TokenSecret token={created} onDone={onClose} />
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack>
            {create.isError && (
              <Alert color="red" icon={<IconAlertCircle size={18} />} role="alert">
                {errorMessage(create.error)}
              </Alert>
            )}
            <TextInput
              label={t('tokens.name')}
              description={t('tokens.nameHint')}
              placeholder={t('tokens.namePlaceholder')}
              required
              maxLength={100}
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              data-autofocus
              data-testid="token-name-input"
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={onClose}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" loading={create.isPending} disabled={!name.trim()} data-testid="token-create-submit">
                {t('tokens.create')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}

function TokenSecret({ token, onDone }: { token: CreatedToken; onDone: () => void }) {
  const { t } = useTranslation();
  return (
    <Stack>
      <Alert color="orange" icon={<IconAlertTriangle size={18} />} title={t('tokens.onceTitle')}>
        {t('tokens.onceText')}
      </Alert>
      <Group gap="xs" wrap="nowrap" align="flex-end">
        <TextInput
          label={token.name}
          value={token.token}
          readOnly
          flex={1}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
          onFocus={(e) => e.currentTarget.select()}
          data-testid="token-secret"
        />
        <CopyButton value={token.token}>
          {({ copied, copy }) => (
            <Button
              color={copied ? 'teal' : 'blue'}
              leftSection={copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
              onClick={copy}
              data-testid="token-copy"
            >
              {copied ? t('common.copied') : t('common.copy')}
            </Button>
          )}
        </CopyButton>
      </Group>
      <Text fz="xs" c="dimmed">
        {t('tokens.usage')}{' '}
        <Text span ff="monospace" fz="xs">
          Authorization: Bearer {token.prefix}…
        </Text>
      </Text>
      <Group justify="flex-end">
        <Button onClick={onDone} data-testid="token-done">
          {t('tokens.done')}
        </Button>
      </Group>
    </Stack>
  );
}
