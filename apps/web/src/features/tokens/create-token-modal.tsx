import { Alert, Button, CopyButton, Group, Modal, MultiSelect, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { permissionAreas, type PermissionArea } from '@switchboard/shared';
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
  const [access, setAccess] = useState<'read' | 'full'>('full');
  const [areas, setAreas] = useState<PermissionArea[]>([]);
  const [expires, setExpires] = useState('');
  const created = create.data;

  // Cleared only once the modal has faded out, so the secret does not flip back to the form while closing.
  const clear = () => {
    create.reset();
    setName('');
    setAccess('full');
    setAreas([]);
    setExpires('');
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) return;
    create.mutate({
      name: name.trim(),
      scopes: { access, ...(areas.length > 0 ? { areas } : {}) },
      // The end of the chosen day in the browser's time zone.
      expiresAt: expires ? new Date(`${expires}T23:59:59`).toISOString() : null,
    });
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
            <Stack gap={4}>
              <Text fz="sm" fw={500}>
                {t('tokensScopes.access')}
              </Text>
              <SegmentedControl
                value={access}
                onChange={(v) => setAccess(v as 'read' | 'full')}
                data={[
                  { value: 'full', label: t('tokensScopes.full') },
                  { value: 'read', label: t('tokensScopes.read') },
                ]}
                data-testid="token-access"
              />
            </Stack>
            <MultiSelect
              label={t('tokensScopes.areas')}
              description={t('tokensScopes.areasHint')}
              placeholder={areas.length ? undefined : t('tokensScopes.areasPlaceholder')}
              data={permissionAreas.map((a) => ({ value: a, label: t(`roles.areas.${a}`) }))}
              value={areas}
              onChange={(v) => setAreas(v as PermissionArea[])}
              clearable
              searchable
              data-testid="token-areas"
            />
            <TextInput
              type="date"
              label={t('tokensScopes.expires')}
              description={t('tokensScopes.expiresHint')}
              min={new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)}
              value={expires}
              onChange={(e) => setExpires(e.currentTarget.value)}
              data-testid="token-expires"
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
