import { Alert, Button, CopyButton, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { IconAlertCircle, IconCheck, IconCopy, IconMailForward } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../lib/notify';
import { LimitFields, toLimits, toValues, type LimitValues } from './limit-fields';
import { useCreateAccount } from './use-platform';

/** A new client account: its name, its owner's address (they get an invitation) and optional plan limits. */
export function CreateAccountModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const create = useCreateAccount();
  const [name, setName] = useState('');
  const [ownerEmail, setOwnerEmail] = useState('');
  const [limits, setLimits] = useState<LimitValues>(toValues({}));
  const created = create.data;

  const clear = () => {
    create.reset();
    setName('');
    setOwnerEmail('');
    setLimits(toValues({}));
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (name.trim() && ownerEmail.trim()) create.mutate({ name: name.trim(), ownerEmail: ownerEmail.trim(), limits: toLimits(limits) });
  };

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      onExitTransitionEnd={clear}
      title={created ? t('platform.createdTitle', { name: created.account.name }) : t('platform.createTitle')}
      centered
      size="lg"
    >
      {created ? (
        <Stack data-testid="account-created">
          <Alert color="green" icon={<IconMailForward size={18} />}>
            {t('platform.invitedText', { email: created.invitation.email })}
          </Alert>
          {created.invitation.link && (
            <Group gap="xs" wrap="nowrap" align="flex-end">
              <TextInput
                label={t('platform.inviteLink')}
                value={created.invitation.link}
                readOnly
                flex={1}
                onFocus={(e) => e.currentTarget.select()}
                data-testid="account-invite-link"
              />
              <CopyButton value={created.invitation.link}>
                {({ copied, copy }) => (
                  <Button variant="default" onClick={copy} leftSection={copied ? <IconCheck size={16} /> : <IconCopy size={16} />}>
                    {copied ? t('common.copied') : t('common.copy')}
                  </Button>
                )}
              </CopyButton>
            </Group>
          )}
          <Group justify="flex-end">
            <Button onClick={onClose}>{t('platform.done')}</Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack>
            {create.isError && (
              <Alert color="red" icon={<IconAlertCircle size={18} />} role="alert">
                {errorMessage(create.error)}
              </Alert>
            )}
            <TextInput
              label={t('platform.accountName')}
              required
              maxLength={200}
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              data-autofocus
              data-testid="account-name-input"
            />
            <TextInput
              label={t('platform.ownerEmail')}
              description={t('platform.ownerEmailHint')}
              type="email"
              required
              maxLength={320}
              value={ownerEmail}
              onChange={(e) => setOwnerEmail(e.currentTarget.value)}
              data-testid="account-owner-input"
            />
            <Text fw={500} fz="sm">
              {t('platform.limitsTitle')}
            </Text>
            <LimitFields values={limits} onChange={setLimits} />
            <Group justify="flex-end">
              <Button variant="default" onClick={onClose}>
                {t('common.cancel')}
              </Button>
              <Button
                type="submit"
                loading={create.isPending}
                disabled={!name.trim() || !ownerEmail.trim()}
                data-testid="account-create-submit"
              >
                {t('platform.create')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
