import type { WebhookDelivery, WebhookEndpoint, WebhookPayload } from '@switchboard/shared';
import type { DeliveryRow, EndpointWithStats } from './webhooks.repository.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toEndpoint(row: EndpointWithStats): WebhookEndpoint {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    events: row.events,
    enabled: row.enabled,
    channelId: row.channelId,
    failing: row.failing,
    createdAt: row.createdAt.toISOString(),
  };
}

export function toDelivery(row: DeliveryRow): WebhookDelivery {
  const payload = row.payload as WebhookPayload;
  return {
    id: row.id,
    endpointId: row.endpointId,
    eventType: row.eventType,
    eventId: payload.id,
    status: row.status,
    attempts: row.attempts,
    lastStatusCode: row.lastStatusCode,
    lastError: row.lastError,
    nextAttemptAt: iso(row.nextAttemptAt),
    deliveredAt: iso(row.deliveredAt),
    createdAt: row.createdAt.toISOString(),
    payload,
  };
}
