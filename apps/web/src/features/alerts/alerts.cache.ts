import type { QueryClient } from '@tanstack/react-query';
import type { ChannelAlert } from '@switchboard/shared';
import { channelKeys } from '../channels/channels.api';
import { alertKeys, type AlertState } from './alerts.api';

type AlertList = { items: ChannelAlert[] };

const newestFirst = (a: ChannelAlert, b: ChannelAlert) => (a.openedAt < b.openedAt ? 1 : a.openedAt > b.openedAt ? -1 : 0);

/**
 * Folds a `channel.alert` event (an alert opened, or resolved) into every cached alert list: open
 * lists drop resolved alerts, history lists keep them with their new state.
 */
export function receiveAlert(qc: QueryClient, alert: ChannelAlert): void {
  for (const [key, data] of qc.getQueriesData<AlertList>({ queryKey: alertKeys.all })) {
    if (!data) continue;
    const [, state, channelId] = key as [string, AlertState, string | null];
    if (channelId && channelId !== alert.channelId) continue;
    const rest = data.items.filter((a) => a.id !== alert.id);
    const belongs = state === 'all' || alert.resolvedAt === null;
    qc.setQueryData<AlertList>(key, { items: belongs ? [...rest, alert].sort(newestFirst) : rest });
  }
  void qc.invalidateQueries({ queryKey: channelKeys.health(alert.channelId) });
}
