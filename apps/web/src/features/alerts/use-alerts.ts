import { useQuery } from '@tanstack/react-query';
import { alertKeys, listAlerts, type AlertState } from './alerts.api';

/** Channel alerts, newest first; `channel.alert` events keep the cached lists current. */
export function useAlerts(state: AlertState, channelId: string | null = null, limit = 50) {
  return useQuery({
    queryKey: alertKeys.list(state, channelId),
    queryFn: ({ signal }) => listAlerts(state, channelId, limit, signal),
    // Events cover changes; the refresh only catches up after the stream was down.
    refetchInterval: 120_000,
  });
}
