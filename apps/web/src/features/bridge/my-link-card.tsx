import { Alert, Anchor, Badge, Button, Card, CopyButton, Group, Stack, Text, Title } from '@mantine/core';
import { IconBrandTelegram, IconCheck, IconCopy, IconInfoCircle, IconUnlink } from '@tabler/icons-react';
import type { BridgeOverview, LinkTokenResponse } from '@switchboard/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmModal } from '../../components/confirm-modal';
import { currentLanguage } from '../../i18n';
import { formatDateTime } from '../../lib/time';
import { QrCode } from './qr-code';
import { SCOPE_LABELS } from './scope-label';
import { useCreateLinkToken, useUnlinkTelegram } from './use-bridge';

/** The signed-in user's own Telegram: link it (deep link and QR), see it, unlink it. */
export function MyLinkCard({
  overview,
  pending,
  onPending,
}: {
  overview: BridgeOverview;
  pending: LinkTokenResponse | null;
  onPending: (token: LinkTokenResponse | null) => void;
}) {
  const { t } = useTranslation();
  const create = useCreateLinkToken();
  const unlink = useUnlinkTelegram();
  const [confirming, setConfirming] = useState(false);
  const link = overview.link;

  return (
    <Card withBorder padding="lg" data-testid="bridge-my-link">
      <Stack gap="md">
        <Group gap="xs">
          <IconBrandTelegram size={22} stroke={1.6} aria-hidden />
          <Title order={2} fz="h4">
            {t('bridge.myTitle')}
          </Title>
        </Group>
        {link ? (
          <Stack gap="sm">
            <Group gap="xs" wrap="wrap">
              <Text>{t('bridge.linkedAs', { who: link.telegramUsername ? `@${link.telegramUsername}` : link.telegramUserId })}</Text>
              <Badge variant="light">{t(SCOPE_LABELS[link.scope])}</Badge>
            </Group>
            <Text c="dimmed" fz="sm">
              {t('bridge.howToReply')}
            </Text>
            <Group>
              <Button
                variant="default"
                color="red"
                leftSection={<IconUnlink size={16} />}
                onClick={() => setConfirming(true)}
                data-testid="bridge-unlink-mine"
              >
                {t('bridge.unlink')}
              </Button>
            </Group>
          </Stack>
        ) : pending ? (
          <PendingLink token={pending} onNew={() => create.mutate(undefined, { onSuccess: onPending })} busy={create.isPending} />
        ) : (
          <Stack gap="sm" align="flex-start">
            <Text c="dimmed" fz="sm">
              {t('bridge.linkHint')}
            </Text>
            <Button
              leftSection={<IconBrandTelegram size={16} />}
              loading={create.isPending}
              onClick={() => create.mutate(undefined, { onSuccess: onPending })}
              data-testid="bridge-link"
            >
              {t('bridge.linkButton')}
            </Button>
          </Stack>
        )}
      </Stack>
      <ConfirmModal
        opened={confirming}
        title={t('bridge.unlinkTitle')}
        text={t('bridge.unlinkText')}
        confirmLabel={t('bridge.unlink')}
        loading={unlink.isPending}
        onCancel={() => setConfirming(false)}
        onConfirm={() => link && unlink.mutate(link.id, { onSuccess: () => setConfirming(false) })}
      />
    </Card>
  );
}

/** A link waiting to be opened in Telegram: the deep link, its QR code and when it expires. */
function PendingLink({ token, onNew, busy }: { token: LinkTokenResponse; onNew: () => void; busy: boolean }) {
  const { t } = useTranslation();
  const expired = Date.parse(token.expiresAt) <= Date.now();
  return (
    <Group align="flex-start" gap="xl" wrap="wrap">
      <QrCode value={token.deepLink} label={t('bridge.qrLabel')} />
      <Stack gap="sm" maw={420}>
        <Text fz="sm">{t('bridge.openInTelegram', { bot: `@${token.botUsername}` })}</Text>
        <Anchor
          href={token.deepLink}
          target="_blank"
          rel="noreferrer"
          fz="sm"
          data-testid="bridge-deep-link"
          style={{ wordBreak: 'break-all' }}
        >
          {token.deepLink}
        </Anchor>
        <Group gap="xs">
          <CopyButton value={token.deepLink}>
            {({ copied, copy }) => (
              <Button size="xs" variant="light" leftSection={copied ? <IconCheck size={14} /> : <IconCopy size={14} />} onClick={copy}>
                {copied ? t('common.copied') : t('common.copy')}
              </Button>
            )}
          </CopyButton>
          <Button variant="default" size="xs" onClick={onNew} loading={busy} data-testid="bridge-new-link">
            {t('bridge.newLink')}
          </Button>
        </Group>
        <Alert color={expired ? 'orange' : 'blue'} icon={<IconInfoCircle size={18} />} p="xs">
          {expired ? t('bridge.linkExpired') : t('bridge.waiting', { until: formatDateTime(token.expiresAt, currentLanguage()) })}
        </Alert>
      </Stack>
    </Group>
  );
}
