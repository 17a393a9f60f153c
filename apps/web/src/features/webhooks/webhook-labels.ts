import type { WebhookDeliveryStatus } from '@switchboard/shared';
import type { TFunction } from 'i18next';

const EVENT_KEYS = {
  'message.created': 'webhooks.events.message_created',
  'message.updated': 'webhooks.events.message_updated',
  'conversation.updated': 'webhooks.events.conversation_updated',
  'channel.updated': 'webhooks.events.channel_updated',
  'channel.alert': 'webhooks.events.channel_alert',
  'message.outbound': 'webhooks.events.message_outbound',
  ping: 'webhooks.events.ping',
} as const;

/** A person's name for an event type (the raw type for one this build does not know). */
export function eventLabel(t: TFunction, type: string): string {
  const key = EVENT_KEYS[type as keyof typeof EVENT_KEYS];
  return key ? t(key) : type;
}

export const STATUS_COLORS: Record<WebhookDeliveryStatus, string> = {
  pending: 'blue',
  delivered: 'teal',
  failed: 'orange',
  dead: 'red',
};

/** Badges in narrow table columns keep their whole text (Mantine would cut it with an ellipsis). */
export const WHOLE_BADGE = { root: { maxWidth: 'none', overflow: 'visible' }, label: { overflow: 'visible' } } as const;
