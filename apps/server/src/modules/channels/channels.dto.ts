import type { Channel } from '@switchboard/shared';
import type { ChannelRow } from './channels.repository.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toChannel(row: ChannelRow): Channel {
  return {
    id: row.id,
    type: row.type,
    name: row.name,
    config: row.config,
    status: row.status as Channel['status'],
    statusReason: row.statusReason,
    lastInboundAt: iso(row.lastInboundAt),
    lastOutboundAt: iso(row.lastOutboundAt),
    lastPolledAt: iso(row.lastPolledAt),
    createdAt: row.createdAt.toISOString(),
  };
}

/** `123456:ABC…xyz` → `123456:…wxyz`: enough to recognise a token, useless to steal. */
export function tokenHint(token: string): string {
  const [botId] = token.split(':');
  return `${botId}:…${token.slice(-4)}`;
}
