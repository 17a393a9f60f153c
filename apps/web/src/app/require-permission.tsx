import { Center, Stack, Text, Title } from '@mantine/core';
import { PERMISSIONS, type Permission } from '@switchboard/shared';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate } from 'react-router';
import { currentLanguage } from '../i18n';
import { useCan } from '../features/auth/permissions';
import { firstAllowedPage } from './nav-rail';

/** A page only people holding `permission` may open; others see why instead of a page that fails. */
export function RequirePermission({ permission, children }: { permission: Permission; children: ReactNode }) {
  const { t } = useTranslation();
  const can = useCan();
  if (can(permission)) return children;
  return (
    <Center h="100%" p="xl">
      <Stack align="center" gap="xs" maw={520} data-testid="no-access">
        <Title order={2}>{t('noAccess.title')}</Title>
        <Text c="dimmed" ta="center">
          {t('noAccess.text', { permission, description: PERMISSIONS[permission][currentLanguage()] })}
        </Text>
      </Stack>
    </Center>
  );
}

/** `/` leads to the first page the person may open. */
export function HomeRedirect() {
  const { t } = useTranslation();
  const page = firstAllowedPage(useCan());
  if (page) return <Navigate to={page} replace />;
  return (
    <Center h="100%" p="xl">
      <Stack align="center" gap="xs" maw={520} data-testid="no-pages">
        <Title order={2}>{t('noAccess.nothingTitle')}</Title>
        <Text c="dimmed" ta="center">
          {t('noAccess.nothingText')}
        </Text>
      </Stack>
    </Center>
  );
}
