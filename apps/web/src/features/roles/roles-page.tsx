import { Page } from '../../components/page';
import { ActionIcon, Badge, Button, Card, Group, Table, Text, Tooltip } from '@mantine/core';
import { IconEye, IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { permissionNames, type RoleInfo } from '@switchboard/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmModal } from '../../components/confirm-modal';
import { PageHeader } from '../../components/page-header';
import { LoadFailed, PageLoader } from '../../components/page-states';
import { notifySuccess } from '../../lib/notify';
import { useHasPermission } from '../auth/permissions';
import { RoleEditorModal } from './role-editor-modal';
import { useRoleLabel } from './role-label';
import { useDeleteRole, useRoles } from './use-roles';

/** System roles and the account's custom roles; managers create and edit custom ones. */
export function RolesPage() {
  const { t } = useTranslation();
  const roles = useRoles();
  const label = useRoleLabel();
  const canManage = useHasPermission('role.manage');
  const remove = useDeleteRole();
  const [open, setOpen] = useState<RoleInfo | 'new' | null>(null);
  const [deleting, setDeleting] = useState<RoleInfo | null>(null);

  const createButton = canManage && (
    <Button leftSection={<IconPlus size={16} />} onClick={() => setOpen('new')} data-testid="role-create">
      {t('roles.create')}
    </Button>
  );

  return (
    <Page>
      <PageHeader title={t('roles.title')} description={t('roles.description')} action={createButton} />
      {roles.isPending && <PageLoader />}
      {roles.isError && <LoadFailed title={t('roles.loadFailed')} error={roles.error} />}
      {roles.isSuccess && (
        <Card withBorder padding={0}>
          <Table.ScrollContainer minWidth={520}>
            <Table verticalSpacing="sm" horizontalSpacing="md" data-testid="role-list">
              <Table.Tbody>
                {roles.data.items.map((r) => {
                  const editable = canManage && !r.system;
                  return (
                    <Table.Tr key={r.key} data-testid="role-row" data-role={r.key}>
                      <Table.Td>
                        <Group gap="xs" wrap="nowrap">
                          <Text fw={500}>{label(r.key)}</Text>
                          <Badge variant="light" color={r.system ? 'gray' : 'blue'} size="sm">
                            {r.system ? t('roles.systemBadge') : t('roles.customBadge')}
                          </Badge>
                        </Group>
                        <Text fz="xs" c="dimmed">
                          {t('roles.permissionsCount', { count: r.permissions.length, total: permissionNames.length })}
                        </Text>
                      </Table.Td>
                      <Table.Td fz="sm" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                        {t('roles.members', { count: r.members })}
                      </Table.Td>
                      <Table.Td w={96}>
                        <Group gap={4} justify="flex-end" wrap="nowrap">
                          <Tooltip label={editable ? t('roles.edit') : t('roles.view')}>
                            <ActionIcon
                              variant="subtle"
                              onClick={() => setOpen(r)}
                              aria-label={`${editable ? t('roles.edit') : t('roles.view')}: ${label(r.key)}`}
                              data-testid="role-open"
                            >
                              {editable ? <IconPencil size={16} /> : <IconEye size={16} />}
                            </ActionIcon>
                          </Tooltip>
                          {editable && (
                            <Tooltip label={r.members > 0 ? t('roles.inUse') : t('roles.delete')}>
                              <ActionIcon
                                variant="subtle"
                                color="red"
                                disabled={r.members > 0}
                                onClick={() => setDeleting(r)}
                                aria-label={`${t('roles.delete')}: ${r.name}`}
                                data-testid="role-delete"
                              >
                                <IconTrash size={16} />
                              </ActionIcon>
                            </Tooltip>
                          )}
                        </Group>
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Card>
      )}
      <RoleEditorModal role={open} onClose={() => setOpen(null)} />
      <ConfirmModal
        opened={deleting !== null}
        title={t('roles.deleteTitle', { name: deleting?.name ?? '' })}
        text={t('roles.deleteText')}
        confirmLabel={t('roles.delete')}
        loading={remove.isPending}
        onCancel={() => setDeleting(null)}
        onConfirm={() =>
          deleting &&
          remove.mutate(deleting.key, {
            onSuccess: () => {
              notifySuccess(t('roles.deleted', { name: deleting.name }));
              setDeleting(null);
            },
          })
        }
      />
    </Page>
  );
}
