import { Menu, Stack, Text, UnstyledButton } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconDevices, IconLogout, IconUserCircle } from '@tabler/icons-react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { UserAvatar } from '../../components/user-avatar';
import { roleLabel } from '../team/role-label';
import { AccountSwitcher } from '../platform/account-switcher';
import { SignOutEverywhereModal } from './sign-out-everywhere-modal';
import { PresenceIndicator, PresenceMenuItems } from '../teamwork/presence';
import { useLogout, useMe } from './use-session';

export function UserMenu() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const logout = useLogout();
  const [confirmOpen, confirm] = useDisclosure(false);

  return (
    <>
      <Menu position="right-end" width={240} withArrow>
        <Menu.Target>
          <UnstyledButton aria-label={t('user.menu')} data-testid="user-menu" style={{ alignSelf: 'center' }}>
            <PresenceIndicator>
              <UserAvatar name={me.name || me.email} seed={me.id} size={36} />
            </PresenceIndicator>
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
              {roleLabel(me.role, i18n.language)}
            </Text>
          </Stack>
          <Menu.Divider />
          <PresenceMenuItems />
          <AccountSwitcher />
          <Menu.Item component={Link} to="/profile" leftSection={<IconUserCircle size={16} />} data-testid="menu-profile">
            {t('people.profile.title')}
          </Menu.Item>
          <Menu.Item leftSection={<IconLogout size={16} />} onClick={() => logout.mutate()} data-testid="logout">
            {t('user.logout')}
          </Menu.Item>
          <Menu.Item leftSection={<IconDevices size={16} />} color="red" onClick={confirm.open} data-testid="logout-all">
            {t('user.logoutAll')}
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      <SignOutEverywhereModal opened={confirmOpen} onClose={confirm.close} />
    </>
  );
}
