import type { QueryClient } from '@tanstack/react-query';
import { aiKeys } from '../features/ai/ai.api';
import { receiveAlert } from '../features/alerts/alerts.cache';
import { upsertChannel, removeChannel } from '../features/channels/channels.cache';
import { upsertMessage } from '../features/conversation/messages.cache';
import { noteMessageForDeadLetters } from '../features/dead-letters/dead-letters.cache';
import { suggestionKey } from '../features/conversation/suggestions.api';
import { appendSuggestionDraft, receiveSuggestion } from '../features/conversation/suggestions.cache';
import { wordingOffersKey } from '../features/conversation/wording-offers.api';
import { conversationKeys } from '../features/inbox/conversations.api';
import { isConversationCached, upsertConversation } from '../features/inbox/conversations.cache';
import { scheduleKnowledgeRefresh } from '../features/knowledge/knowledge.cache';
import { receiveTyping } from '../features/teamwork/typing.store';
import { presenceKey } from '../features/teamwork/teamwork.api';
import { applyNotificationEvent } from '../features/notifications/notifications.realtime';
import { applyChatEvent } from '../features/chat/chat.realtime';
import type { RealtimeEvent } from './events';

/** Folds one live event into the query cache, so every open view updates without a reload. */
export function applyRealtimeEvent(qc: QueryClient, event: RealtimeEvent, meId: string): void {
  switch (event.type) {
    case 'message.created': {
      const { conversationId, message, conversation } = event.payload;
      upsertMessage(qc, conversationId, message);
      // An operator's reply may have used the pending suggestion (there is no event for that).
      if (message.authorType === 'operator' && !message.private) void qc.invalidateQueries({ queryKey: suggestionKey(conversationId) });
      if (conversation) upsertConversation(qc, conversation, meId);
      else if (!isConversationCached(qc, conversationId)) void qc.invalidateQueries({ queryKey: conversationKeys.lists() });
      return;
    }
    case 'message.updated':
      upsertMessage(qc, event.payload.conversationId, event.payload.message);
      noteMessageForDeadLetters(qc, event.payload.message);
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
    case 'channel.alert':
      receiveAlert(qc, event.payload.alert);
      return;
    case 'suggestion.created':
      receiveSuggestion(qc, event.payload.conversationId, event.payload.suggestion);
      return;
    case 'suggestion.draft':
      appendSuggestionDraft(qc, event.payload.conversationId, event.payload.draftId, event.payload.delta);
      return;
    case 'wording_offer.created':
      void qc.invalidateQueries({ queryKey: wordingOffersKey(event.payload.conversationId) });
      return;
    case 'knowledge.updated':
      // The classifier's training job reports through the same event.
      if (event.payload.classifier) void qc.invalidateQueries({ queryKey: aiKeys.classifier });
      else scheduleKnowledgeRefresh(qc);
      return;
    case 'conversation.typing':
      receiveTyping(event.payload);
      return;
    case 'presence.updated':
      void qc.invalidateQueries({ queryKey: presenceKey });
      return;
    case 'notification.created':
    case 'notification.read':
      applyNotificationEvent(qc, event);
      return;
    case 'chat.message':
    case 'chat.channel':
    case 'chat.typing':
    case 'chat.read':
      applyChatEvent(qc, event, meId);
      return;
    default:
      void (event satisfies never);
  }
}
