import { Badge, Menu } from '@mantine/core';
import { IconBuildingSkyscraper, IconCheck } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useSessionQuery } from '../auth/use-session';
import { useSwitchAccount } from './use-platform';

/** The user menu's account section: every account of mine (switch by a click) and the platform cabinet. */
export function AccountSwitcher() {
  const { t } = useTranslation();
  const { data } = useSessionQuery();
  const switchTo = useSwitchAccount();
  if (!data) return null;
  const accounts = data.accounts ?? [];
  const platformAdmin = data.user.platformAdmin === true;
  if (accounts.length < 2 && !platformAdmin) return null;
  return (
    <>
      {accounts.length > 1 && (
        <>
          <Menu.Label>{t('accounts.switchTitle')}</Menu.Label>
          {accounts.map((account) => {
            const current = account.id === data.user.accountId;
            const suspended = account.status === 'suspended';
            return (
              <Menu.Item
                key={account.id}
                disabled={current || suspended || switchTo.isPending}
                onClick={() => switchTo.mutate(account.id)}
                leftSection={current ? <IconCheck size={16} /> : <span style={{ width: 16 }} />}
                rightSection={
                  suspended ? (
                    <Badge size="xs" color="red" variant="light">
                      {t('platform.status.suspended')}
                    </Badge>
                  ) : undefined
                }
                data-testid="account-switch"
                data-account-id={account.id}
                aria-current={current ? 'true' : undefined}
              >
                {account.name}
              </Menu.Item>
            );
          })}
        </>
      )}
      {platformAdmin && (
        <Menu.Item component={Link} to="/platform" leftSection={<IconBuildingSkyscraper size={16} />} data-testid="menu-platform">
          {t('platform.title')}
        </Menu.Item>
      )}
      <Menu.Divider />
    </>
  );
}
