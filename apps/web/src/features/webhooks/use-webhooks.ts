import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CreateWebhookEndpointRequest, UpdateWebhookEndpointRequest, WebhookEndpoint } from '@switchboard/shared';
import { useMemo } from 'react';
import {
  createEndpoint,
  deleteEndpoint,
  listDeliveries,
  listEndpoints,
  pingEndpoint,
  redeliver,
  redeliverFailed,
  rotateSecret,
  updateEndpoint,
  webhookKeys,
  type DeliveryFilter,
} from './webhooks.api';

/** Retries and the fan-out happen in the background: lists refresh on their own while the page is open. */
const REFRESH_MS = 5_000;

export function useEndpoints() {
  return useQuery({ queryKey: webhookKeys.endpoints, queryFn: ({ signal }) => listEndpoints(signal), refetchInterval: REFRESH_MS });
}

export function useDeliveries(endpointId: string, filter: DeliveryFilter) {
  const query = useInfiniteQuery({
    queryKey: webhookKeys.deliveryList(endpointId, filter),
    queryFn: ({ pageParam, signal }) => listDeliveries(endpointId, filter, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    refetchInterval: REFRESH_MS,
  });
  const deliveries = useMemo(() => (query.data?.pages ?? []).flatMap((p) => p.items), [query.data]);
  return { ...query, deliveries };
}

function useRefresh() {
  const qc = useQueryClient();
  return (endpointId?: string) => {
    void qc.invalidateQueries({ queryKey: webhookKeys.endpoints });
    if (endpointId) void qc.invalidateQueries({ queryKey: webhookKeys.deliveries(endpointId) });
  };
}

export function useCreateEndpoint() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (input: CreateWebhookEndpointRequest) => createEndpoint(input),
    onSuccess: () => refresh(),
    meta: { inlineErrors: true },
  });
}

export function useUpdateEndpoint({ inlineErrors = false } = {}) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, patch }: { id: string; patch: UpdateWebhookEndpointRequest }) => updateEndpoint(id, patch),
    onSuccess: (endpoint) =>
      qc.setQueryData<{ items: WebhookEndpoint[] }>(webhookKeys.endpoints, (data) =>
        data ? { items: data.items.map((e) => (e.id === endpoint.id ? endpoint : e)) } : data,
      ),
    meta: { inlineErrors },
  });
}

export function useDeleteEndpoint() {
  const refresh = useRefresh();
  return useMutation({ mutationFn: (id: string) => deleteEndpoint(id), onSuccess: () => refresh() });
}

export function useRotateSecret() {
  return useMutation({ mutationFn: (id: string) => rotateSecret(id) });
}

export function usePing() {
  const refresh = useRefresh();
  return useMutation({ mutationFn: (id: string) => pingEndpoint(id), onSuccess: (d) => refresh(d.endpointId) });
}

export function useRedeliver() {
  const refresh = useRefresh();
  return useMutation({ mutationFn: (deliveryId: string) => redeliver(deliveryId), onSuccess: (d) => refresh(d.endpointId) });
}

export function useRedeliverFailed() {
  const refresh = useRefresh();
  return useMutation({ mutationFn: (endpointId: string) => redeliverFailed(endpointId), onSuccess: (_r, id) => refresh(id) });
}
