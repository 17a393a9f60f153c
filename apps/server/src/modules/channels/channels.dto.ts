import type { Channel, ChannelConfig } from '@switchboard/shared';
import type { ChannelRow } from './channels.repository.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toChannel(row: ChannelRow): Channel {
  return {
    id: row.id,
    type: row.type,
    name: row.name,
    config: publicConfig(row.config),
    status: row.status as Channel['status'],
    statusReason: row.statusReason,
    lastInboundAt: iso(row.lastInboundAt),
    lastOutboundAt: iso(row.lastOutboundAt),
    lastPolledAt: iso(row.lastPolledAt),
    createdAt: row.createdAt.toISOString(),
  };
}

function publicConfig(c: Record<string, unknown>): ChannelConfig {
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const mode = c.mode === 'polling' ? 'polling' : 'webhook';
  const out: ChannelConfig = { mode, assistant: { enabled: assistantEnabled(c) } };
  if (str(c.botUsername)) out.botUsername = str(c.botUsername);
  if (typeof c.botId === 'number') out.botId = c.botId;
  if (str(c.botTokenHint)) out.botTokenHint = str(c.botTokenHint);
  if (mode === 'webhook' && str(c.webhookUrl)) out.webhookUrl = str(c.webhookUrl);
  return out;
}

/** `123456:ABC…xyz` → `123456:…wxyz`: enough to recognise a token, useless to steal. */
export function tokenHint(token: string): string {
  const [botId] = token.split(':');
  return `${botId}:…${token.slice(-4)}`;
}

/** Whether the AI first line answers this channel's new conversations. */
export function assistantEnabled(config: Record<string, unknown>): boolean {
  const a = config.assistant as { enabled?: unknown } | undefined;
  return a?.enabled === true;
}
