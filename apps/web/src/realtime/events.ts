import type { Channel, Conversation, Message, RealtimeEventType } from '@switchboard/shared';

/** Payloads of `GET /api/events`, by event name. */
export interface RealtimePayloads {
  'message.created': { conversationId: string; message: Message; conversation?: Conversation };
  'message.updated': { conversationId: string; message: Message };
  'conversation.updated': { conversation: Conversation };
  'channel.updated': { channel: Channel & { deleted?: boolean } };
}

export type RealtimeEvent = { [K in RealtimeEventType]: { type: K; payload: RealtimePayloads[K] } }[RealtimeEventType];

export const REALTIME_EVENT_TYPES: readonly RealtimeEventType[] = [
  'message.created',
  'message.updated',
  'conversation.updated',
  'channel.updated',
];
