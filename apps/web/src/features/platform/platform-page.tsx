import { Page } from '../../components/page';
import { ActionIcon, Badge, Button, Card, Menu, Stack, Table, Text, TextInput, Tooltip } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import {
  IconAdjustments,
  IconBuildingSkyscraper,
  IconDots,
  IconPlayerPause,
  IconPlayerPlay,
  IconPlus,
  IconSearch,
} from '@tabler/icons-react';
import { limitNames, type LimitName, type PlatformAccount } from '@switchboard/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmModal } from '../../components/confirm-modal';
import { PageHeader } from '../../components/page-header';
import { EmptyState, LoadFailed, PageLoader } from '../../components/page-states';
import { currentLanguage } from '../../i18n';
import { formatBytes, formatNumber } from '../../lib/format';
import { formatAgo, useNow } from '../../lib/time';
import { useMe } from '../auth/use-session';
import { CreateAccountModal } from './create-account-modal';
import { LimitsModal } from './limits-modal';
import { usePlatformAccounts, useSuspendAccount } from './use-platform';

/** The installation operator's cabinet: every client account with its usage, health and plan. */
export function PlatformPage() {
  const { t } = useTranslation();
  const me = useMe();
  if (!me.platformAdmin) {
    return (
      <Stack p="lg" data-testid="no-access">
        <Text c="dimmed">{t('platform.onlyOperator')}</Text>
      </Stack>
    );
  }
  return <Cabinet />;
}

