import type { Channel, ChannelConfig } from '@switchboard/shared';
import type { ChannelRow } from './channels.repository.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toChannel(row: ChannelRow): Channel {
  return {
    id: row.id,
    type: row.type as Channel['type'],
    name: row.name,
    config: publicConfig(row.config),
    status: row.status as Channel['status'],
    statusReason: row.statusReason,
    lastInboundAt: iso(row.lastInboundAt),
    lastOutboundAt: iso(row.lastOutboundAt),
    lastPolledAt: iso(row.lastPolledAt),
    errorCount: row.errorCount,
    lastError: row.lastError,
    lastErrorAt: iso(row.lastErrorAt),
    createdAt: row.createdAt.toISOString(),
  };
}

/** Stored config holds no secrets (they are sealed apart), so it is returned as is. */
function publicConfig(c: Record<string, unknown>): ChannelConfig {
  return { ...c, assistant: { enabled: assistantEnabled(c) } };
}

/** Whether the AI first line answers this channel's new conversations. */
export function assistantEnabled(config: Record<string, unknown>): boolean {
  const a = config.assistant as { enabled?: unknown } | undefined;
  return a?.enabled === true;
}
