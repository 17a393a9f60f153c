import { Alert, Button, CopyButton, Group, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import { SYSTEM_ROLES, type RoleInfo } from '@switchboard/shared';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../../i18n';
import { errorMessage, notifySuccess } from '../../lib/notify';
import { useCan } from '../auth/permissions';
import { roleLabel } from './role-label';
import { useInvite } from './use-team';

/**
 * The roles a manager may give: those whose every permission they hold themselves (the server checks the
 * same). From `GET /api/roles` when readable, else the system roles.
 */
export function useGrantableRoles(roles: RoleInfo[] | undefined): { value: string; label: string }[] {
  const can = useCan();
  const locale = currentLanguage();
  const all = roles ?? Object.entries(SYSTEM_ROLES).map(([key, permissions]) => ({ key, permissions: [...permissions] }));
  return all.filter((r) => r.permissions.every((p) => can(p))).map((r) => ({ value: r.key, label: roleLabel(r.key, locale, roles) }));
}

export function InviteModal({
  opened,
  onClose,
  roles,
  onLink,
}: {
  opened: boolean;
  onClose: () => void;
  roles: RoleInfo[] | undefined;
  onLink: (l: { email: string; link: string; kind: 'invite' | 'reset' }) => void;
}) {
  const { t } = useTranslation();
  const invite = useInvite();
  const options = useGrantableRoles(roles);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<string | null>('agent');
  const close = () => {
    invite.reset();
    setEmail('');
    onClose();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!role) return;
    invite.mutate(
      { email: email.trim(), role },
      {
        onSuccess: (sent) => {
          close();
          if (sent.link) onLink({ email: sent.email, link: sent.link, kind: 'invite' });
          else notifySuccess(t('people.team.inviteSent'));
        },
      },
    );
  };
  return (
    <Modal opened={opened} onClose={close} title={t('people.team.inviteTitle')} centered>
      <form onSubmit={submit}>
        <Stack>
          <Text fz="sm" c="dimmed">
            {t('people.team.inviteText')}
          </Text>
          {invite.isError && (
            <Alert color="red" icon={<IconAlertCircle size={18} />} role="alert" data-testid="invite-modal-error">
              {errorMessage(invite.error)}
            </Alert>
          )}
          <TextInput
            label={t('auth.email')}
            type="email"
            required
            data-autofocus
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
            data-testid="invite-email"
          />
          <Select
            label={t('people.team.columns.role')}
            data={options}
            value={role}
            onChange={setRole}
            allowDeselect={false}
            comboboxProps={{ withinPortal: true }}
            data-testid="invite-role"
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={invite.isPending} data-testid="invite-send">
              {t('people.team.sendInvite')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** No mail server: the link to pass on by hand (messenger, in person). */
export function LinkToPassOn({
  value,
  onClose,
}: {
  value: { email: string; link: string; kind: 'invite' | 'reset' } | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Modal
      opened={value !== null}
      onClose={onClose}
      title={value?.kind === 'reset' ? t('people.team.resetLinkTitle') : t('people.team.linkTitle')}
      centered
    >
      <Stack>
        <Text fz="sm">{t('people.team.linkText', { email: value?.email ?? '' })}</Text>
        <TextInput readOnly value={value?.link ?? ''} onFocus={(e) => e.currentTarget.select()} data-testid="invite-link" />
        <Group justify="flex-end">
          <CopyButton value={value?.link ?? ''}>
            {({ copied, copy }) => (
              <Button variant="light" onClick={copy}>
                {copied ? t('people.common.copied') : t('people.common.copy')}
              </Button>
            )}
          </CopyButton>
          <Button onClick={onClose}>{t('people.common.done')}</Button>
        </Group>
      </Stack>
    </Modal>
  );
}