function Cabinet() {
  const { t } = useTranslation();
  const accounts = usePlatformAccounts();
  const suspend = useSuspendAccount();
  const me = useMe();
  const [createOpen, create] = useDisclosure(false);
  const [limitsOf, setLimitsOf] = useState<PlatformAccount | null>(null);
  const [suspending, setSuspending] = useState<PlatformAccount | null>(null);
  const [query, setQuery] = useState('');
  const shown = (accounts.data?.items ?? []).filter((a) => a.name.toLowerCase().includes(query.trim().toLowerCase()));

  const createButton = (
    <Button leftSection={<IconPlus size={16} />} onClick={create.open} data-testid="account-create">
      {t('platform.create')}
    </Button>
  );

  return (
    <Page>
      <PageHeader title={t('platform.title')} description={t('platform.description')} action={createButton} />
      {accounts.isPending && <PageLoader />}
      {accounts.isError && <LoadFailed title={t('platform.loadFailed')} error={accounts.error} />}
      {accounts.isSuccess && accounts.data.items.length === 0 && (
        <EmptyState
          testId="accounts-empty"
          icon={<IconBuildingSkyscraper size={36} stroke={1.3} color="var(--mantine-color-dimmed)" aria-hidden />}
          title={t('platform.emptyTitle')}
          text={t('platform.emptyText')}
        />
      )}
      {accounts.isSuccess && accounts.data.items.length > 0 && (
        <>
          <TextInput
            leftSection={<IconSearch size={16} />}
            placeholder={t('platform.search')}
            value={query}
            onChange={(e) => setQuery(e.currentTarget.value)}
            maw={360}
            aria-label={t('platform.search')}
          />
          <Card withBorder padding={0}>
            <Table.ScrollContainer minWidth={900}>
              <Table verticalSpacing="sm" horizontalSpacing="md" data-testid="account-list">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('platform.columns.account')}</Table.Th>
                    <Table.Th>{t('platform.columns.status')}</Table.Th>
                    <Table.Th>{t('platform.columns.usage')}</Table.Th>
                    <Table.Th>{t('platform.columns.health')}</Table.Th>
                    <Table.Th w={48} />
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {shown.map((account) => (
                    <AccountRow
                      key={account.id}
                      account={account}
                      mine={account.id === me.accountId}
                      onLimits={() => setLimitsOf(account)}
                      onSuspend={() => setSuspending(account)}
                      onResume={() => suspend.mutate({ id: account.id, suspend: false })}
                    />
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Card>
        </>
      )}
      <CreateAccountModal opened={createOpen} onClose={create.close} />
      <LimitsModal account={limitsOf} onClose={() => setLimitsOf(null)} />
      <ConfirmModal
        opened={suspending !== null}
        title={t('platform.suspendTitle', { name: suspending?.name ?? '' })}
        text={t('platform.suspendText')}
        confirmLabel={t('platform.suspend')}
        loading={suspend.isPending}
        onCancel={() => setSuspending(null)}
        onConfirm={() => suspending && suspend.mutate({ id: suspending.id, suspend: true }, { onSuccess: () => setSuspending(null) })}
      />
    </Page>
  );
}

function usageText(name: LimitName, value: number, locale: string): string {
  return name === 'storageBytes' ? formatBytes(value) : formatNumber(value, locale);
}

function AccountRow(props: { account: PlatformAccount; mine: boolean; onLimits: () => void; onSuspend: () => void; onResume: () => void }) {
  const { account, mine } = props;
  const { t } = useTranslation();
  const locale = currentLanguage();
  const now = useNow();
  const suspended = account.status === 'suspended';
  return (
    <Table.Tr data-testid="account-row" data-account-id={account.id} data-status={account.status}>
      <Table.Td>
        <Text fw={600}>{account.name}</Text>
        <Text c="dimmed" fz="xs">
          {account.owners.length ? account.owners.join(', ') : t('platform.ownerInvited')}
        </Text>
      </Table.Td>
      <Table.Td>
        <Badge color={suspended ? 'red' : 'green'} variant="light" data-testid="account-status">
          {t(`platform.status.${account.status}`)}
        </Badge>
      </Table.Td>
      <Table.Td>
        <Stack gap={0}>
          {limitNames.map((name) => {
            const used = account.usage[name];
            const max = account.limits[name];
            const full = max !== null && max !== undefined && used >= max;
            return (
              <Text key={name} fz="xs" c={full ? 'red' : undefined} data-testid={`usage-${name}`}>
                {t(`platform.limits.${name}`)}: {usageText(name, used, locale)}
                {max !== null && max !== undefined ? ` / ${usageText(name, max, locale)}` : ''}
              </Text>
            );
          })}
        </Stack>
      </Table.Td>
      <Table.Td>
        <Stack gap={0}>
          <Text fz="xs" c={account.health.channelsFailing ? 'red' : 'dimmed'}>
            {t('platform.health.channelsFailing', { count: account.health.channelsFailing })}
          </Text>
          <Text fz="xs" c={account.health.undeliveredReplies ? 'orange' : 'dimmed'}>
            {t('platform.health.undelivered', { count: account.health.undeliveredReplies })}
          </Text>
          <Text fz="xs" c="dimmed">
            {account.health.lastActivityAt
              ? t('platform.health.lastActivity', { ago: formatAgo(account.health.lastActivityAt, now, locale) })
              : t('platform.health.noActivity')}
          </Text>
        </Stack>
      </Table.Td>
      <Table.Td>
        <Menu position="bottom-end" withArrow>
          <Menu.Target>
            <Tooltip label={t('platform.actions')}>
              <ActionIcon variant="subtle" aria-label={t('platform.actionsOf', { name: account.name })} data-testid="account-actions">
                <IconDots size={16} />
              </ActionIcon>
            </Tooltip>
          </Menu.Target>
          <Menu.Dropdown>
            <Menu.Item leftSection={<IconAdjustments size={16} />} onClick={props.onLimits} data-testid="account-limits">
              {t('platform.editLimits')}
            </Menu.Item>
            {suspended ? (
              <Menu.Item leftSection={<IconPlayerPlay size={16} />} onClick={props.onResume} data-testid="account-resume">
                {t('platform.resume')}
              </Menu.Item>
            ) : (
              <Menu.Item
                color="red"
                leftSection={<IconPlayerPause size={16} />}
                onClick={props.onSuspend}
                disabled={mine}
                data-testid="account-suspend"
              >
                {t('platform.suspend')}
              </Menu.Item>
            )}
          </Menu.Dropdown>
        </Menu>
      </Table.Td>
    </Table.Tr>
  );
}
