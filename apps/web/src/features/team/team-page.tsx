import { Page } from '../../components/page';
import { ActionIcon, Badge, Button, Card, Group, Menu, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import {
  IconDots,
  IconKey,
  IconLockOpen,
  IconMailForward,
  IconShieldCheck,
  IconShieldOff,
  IconTrash,
  IconUserCheck,
  IconUserOff,
  IconUserPlus,
} from '@tabler/icons-react';
import type { Invitation, TeamMember } from '@switchboard/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmModal } from '../../components/confirm-modal';
import { PageHeader } from '../../components/page-header';
import { LoadFailed, PageLoader } from '../../components/page-states';
import { UserAvatar } from '../../components/user-avatar';
import { currentLanguage } from '../../i18n';
import { notifySuccess } from '../../lib/notify';
import { formatAgo, formatDateTime, useNow } from '../../lib/time';
import { useCan } from '../auth/permissions';
import { useMe } from '../auth/use-session';
import { ChangeRoleModal } from './change-role-modal';
import { InviteModal, LinkToPassOn } from './invite-modal';
import { roleLabel } from './role-label';
import { TeamTokens, TwoFactorPolicySwitch } from './team-security';
import {
  useDeactivate,
  useInvitations,
  useMembers,
  usePasswordResetLink,
  useReactivate,
  useResendInvitation,
  useResetTwoFactor,
  useRevokeInvitation,
  useRoles,
} from './use-team';

type Pending = { kind: 'deactivate' | 'reset2fa'; member: TeamMember } | { kind: 'revoke'; invitation: Invitation } | null;

/** The Team page: members, invitations, and what a manager does to them. */
export function TeamPage() {
  const { t } = useTranslation();
  const can = useCan();
  const manage = can('user.manage');
  const members = useMembers();
  const invitations = useInvitations(manage);
  const roles = useRoles(can('role.read'));
  const locale = currentLanguage();
  const [inviteOpen, invite] = useDisclosure(false);
  const [roleOf, setRoleOf] = useState<TeamMember | null>(null);
  const [pending, setPending] = useState<Pending>(null);
  const [link, setLink] = useState<{ email: string; link: string; kind: 'invite' | 'reset' } | null>(null);
  const deactivate = useDeactivate();
  const resetTwoFactor = useResetTwoFactor();
  const revoke = useRevokeInvitation();

  const action = manage ? (
    <Button leftSection={<IconUserPlus size={16} />} onClick={invite.open} data-testid="team-invite">
      {t('people.team.invite')}
    </Button>
  ) : undefined;

  return (
    <Page>
      <PageHeader title={t('people.team.title')} description={t('people.team.description')} action={action} />
      {members.isPending && <PageLoader />}
      {members.isError && <LoadFailed title={t('people.team.loadFailed')} error={members.error} />}
      {members.isSuccess && (
        <MembersTable
          members={members.data.items}
          roles={roles.data?.items}
          manage={manage}
          onChangeRole={setRoleOf}
          onPending={setPending}
          onLink={setLink}
        />
      )}
      {manage && invitations.isSuccess && invitations.data.items.length > 0 && (
        <InvitationsTable
          items={invitations.data.items}
          roles={roles.data?.items}
          locale={locale}
          onRevoke={(i) => setPending({ kind: 'revoke', invitation: i })}
          onLink={setLink}
        />
      )}
      {can('token.manage_all') && <TeamTokens />}
      {can('account.manage') && (
        <Card withBorder padding="md">
          <TwoFactorPolicySwitch />
        </Card>
      )}
      <InviteModal opened={inviteOpen} onClose={invite.close} roles={roles.data?.items} onLink={setLink} />
      <ChangeRoleModal member={roleOf} roles={roles.data?.items} onClose={() => setRoleOf(null)} />
      <LinkToPassOn value={link} onClose={() => setLink(null)} />
      <ConfirmModal
        opened={pending?.kind === 'deactivate'}
        title={t('people.team.deactivateTitle', { name: pending?.kind === 'deactivate' ? pending.member.name : '' })}
        text={t('people.team.deactivateText')}
        confirmLabel={t('people.team.deactivate')}
        loading={deactivate.isPending}
        onCancel={() => setPending(null)}
        onConfirm={() =>
          pending?.kind === 'deactivate' &&
          deactivate.mutate(pending.member.id, {
            onSuccess: () => {
              setPending(null);
              notifySuccess(t('people.team.deactivated'));
            },
          })
        }
      />
      <ConfirmModal
        opened={pending?.kind === 'reset2fa'}
        title={t('people.team.reset2faTitle')}
        text={t('people.team.reset2faText')}
        confirmLabel={t('people.team.reset2fa')}
        loading={resetTwoFactor.isPending}
        onCancel={() => setPending(null)}
        onConfirm={() => pending?.kind === 'reset2fa' && resetTwoFactor.mutate(pending.member.id, { onSuccess: () => setPending(null) })}
      />
      <ConfirmModal
        opened={pending?.kind === 'revoke'}
        title={t('people.team.revokeInviteTitle')}
        text={t('people.team.revokeInviteText', { email: pending?.kind === 'revoke' ? pending.invitation.email : '' })}
        confirmLabel={t('people.team.revokeInvite')}
        loading={revoke.isPending}
        onCancel={() => setPending(null)}
        onConfirm={() => pending?.kind === 'revoke' && revoke.mutate(pending.invitation.id, { onSuccess: () => setPending(null) })}
      />
    </Page>
  );
}

function MembersTable({
  members,
  roles,
  manage,
  onChangeRole,
  onPending,
  onLink,
}: {
  members: TeamMember[];
  roles: Parameters<typeof roleLabel>[2];
  manage: boolean;
  onChangeRole: (m: TeamMember) => void;
  onPending: (p: Pending) => void;
  onLink: (l: { email: string; link: string; kind: 'invite' | 'reset' }) => void;
}) {
  const { t } = useTranslation();
  const me = useMe();
  const now = useNow();
  const locale = currentLanguage();
  const reactivate = useReactivate();
  const resetLink = usePasswordResetLink();

  return (
    <Card withBorder padding={0}>
      <Table.ScrollContainer minWidth={860}>
        <Table verticalSpacing="sm" horizontalSpacing="md" data-testid="team-members">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('people.team.columns.name')}</Table.Th>
              <Table.Th>{t('people.team.columns.role')}</Table.Th>
              <Table.Th>{t('people.team.columns.teams')}</Table.Th>
              <Table.Th>{t('people.team.columns.status')}</Table.Th>
              <Table.Th>{t('people.team.columns.lastActive')}</Table.Th>
              <Table.Th>{t('people.team.columns.twoFactor')}</Table.Th>
              {manage && <Table.Th w={48} />}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {members.map((m) => (
              <Table.Tr key={m.id} data-testid="team-member" data-email={m.email} opacity={m.status === 'deactivated' ? 0.6 : 1}>
                <Table.Td>
                  <Group gap="sm" wrap="nowrap">
                    <MemberAvatar member={m} />
                    <div style={{ minWidth: 0 }}>
                      <Text fw={500} fz="sm" truncate>
                        {m.name}
                        {m.id === me.id && (
                          <Text span c="dimmed" fz="xs">
                            {' '}
                            ({t('people.team.you')})
                          </Text>
                        )}
                      </Text>
                      <Text c="dimmed" fz="xs" truncate>
                        {m.email}
                      </Text>
                    </div>
                  </Group>
                </Table.Td>
                <Table.Td fz="sm" data-testid="member-role">
                  {roleLabel(m.role, locale, roles)}
                </Table.Td>
                <Table.Td fz="sm" c="dimmed">
                  {m.teams.length ? m.teams.map((x) => x.name).join(', ') : '—'}
                </Table.Td>
                <Table.Td>
                  <Badge color={m.status === 'active' ? 'green' : 'gray'} variant="light" data-testid="member-status">
                    {t(`people.team.status.${m.status}`)}
                  </Badge>
                </Table.Td>
                <Table.Td fz="sm" c={m.lastActiveAt ? undefined : 'dimmed'}>
                  {m.lastActiveAt ? (
                    <Tooltip label={formatDateTime(m.lastActiveAt, locale)}>
                      <span>{formatAgo(m.lastActiveAt, now, locale)}</span>
                    </Tooltip>
                  ) : (
                    t('people.team.never')
                  )}
                </Table.Td>
                <Table.Td>
                  {m.twoFactor ? (
                    <Badge color="teal" variant="light" leftSection={<IconShieldCheck size={12} />}>
                      {t('people.team.on')}
                    </Badge>
                  ) : (
                    <Text fz="sm" c="dimmed">
                      {t('people.team.off')}
                    </Text>
                  )}
                </Table.Td>
                {manage && (
                  <Table.Td>
                    {m.id !== me.id && (
                      <Menu position="bottom-end" withinPortal>
                        <Menu.Target>
                          <ActionIcon
                            variant="subtle"
                            aria-label={t('people.team.actionsFor', { name: m.name })}
                            data-testid="member-actions"
                          >
                            <IconDots size={16} />
                          </ActionIcon>
                        </Menu.Target>
                        <Menu.Dropdown>
                          {m.status === 'active' && (
                            <Menu.Item leftSection={<IconKey size={14} />} onClick={() => onChangeRole(m)} data-testid="member-change-role">
                              {t('people.team.changeRole')}
                            </Menu.Item>
                          )}
                          {m.status === 'active' && (
                            <Menu.Item
                              leftSection={<IconLockOpen size={14} />}
                              onClick={() =>
                                resetLink.mutate(m.id, {
                                  onSuccess: (r) =>
                                    r.link
                                      ? onLink({ email: m.email, link: r.link, kind: 'reset' })
                                      : notifySuccess(t('people.team.resetMailed')),
                                })
                              }
                            >
                              {t('people.team.sendReset')}
                            </Menu.Item>
                          )}
                          {m.twoFactor && (
                            <Menu.Item leftSection={<IconShieldOff size={14} />} onClick={() => onPending({ kind: 'reset2fa', member: m })}>
                              {t('people.team.reset2fa')}
                            </Menu.Item>
                          )}
                          <Menu.Divider />
                          {m.status === 'active' ? (
                            <Menu.Item
                              color="red"
                              leftSection={<IconUserOff size={14} />}
                              onClick={() => onPending({ kind: 'deactivate', member: m })}
                              data-testid="member-deactivate"
                            >
                              {t('people.team.deactivate')}
                            </Menu.Item>
                          ) : (
                            <Menu.Item
                              leftSection={<IconUserCheck size={14} />}
                              onClick={() => reactivate.mutate(m.id)}
                              data-testid="member-reactivate"
                            >
                              {t('people.team.reactivate')}
                            </Menu.Item>
                          )}
                        </Menu.Dropdown>
                      </Menu>
                    )}
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Card>
  );
}

function MemberAvatar({ member }: { member: TeamMember }) {
  return member.hasAvatar ? (
    <UserAvatar name={member.name} seed={member.id} size={32} src={`/api/users/${member.id}/avatar`} />
  ) : (
    <UserAvatar name={member.name} seed={member.id} size={32} />
  );
}

function InvitationsTable({
  items,
  roles,
  locale,
  onRevoke,
  onLink,
}: {
  items: Invitation[];
  roles: Parameters<typeof roleLabel>[2];
  locale: string;
  onRevoke: (i: Invitation) => void;
  onLink: (l: { email: string; link: string; kind: 'invite' | 'reset' }) => void;
}) {
  const { t } = useTranslation();
  const resend = useResendInvitation();
  return (
    <Stack gap="xs">
      <Title order={2} fz="h5">
        {t('people.team.invitations')}
      </Title>
      <Card withBorder padding={0}>
        <Table.ScrollContainer minWidth={640}>
          <Table verticalSpacing="xs" horizontalSpacing="md" data-testid="team-invitations">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('auth.email')}</Table.Th>
                <Table.Th>{t('people.team.columns.role')}</Table.Th>
                <Table.Th>{t('people.team.columns.status')}</Table.Th>
                <Table.Th>{t('people.team.columns.expires')}</Table.Th>
                <Table.Th w={96} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((i) => (
                <Table.Tr key={i.id} data-testid="invitation-row" data-email={i.email}>
                  <Table.Td fz="sm">{i.email}</Table.Td>
                  <Table.Td fz="sm">{roleLabel(i.role, locale, roles)}</Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={i.status === 'pending' ? 'blue' : 'gray'}>
                      {t(`people.team.inviteStatus.${i.status}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td fz="sm">{formatDateTime(i.expiresAt, locale)}</Table.Td>
                  <Table.Td>
                    {(i.status === 'pending' || i.status === 'expired') && (
                      <Group gap={4} wrap="nowrap">
                        <Tooltip label={t('people.team.resend')}>
                          <ActionIcon
                            variant="subtle"
                            loading={resend.isPending && resend.variables === i.id}
                            aria-label={t('people.team.resend')}
                            onClick={() =>
                              resend.mutate(i.id, {
                                onSuccess: (r) =>
                                  r.link
                                    ? onLink({ email: r.email, link: r.link, kind: 'invite' })
                                    : notifySuccess(t('people.team.inviteSent')),
                              })
                            }
                            data-testid="invitation-resend"
                          >
                            <IconMailForward size={16} />
                          </ActionIcon>
                        </Tooltip>
                        <Tooltip label={t('people.team.revokeInvite')}>
                          <ActionIcon
                            variant="subtle"
                            color="red"
                            aria-label={t('people.team.revokeInvite')}
                            onClick={() => onRevoke(i)}
                            data-testid="invitation-revoke"
                          >
                            <IconTrash size={16} />
                          </ActionIcon>
                        </Tooltip>
                      </Group>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Card>
    </Stack>
  );
}
