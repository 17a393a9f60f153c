import { Alert, Button, Group, Modal, Select, Stack } from '@mantine/core';
import type { RoleInfo, TeamMember } from '@switchboard/shared';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../lib/notify';
import { useGrantableRoles } from './invite-modal';
import { useChangeRole } from './use-team';

export function ChangeRoleModal({
  member,
  roles,
  onClose,
}: {
  member: TeamMember | null;
  roles: RoleInfo[] | undefined;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const change = useChangeRole();
  const options = useGrantableRoles(roles);
  const [role, setRole] = useState<string | null>(null);
  useEffect(() => {
    setRole(member?.role ?? null);
    change.reset();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- reset when another member is chosen
  }, [member?.id]);
  return (
    <Modal opened={member !== null} onClose={onClose} title={t('people.team.changeRoleTitle', { name: member?.name ?? '' })} centered>
      <Stack>
        {change.isError && <Alert color="red">{errorMessage(change.error)}</Alert>}
        <Select
          label={t('people.team.columns.role')}
          data={options}
          value={role}
          onChange={setRole}
          allowDeselect={false}
          comboboxProps={{ withinPortal: true }}
          data-testid="change-role-select"
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button
            loading={change.isPending}
            disabled={!role || role === member?.role}
            onClick={() => member && role && change.mutate({ id: member.id, role }, { onSuccess: onClose })}
            data-testid="change-role-save"
          >
            {t('people.common.save')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
