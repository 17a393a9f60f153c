import { Alert, Button, Group, Modal, ScrollArea, Stack, TextInput } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import type { Permission, RoleInfo } from '@switchboard/shared';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, notifySuccess } from '../../lib/notify';
import { useCan } from '../auth/permissions';
import { PermissionChecklist } from './permission-checklist';
import { useRoleLabel } from './role-label';
import { useSaveRole } from './use-roles';

interface Props {
  /** The role opened, or `'new'` for a new custom role; null when closed. */
  role: RoleInfo | 'new' | null;
  onClose: () => void;
}

/** Creates or edits a custom role; a system role opens read-only. */
export function RoleEditorModal({ role, onClose }: Props) {
  const { t } = useTranslation();
  const can = useCan();
  const label = useRoleLabel();
  const save = useSaveRole();
  const [name, setName] = useState('');
  const [perms, setPerms] = useState<Set<Permission>>(new Set());
  const existing = role && role !== 'new' ? role : null;
  const readOnly = Boolean(existing?.system) || !can('role.manage');

  useEffect(() => {
    if (!role) return;
    setName(existing ? existing.name : '');
    setPerms(new Set(existing?.permissions ?? []));
    save.reset();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- reset once per opened role
  }, [role]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim() || readOnly) return;
    save.mutate(
      { key: existing?.key ?? null, body: { name: name.trim(), permissions: [...perms] } },
      {
        onSuccess: (saved) => {
          notifySuccess(t(existing ? 'roles.saved' : 'roles.created', { name: saved.name }));
          onClose();
        },
      },
    );
  };

  const title = !existing
    ? t('roles.createTitle')
    : readOnly
      ? t('roles.viewTitle', { name: label(existing.key) })
      : t('roles.editTitle', { name: existing.name });

  return (
    <Modal opened={role !== null} onClose={onClose} title={title} size="lg" scrollAreaComponent={ScrollArea.Autosize}>
      <form onSubmit={submit} noValidate data-testid="role-editor">
        <Stack>
          {save.isError && (
            <Alert color="red" icon={<IconAlertCircle size={18} />} role="alert">
              {errorMessage(save.error)}
            </Alert>
          )}
          {!existing?.system && (
            <TextInput
              label={t('roles.name')}
              placeholder={t('roles.namePlaceholder')}
              required
              maxLength={80}
              value={name}
              readOnly={readOnly}
              onChange={(e) => setName(e.currentTarget.value)}
              data-autofocus
              data-testid="role-name-input"
            />
          )}
          <PermissionChecklist value={perms} onChange={setPerms} held={can} readOnly={readOnly} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            {!readOnly && (
              <Button type="submit" loading={save.isPending} disabled={!name.trim()} data-testid="role-save">
                {t('roles.save')}
              </Button>
            )}
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
