import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { BridgeScope } from '@switchboard/shared';
import { notifyError } from '../../lib/notify';
import { bridgeKeys, createLinkToken, fetchBridge, setLinkScope, unlinkTelegram } from './bridge.api';

/** The operator bot and links; polled while a link waits to be opened in Telegram, until it is used. */
export function useBridge(waitingForLink = false) {
  return useQuery({
    queryKey: bridgeKeys.overview,
    queryFn: ({ signal }) => fetchBridge(signal),
    refetchInterval: (query) => (waitingForLink && !query.state.data?.link ? 3_000 : false),
  });
}

export function useCreateLinkToken() {
  return useMutation({ mutationFn: createLinkToken, onError: (e) => notifyError(e) });
}

export function useUnlinkTelegram() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: unlinkTelegram,
    onError: (e) => notifyError(e),
    onSettled: () => qc.invalidateQueries({ queryKey: bridgeKeys.overview }),
  });
}

export function useSetLinkScope() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, scope }: { id: string; scope: BridgeScope }) => setLinkScope(id, scope),
    onError: (e) => notifyError(e),
    onSettled: () => qc.invalidateQueries({ queryKey: bridgeKeys.overview }),
  });
}
