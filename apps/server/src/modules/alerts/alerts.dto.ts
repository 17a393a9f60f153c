import type { ChannelAlert } from '@switchboard/shared';
import type { AlertRow } from './alerts.repository.js';

export function toAlert(a: AlertRow): ChannelAlert {
  return {
    id: a.id,
    channelId: a.channelId,
    channelName: a.channelName,
    channelType: a.channelType as ChannelAlert['channelType'],
    kind: a.kind,
    message: a.message,
    openedAt: a.openedAt.toISOString(),
    notifiedAt: a.notifiedAt?.toISOString() ?? null,
    resolvedAt: a.resolvedAt?.toISOString() ?? null,
  };
}
