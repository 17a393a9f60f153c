import { ActionIcon, Badge, Button, Group, Table, Text, Tooltip } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconLogout } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { LoadFailed, PageLoader } from '../../components/page-states';
import { currentLanguage } from '../../i18n';
import { formatAgo, formatDateTime, useNow } from '../../lib/time';
import { SignOutEverywhereModal } from '../auth/sign-out-everywhere-modal';
import { Section } from './profile-page';
import { useMySessions, useRevokeSession } from './use-profile';

/** My sessions with device, IP and last use; sign one out, or all (optionally with my API tokens). */
export function MySessionsCard() {
  const { t } = useTranslation();
  const sessions = useMySessions();
  const revoke = useRevokeSession();
  const now = useNow();
  const locale = currentLanguage();
  const [confirmOpen, confirm] = useDisclosure(false);

  return (
    <Section title={t('people.sessions.title')} description={t('people.sessions.text')} testId="profile-sessions">
      {sessions.isPending && <PageLoader />}
      {sessions.isError && <LoadFailed title={t('people.sessions.loadFailed')} error={sessions.error} />}
      {sessions.isSuccess && (
        <Table.ScrollContainer minWidth={520}>
          <Table verticalSpacing="xs" data-testid="my-sessions">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('people.sessions.device')}</Table.Th>
                <Table.Th>IP</Table.Th>
                <Table.Th>{t('people.sessions.lastUsed')}</Table.Th>
                <Table.Th w={48} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {sessions.data.items.map((s) => (
                <Table.Tr key={s.id} data-testid="my-session">
                  <Table.Td fz="sm">
                    <Group gap={6} wrap="nowrap">
                      <Text fz="sm" title={s.userAgent ?? ''}>
                        {s.device}
                      </Text>
                      {s.current && (
                        <Badge size="xs" variant="light">
                          {t('people.sessions.current')}
                        </Badge>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td fz="sm" ff="monospace">
                    {s.ip ?? '—'}
                  </Table.Td>
                  <Table.Td fz="sm">
                    <Tooltip label={formatDateTime(s.lastSeenAt, locale)}>
                      <span>{formatAgo(s.lastSeenAt, now, locale)}</span>
                    </Tooltip>
                  </Table.Td>
                  <Table.Td>
                    {!s.current && (
                      <Tooltip label={t('people.sessions.signOut')}>
                        <ActionIcon
                          variant="subtle"
                          color="red"
                          aria-label={t('people.sessions.signOut')}
                          loading={revoke.isPending && revoke.variables === s.id}
                          onClick={() => revoke.mutate(s.id)}
                          data-testid="session-revoke"
                        >
                          <IconLogout size={16} />
                        </ActionIcon>
                      </Tooltip>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Group>
        <Button variant="light" color="red" onClick={confirm.open} data-testid="sessions-everywhere">
          {t('user.logoutAll')}
        </Button>
      </Group>
      <SignOutEverywhereModal opened={confirmOpen} onClose={confirm.close} />
    </Section>
  );
}
