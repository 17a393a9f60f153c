import { ActionIcon, Alert, Card, Select, Stack, Table, Text, Title, Tooltip, VisuallyHidden } from '@mantine/core';
import { IconInfoCircle, IconUnlink } from '@tabler/icons-react';
import { bridgeScopes, type BridgeScope, type OperatorLink } from '@switchboard/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmModal } from '../../components/confirm-modal';
import { SCOPE_LABELS } from './scope-label';
import { useSetLinkScope, useUnlinkTelegram } from './use-bridge';
import { useRoleLabel } from '../roles/role-label';

/** Managers: everyone linked to the operator bot, what each receives, and unlinking. */
export function TeamLinksTable({ links, groupChatId }: { links: OperatorLink[]; groupChatId: string | null }) {
  const { t } = useTranslation();
  const roleLabel = useRoleLabel();
  const setScope = useSetLinkScope();
  const unlink = useUnlinkTelegram();
  const [unlinking, setUnlinking] = useState<OperatorLink | null>(null);
  const scopeOptions = bridgeScopes.map((s) => ({ value: s, label: t(SCOPE_LABELS[s]) }));

  return (
    <Stack gap="sm">
      <Stack gap={2}>
        <Title order={2} fz="h4">
          {t('bridge.teamTitle')}
        </Title>
        <Text c="dimmed" fz="sm" maw={640}>
          {t('bridge.teamDescription')}
        </Text>
      </Stack>
      {groupChatId && (
        <Alert color="blue" icon={<IconInfoCircle size={18} />} data-testid="bridge-group-mode">
          {t('bridge.groupMode', { chat: groupChatId })}
        </Alert>
      )}
      {links.length === 0 ? (
        <Card withBorder padding="lg">
          <Text c="dimmed" fz="sm" ta="center">
            {t('bridge.teamEmpty')}
          </Text>
        </Card>
      ) : (
        <Card withBorder padding={0}>
          <Table.ScrollContainer minWidth={640}>
            <Table verticalSpacing="sm" horizontalSpacing="md" data-testid="bridge-links">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('bridge.columns.user')}</Table.Th>
                  <Table.Th>{t('bridge.columns.telegram')}</Table.Th>
                  <Table.Th>{t('bridge.columns.receives')}</Table.Th>
                  <Table.Th w={48}>
                    <VisuallyHidden>{t('bridge.columns.actions')}</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {links.map((link) => (
                  <Table.Tr key={link.id} data-testid="bridge-link-row">
                    <Table.Td>
                      <Text fw={500} fz="sm">
                        {link.userName}
                      </Text>
                      <Text c="dimmed" fz="xs">
                        {link.userEmail} · {roleLabel(link.role)}
                      </Text>
                    </Table.Td>
                    <Table.Td fz="sm">{link.telegramUsername ? `@${link.telegramUsername}` : link.telegramUserId}</Table.Td>
                    <Table.Td>
                      <Select
                        size="xs"
                        w={260}
                        data={scopeOptions}
                        value={link.scope}
                        allowDeselect={false}
                        disabled={Boolean(groupChatId)}
                        aria-label={t('bridge.scopeFor', { name: link.userName })}
                        onChange={(v) => v && setScope.mutate({ id: link.id, scope: v as BridgeScope })}
                        data-testid="bridge-scope"
                      />
                    </Table.Td>
                    <Table.Td>
                      <Tooltip label={t('bridge.unlink')}>
                        <ActionIcon
                          variant="subtle"
                          color="red"
                          onClick={() => setUnlinking(link)}
                          aria-label={t('bridge.unlinkNamed', { name: link.userName })}
                          data-testid="bridge-unlink"
                        >
                          <IconUnlink size={16} />
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
      <ConfirmModal
        opened={unlinking !== null}
        title={t('bridge.unlinkNamed', { name: unlinking?.userName ?? '' })}
        text={t('bridge.unlinkOtherText')}
        confirmLabel={t('bridge.unlink')}
        loading={unlink.isPending}
        onCancel={() => setUnlinking(null)}
        onConfirm={() => unlinking && unlink.mutate(unlinking.id, { onSuccess: () => setUnlinking(null) })}
      />
    </Stack>
  );
}
