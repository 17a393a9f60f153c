import type {
  Channel,
  ChannelAlert,
  Conversation,
  Message,
  Presence,
  RealtimeEventType,
  ReindexStatus,
  Suggestion,
  WordingOffer,
} from '@switchboard/shared';
import type { ChatRealtimePayloads } from '../features/chat/chat.realtime';
import type { NotificationRealtimePayloads } from '../features/notifications/notifications.realtime';

/** Payloads of `GET /api/events`, by event name. */
export interface RealtimePayloads extends NotificationRealtimePayloads, ChatRealtimePayloads {
  'message.created': { conversationId: string; message: Message; conversation?: Conversation };
  'message.updated': { conversationId: string; message: Message };
  'conversation.updated': { conversation: Conversation };
  'channel.updated': { channel: Channel & { deleted?: boolean } };
  /** A channel alert opened or resolved (`resolvedAt` set). */
  'channel.alert': { alert: ChannelAlert };
  'suggestion.created': { conversationId: string; suggestion: Suggestion };
  /** A piece of a suggestion the language model is still writing (not replayed after a reconnect). */
  'suggestion.draft': { conversationId: string; draftId: string; delta: string };
  /** "Add this wording to FAQ X" is offered to the operators of a conversation (or was learned at once). */
  'wording_offer.created': { conversationId: string; offer: WordingOffer };
  /** An article was (re)indexed, re-indexing made progress, or a classifier finished training. */
  'knowledge.updated': {
    articleId?: string;
    indexStatus?: string;
    /** A scanned page OCR has just read. */
    ocrPage?: number;
    reindex?: Partial<ReindexStatus>;
    classifier?: { modelId: string; status: string };
  };
  /** A colleague is typing a reply or a note (live only). */
  'conversation.typing': { conversationId: string; userId: string; kind: 'reply' | 'note' };
  /** Someone set their presence by hand. */
  'presence.updated': Presence;
}

export type RealtimeEvent = { [K in RealtimeEventType]: { type: K; payload: RealtimePayloads[K] } }[RealtimeEventType];

export const REALTIME_EVENT_TYPES: readonly RealtimeEventType[] = [
  'message.created',
  'message.updated',
  'conversation.updated',
  'channel.updated',
  'channel.alert',
  'suggestion.created',
  'suggestion.draft',
  'wording_offer.created',
  'knowledge.updated',
  'conversation.typing',
  'presence.updated',
  'notification.created',
  'notification.read',
  'chat.message',
  'chat.channel',
  'chat.typing',
  'chat.read',
];
