import { Menu, Stack, Text, UnstyledButton } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconDevices, IconLogout } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { ConfirmModal } from '../../components/confirm-modal';
import { UserAvatar } from '../../components/user-avatar';
import { useLogout, useMe } from './use-session';

export function UserMenu() {
  const { t } = useTranslation();
  const me = useMe();
  const logout = useLogout();
  const logoutAll = useLogout(true);
  const [confirmOpen, confirm] = useDisclosure(false);

  return (
    <>
      <Menu position="right-end" width={240} withArrow>
        <Menu.Target>
          <UnstyledButton aria-label={t('user.menu')} data-testid="user-menu" style={{ alignSelf: 'center' }}>
            <UserAvatar name={me.name || me.email} seed={me.id} size={36} />
          </UnstyledButton>
        </Menu.Target>
        <Menu.Dropdown>
          <Stack gap={0} px="sm" py={6}>
            <Text fw={600} fz="sm" truncate>
              {me.name}
            </Text>
            <Text c="dimmed" fz="xs" truncate>
              {me.email}
            </Text>
            <Text c="dimmed" fz="xs">
              {t(`user.roles.${me.role}`)}
            </Text>
          </Stack>
          <Menu.Divider />
          <Menu.Item leftSection={<IconLogout size={16} />} onClick={() => logout.mutate()} data-testid="logout">
            {t('user.logout')}
          </Menu.Item>
          <Menu.Item leftSection={<IconDevices size={16} />} color="red" onClick={confirm.open} data-testid="logout-all">
            {t('user.logoutAll')}
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      <ConfirmModal
        opened={confirmOpen}
        title={t('user.logoutAllTitle')}
        text={t('user.logoutAllText')}
        confirmLabel={t('user.logoutAll')}
        loading={logoutAll.isPending}
        onCancel={confirm.close}
        onConfirm={() => logoutAll.mutate()}
      />
    </>
  );
}
