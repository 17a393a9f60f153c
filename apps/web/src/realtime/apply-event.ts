import type { QueryClient } from '@tanstack/react-query';
import { upsertChannel, removeChannel } from '../features/channels/channels.cache';
import { upsertMessage } from '../features/conversation/messages.cache';
import { conversationKeys } from '../features/inbox/conversations.api';
import { isConversationCached, upsertConversation } from '../features/inbox/conversations.cache';
import type { RealtimeEvent } from './events';

/** Folds one live event into the query cache, so every open view updates without a reload. */
export function applyRealtimeEvent(qc: QueryClient, event: RealtimeEvent, meId: string): void {
  switch (event.type) {
    case 'message.created': {
      const { conversationId, message, conversation } = event.payload;
      upsertMessage(qc, conversationId, message);
      if (conversation) upsertConversation(qc, conversation, meId);
      else if (!isConversationCached(qc, conversationId)) void qc.invalidateQueries({ queryKey: conversationKeys.lists() });
      return;
    }
    case 'message.updated':
      upsertMessage(qc, event.payload.conversationId, event.payload.message);
      return;
    case 'conversation.updated':
      upsertConversation(qc, event.payload.conversation, meId);
      return;
    case 'channel.updated': {
      const { channel } = event.payload;
      if (channel.deleted) removeChannel(qc, channel.id);
      else upsertChannel(qc, channel);
      return;
    }
    default:
      void (event satisfies never);
  }
}
