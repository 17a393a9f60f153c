import { Anchor, Badge, Button, CopyButton, Group, Stack, Text } from '@mantine/core';
import { IconCheck, IconCode, IconExternalLink } from '@tabler/icons-react';
import type { Channel } from '@switchboard/shared';
import { useTranslation } from 'react-i18next';
import { channelSettings, configString } from './channels.api';
import { CopyValue } from './copy-value';

/** The one line under a channel's name that says which account it is (bot, number, address…). */
export function connectionSummary(c: Channel, noCallback: string): string {
  const s = (key: string) => configString(c, key);
  const parts: (string | null)[] = (() => {
    switch (c.type) {
      case 'telegram':
        return [s('botUsername') ? `@${s('botUsername')}` : null, s('botTokenHint')];
      case 'avito':
        return [s('avitoAccountName'), s('avitoUserId') ? `ID ${s('avitoUserId')}` : null];
      case 'whatsapp_cloud':
        return [s('displayPhoneNumber'), s('verifiedName')];
      case 'green_api':
        return [s('wid') ?? s('phone'), s('idInstance') ? `ID ${s('idInstance')}` : null];
      case 'widget':
        return [s('title')];
      case 'email':
        return [s('address')];
      case 'api':
        return [s('callbackUrl') ?? noCallback];
    }
  })();
  return parts.filter(Boolean).join(' · ');
}

/** How messages reach the channel: mode and webhook URL, the embed code, the API URL, polling time. */
export function ChannelConnection({ channel: c, ago }: { channel: Channel; ago: (iso: string | null) => string }) {
  const { t } = useTranslation();
  const { mode } = channelSettings(c);
  const s = (key: string) => configString(c, key);
  const webhookUrl = s('webhookUrl');
  const label = (text: string) => (
    <Text fz="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
      {text}
    </Text>
  );

  switch (c.type) {
    case 'widget': {
      const snippet = s('embedSnippet');
      const demo = s('demoUrl');
      return (
        <Stack gap={4} align="flex-start">
          {snippet && (
            <CopyButton value={snippet}>
              {({ copied, copy }) => (
                <Button
                  size="compact-xs"
                  variant="light"
                  color={copied ? 'teal' : 'blue'}
                  leftSection={copied ? <IconCheck size={12} /> : <IconCode size={12} />}
                  onClick={copy}
                  data-testid="channel-copy-embed"
                >
                  {copied ? t('common.copied') : t('channels.copyEmbed')}
                </Button>
              )}
            </CopyButton>
          )}
          {demo && (
            <Anchor href={demo} target="_blank" rel="noreferrer" fz="xs">
              <Group gap={2} wrap="nowrap">
                {t('channels.openDemo')}
                <IconExternalLink size={12} />
              </Group>
            </Anchor>
          )}
        </Stack>
      );
    }
    case 'api': {
      const inbound = s('inboundUrl');
      return (
        <Stack gap={2} align="flex-start">
          {inbound && label(t('channels.facts.inboundUrl'))}
          {inbound && <CopyValue value={inbound} maw={280} />}
        </Stack>
      );
    }
    case 'email':
      return (
        <Stack gap={2} align="flex-start">
          <Text fz="xs" ff="monospace" c="dimmed" truncate maw={260}>
            {[s('imapHost'), s('smtpHost')].filter(Boolean).join(' / ')}
          </Text>
          {label(t('channels.lastPolled', { when: ago(c.lastPolledAt) }))}
        </Stack>
      );
    case 'whatsapp_cloud':
      return (
        <Stack gap={2} align="flex-start">
          {webhookUrl && label(t('channels.facts.webhookUrl'))}
          {webhookUrl && <CopyValue value={webhookUrl} maw={280} />}
        </Stack>
      );
    case 'telegram':
    case 'avito':
    case 'green_api':
      return (
        <Stack gap={2} align="flex-start">
          {mode && (
            <Badge variant="outline" color="gray" size="sm" data-testid="channel-mode">
              {t(`channels.mode.${mode}`)}
            </Badge>
          )}
          {mode !== 'polling' && webhookUrl && <CopyValue value={webhookUrl} maw={280} />}
          {mode === 'polling' && label(t('channels.lastPolled', { when: ago(c.lastPolledAt) }))}
        </Stack>
      );
  }
}
