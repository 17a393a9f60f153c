import { ActionIcon, Card, Stack, Switch, Table, Text, Title, Tooltip } from '@mantine/core';
import { IconTrash } from '@tabler/icons-react';
import type { AccountToken } from '@switchboard/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { ConfirmModal } from '../../components/confirm-modal';
import { currentLanguage } from '../../i18n';
import { formatAgo, formatDateTime, useNow } from '../../lib/time';
import { teamKeys } from './team.api';
import { useAccountTokens } from './use-team';

const policyKey = ['account', 'two-factor-policy'] as const;

/** The account's rule: owners and admins must use two-factor sign-in (they enrol at their next sign-in). */
export function TwoFactorPolicySwitch() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const policy = useQuery({
    queryKey: policyKey,
    queryFn: ({ signal }) => api.get<{ requireTwoFactor: boolean }>('/api/account/two-factor-policy', { signal }),
  });
  const set = useMutation({
    mutationFn: (requireTwoFactor: boolean) =>
      api.put<{ requireTwoFactor: boolean }>('/api/account/two-factor-policy', { requireTwoFactor }),
    onSuccess: (data) => qc.setQueryData(policyKey, data),
  });
  return (
    <Switch
      label={t('people.team.require2fa')}
      description={t('people.team.require2faHint')}
      checked={policy.data?.requireTwoFactor ?? false}
      disabled={!policy.isSuccess || set.isPending}
      onChange={(e) => set.mutate(e.currentTarget.checked)}
      data-testid="require-2fa"
    />
  );
}

/** Every live API token of the account, whoever holds it; a manager revokes any. */
export function TeamTokens() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const tokens = useAccountTokens();
  const now = useNow();
  const locale = currentLanguage();
  const [revoking, setRevoking] = useState<AccountToken | null>(null);
  const revoke = useMutation({
    mutationFn: (id: string) => api.delete(`/api/tokens/${id}`),
    onSuccess: () => {
      setRevoking(null);
      void qc.invalidateQueries({ queryKey: teamKeys.accountTokens });
      void qc.invalidateQueries({ queryKey: ['tokens'] });
    },
  });
  if (!tokens.isSuccess || tokens.data.items.length === 0) return null;
  return (
    <Stack gap="xs">
      <Title order={2} fz="h5">
        {t('people.team.tokensTitle')}
      </Title>
      <Card withBorder padding={0}>
        <Table.ScrollContainer minWidth={600}>
          <Table verticalSpacing="xs" horizontalSpacing="md" data-testid="team-tokens">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('tokens.columns.name')}</Table.Th>
                <Table.Th>{t('people.team.tokenOwner')}</Table.Th>
                <Table.Th>{t('tokens.columns.prefix')}</Table.Th>
                <Table.Th>{t('tokens.columns.lastUsed')}</Table.Th>
                <Table.Th w={48} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {tokens.data.items.map((tok) => (
                <Table.Tr key={tok.id} data-testid="team-token">
                  <Table.Td fz="sm" fw={500}>
                    {tok.name}
                  </Table.Td>
                  <Table.Td fz="sm">{tok.userName}</Table.Td>
                  <Table.Td fz="sm" ff="monospace">
                    {tok.prefix}…
                  </Table.Td>
                  <Table.Td fz="sm" c={tok.lastUsedAt ? undefined : 'dimmed'}>
                    {tok.lastUsedAt ? (
                      <Tooltip label={formatDateTime(tok.lastUsedAt, locale)}>
                        <span>{formatAgo(tok.lastUsedAt, now, locale)}</span>
                      </Tooltip>
                    ) : (
                      t('tokens.neverUsed')
                    )}
                  </Table.Td>
                  <Table.Td>
                    <ActionIcon
                      variant="subtle"
                      color="red"
                      aria-label={t('tokens.revokeNamed', { name: tok.name })}
                      onClick={() => setRevoking(tok)}
                      data-testid="team-token-revoke"
                    >
                      <IconTrash size={16} />
                    </ActionIcon>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Card>
      <Text fz="xs" c="dimmed">
        {t('people.team.tokensHint')}
      </Text>
      <ConfirmModal
        opened={revoking !== null}
        title={t('tokens.revokeTitle', { name: revoking?.name ?? '' })}
        text={t('tokens.revokeText')}
        confirmLabel={t('tokens.revoke')}
        loading={revoke.isPending}
        onCancel={() => setRevoking(null)}
        onConfirm={() => revoking && revoke.mutate(revoking.id)}
      />
    </Stack>
  );
}
