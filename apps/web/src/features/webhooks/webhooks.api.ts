import type {
  CreateWebhookEndpointRequest,
  UpdateWebhookEndpointRequest,
  WebhookDelivery,
  WebhookDeliveryStatus,
  WebhookEndpoint,
  WebhookEndpointWithSecret,
} from '@switchboard/shared';
import { api, type Page } from '../../api/client';

export type DeliveryFilter = WebhookDeliveryStatus | 'all';
export const DELIVERY_FILTERS: DeliveryFilter[] = ['all', 'pending', 'delivered', 'failed', 'dead'];
export const DELIVERIES_PAGE_SIZE = 25;

export const webhookKeys = {
  endpoints: ['webhooks', 'endpoints'] as const,
  deliveries: (endpointId: string) => ['webhooks', 'deliveries', endpointId] as const,
  deliveryList: (endpointId: string, filter: DeliveryFilter) => ['webhooks', 'deliveries', endpointId, filter] as const,
};

export const listEndpoints = (signal?: AbortSignal) => api.get<{ items: WebhookEndpoint[] }>('/api/webhooks', signal ? { signal } : {});
export const createEndpoint = (input: CreateWebhookEndpointRequest) => api.post<WebhookEndpointWithSecret>('/api/webhooks', input);
export const updateEndpoint = (id: string, patch: UpdateWebhookEndpointRequest) => api.patch<WebhookEndpoint>(`/api/webhooks/${id}`, patch);
export const deleteEndpoint = (id: string) => api.delete(`/api/webhooks/${id}`);
export const rotateSecret = (id: string) => api.post<WebhookEndpointWithSecret>(`/api/webhooks/${id}/rotate-secret`);
export const pingEndpoint = (id: string) => api.post<WebhookDelivery>(`/api/webhooks/${id}/ping`);

export const listDeliveries = (endpointId: string, filter: DeliveryFilter, cursor: string | null, signal?: AbortSignal) =>
  api.get<Page<WebhookDelivery>>(`/api/webhooks/${endpointId}/deliveries`, {
    query: { status: filter === 'all' ? undefined : filter, limit: DELIVERIES_PAGE_SIZE, cursor },
    ...(signal ? { signal } : {}),
  });
export const redeliver = (deliveryId: string) => api.post<WebhookDelivery>(`/api/webhooks/deliveries/${deliveryId}/redeliver`);
export const redeliverFailed = (endpointId: string) => api.post<{ affected: number }>(`/api/webhooks/${endpointId}/redeliver`, {});
