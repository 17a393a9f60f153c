import { Page } from '../../components/page';
import { ActionIcon, Button, Card, Table, Text, Tooltip, VisuallyHidden } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconKey, IconPlus, IconTrash } from '@tabler/icons-react';
import type { ApiToken } from '@switchboard/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmModal } from '../../components/confirm-modal';
import { PageHeader } from '../../components/page-header';
import { EmptyState, LoadFailed, PageLoader } from '../../components/page-states';
import { currentLanguage } from '../../i18n';
import {} from '../../lib/notify';
import { formatAgo, formatDateTime, useNow } from '../../lib/time';
import { CreateTokenModal } from './create-token-modal';
import { useRevokeToken, useTokens } from './use-tokens';

export function TokensPage() {
  const { t } = useTranslation();
  const tokens = useTokens();
  const revoke = useRevokeToken();
  const now = useNow();
  const locale = currentLanguage();
  const [createOpen, create] = useDisclosure(false);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);

  const createButton = (
    <Button leftSection={<IconPlus size={16} />} onClick={create.open} data-testid="token-create">
      {t('tokens.create')}
    </Button>
  );

  return (
    <Page>
      <PageHeader title={t('tokens.title')} description={t('tokens.description')} action={createButton} />
      {tokens.isPending && <PageLoader />}
      {tokens.isError && <LoadFailed title={t('tokens.loadFailed')} error={tokens.error} />}
      {tokens.isSuccess && tokens.data.items.length === 0 && (
        <EmptyState
          testId="tokens-empty"
          icon={<IconKey size={36} stroke={1.3} color="var(--mantine-color-dimmed)" aria-hidden />}
          title={t('tokens.emptyTitle')}
          text={t('tokens.emptyText')}
          textWidth={420}
        />
      )}
      {tokens.isSuccess && tokens.data.items.length > 0 && (
        <Card withBorder padding={0}>
          <Table.ScrollContainer minWidth={760}>
            <Table verticalSpacing="sm" horizontalSpacing="md" data-testid="token-list">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('tokens.columns.name')}</Table.Th>
                  <Table.Th>{t('tokens.columns.prefix')}</Table.Th>
                  <Table.Th>{t('tokensScopes.columns.scopes')}</Table.Th>
                  <Table.Th>{t('tokensScopes.columns.expires')}</Table.Th>
                  <Table.Th>{t('tokens.columns.created')}</Table.Th>
                  <Table.Th>{t('tokens.columns.lastUsed')}</Table.Th>
                  <Table.Th w={48}>
                    <VisuallyHidden>{t('tokens.columns.actions')}</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {tokens.data.items.map((token) => (
                  <Table.Tr key={token.id} data-testid="token-row" data-token-id={token.id}>
                    <Table.Td fw={500}>{token.name}</Table.Td>
                    <Table.Td ff="monospace" fz="sm">
                      {token.prefix}…
                    </Table.Td>
                    <Table.Td fz="sm" data-testid="token-scopes">
                      {token.scopes?.access === 'read' ? t('tokensScopes.read') : t('tokensScopes.full')}
                      <Text fz="xs" c="dimmed">
                        {token.scopes?.areas?.length
                          ? token.scopes.areas.map((a) => t(`roles.areas.${a}`)).join(', ')
                          : t('tokensScopes.allAreas')}
                      </Text>
                    </Table.Td>
                    <Table.Td fz="sm" c={token.expiresAt ? undefined : 'dimmed'}>
                      {token.expiresAt
                        ? Date.parse(token.expiresAt) < now
                          ? t('tokensScopes.expired')
                          : formatDateTime(token.expiresAt, locale)
                        : t('tokensScopes.never')}
                    </Table.Td>
                    <Table.Td fz="sm">{formatDateTime(token.createdAt, locale)}</Table.Td>
                    <Table.Td fz="sm" c={token.lastUsedAt ? undefined : 'dimmed'}>
                      {token.lastUsedAt ? formatAgo(token.lastUsedAt, now, locale) : t('tokens.neverUsed')}
                    </Table.Td>
                    <Table.Td>
                      <Tooltip label={t('tokens.revoke')}>
                        <ActionIcon
                          variant="subtle"
                          color="red"
                          onClick={() => setRevoking(token)}
                          aria-label={t('tokens.revokeNamed', { name: token.name })}
                          data-testid="token-revoke"
                        >
                          <IconTrash size={16} />
                        </ActionIcon>
                      </Tooltip>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Card>
      )}
      <CreateTokenModal opened={createOpen} onClose={create.close} />
      <ConfirmModal
        opened={revoking !== null}
        title={t('tokens.revokeTitle', { name: revoking?.name ?? '' })}
        text={t('tokens.revokeText')}
        confirmLabel={t('tokens.revoke')}
        loading={revoke.isPending}
        onCancel={() => setRevoking(null)}
        onConfirm={() => revoking && revoke.mutate(revoking.id, { onSuccess: () => setRevoking(null) })}
      />
    </Page>
  );
}
