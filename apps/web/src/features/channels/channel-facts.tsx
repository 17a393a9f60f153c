import { Anchor, Group, Stack, Table, Text } from '@mantine/core';
import type { Channel } from '@switchboard/shared';
import type { ParseKeys } from 'i18next';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { configString } from './channels.api';
import { fieldsOf } from './channel-fields';
import { CopyIcon, CopySnippet, CopyValue } from './copy-value';

type FactKind = 'plain' | 'copy' | 'code' | 'link';

const X = 'channels.facts';

/**
 * Facts a channel learnt while connecting (and the settings worth copying), in the order shown.
 * Keys are added by each provider's adapter; unknown string facts are shown generically below these.
 */
const KNOWN: Record<string, { label: ParseKeys; kind: FactKind; href?: (v: string) => string }> = {
  botUsername: { label: `${X}.botUsername`, kind: 'link', href: (v) => `https://t.me/${v}` },
  botTokenHint: { label: `${X}.botTokenHint`, kind: 'plain' },
  avitoAccountName: { label: `${X}.avitoAccountName`, kind: 'plain' },
  avitoUserId: { label: `${X}.avitoUserId`, kind: 'copy' },
  displayPhoneNumber: { label: `${X}.displayPhoneNumber`, kind: 'copy' },
  verifiedName: { label: `${X}.verifiedName`, kind: 'plain' },
  phoneNumberId: { label: `${X}.phoneNumberId`, kind: 'copy' },
  idInstance: { label: `${X}.idInstance`, kind: 'copy' },
  stateInstance: { label: `${X}.stateInstance`, kind: 'plain' },
  wid: { label: `${X}.wid`, kind: 'copy' },
  address: { label: `${X}.address`, kind: 'copy' },
  webhookUrl: { label: `${X}.webhookUrl`, kind: 'copy' },
  verifyToken: { label: `${X}.verifyToken`, kind: 'copy' },
  embedSnippet: { label: `${X}.embedSnippet`, kind: 'code' },
  embedUrl: { label: `${X}.embedUrl`, kind: 'copy' },
  demoUrl: { label: `${X}.demoUrl`, kind: 'link', href: (v) => v },
  inboundUrl: { label: `${X}.inboundUrl`, kind: 'copy' },
  callbackUrl: { label: `${X}.callbackUrl`, kind: 'copy' },
};

/** Stored for the server's own use: not worth an operator's attention. */
const INTERNAL = new Set(['public', 'purpose', 'mode', 'assistant']);

export interface Fact {
  key: string;
  /** A translated label for known keys; unknown keys get a readable form of the key itself. */
  label: ParseKeys | null;
  value: string;
  kind: FactKind;
  href?: string;
}

/** "someNewKey" → "Some new key". */
export const humanize = (key: string) => {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

export function channelFacts(c: Channel): Fact[] {
  const facts: Fact[] = [];
  for (const [key, spec] of Object.entries(KNOWN)) {
    const value = configString(c, key);
    if (value) facts.push({ key, label: spec.label, value, kind: spec.kind, ...(spec.href ? { href: spec.href(value) } : {}) });
  }
  // The type's own settings are not facts (they are shown as settings); only what connecting learnt is.
  const settings = new Set(fieldsOf(c.type).map((f) => f.key.split('.')[0]!));
  for (const [key, raw] of Object.entries(c.config)) {
    if (key in KNOWN || settings.has(key) || INTERNAL.has(key) || typeof raw !== 'string' || !raw.trim()) continue;
    facts.push({ key, label: null, value: raw, kind: /^https?:\/\//.test(raw) ? 'copy' : 'plain' });
  }
  return facts;
}

function FactValue({ fact }: { fact: Fact }) {
  switch (fact.kind) {
    case 'code':
      return <CopySnippet value={fact.value} />;
    case 'copy':
      return <CopyValue value={fact.value} maw="100%" size="sm" />;
    case 'link':
      return (
        <Group gap={2} wrap="nowrap">
          <Anchor href={fact.href} target="_blank" rel="noreferrer" fz="sm" truncate>
            {fact.key === 'botUsername' ? `@${fact.value}` : fact.value}
          </Anchor>
          <CopyIcon value={fact.key === 'botUsername' ? `@${fact.value}` : fact.value} size="xs" />
        </Group>
      );
    case 'plain':
      return <Text fz="sm">{fact.value}</Text>;
  }
}

/** Everything the channel knows about its connection, each with a copy button where it is worth copying. */
export function ChannelFacts({ channel, empty }: { channel: Channel; empty?: ReactNode }) {
  const { t } = useTranslation();
  const facts = channelFacts(channel);
  if (facts.length === 0) return empty ?? null;
  return (
    <Table withRowBorders={false} verticalSpacing={6} horizontalSpacing={0} layout="fixed" data-testid="channel-facts">
      <Table.Tbody>
        {facts.map((f) => (
          <Table.Tr key={f.key} data-testid="channel-fact" data-key={f.key}>
            <Table.Td w="34%" pr="sm" valign="top">
              <Text fz="sm" c="dimmed">
                {f.label ? t(f.label) : humanize(f.key)}
              </Text>
            </Table.Td>
            <Table.Td style={{ minWidth: 0 }}>
              <Stack gap={0} miw={0}>
                <FactValue fact={f} />
              </Stack>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
