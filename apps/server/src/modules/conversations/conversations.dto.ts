import type { Conversation, ConversationContext, Message, MessageAi } from '@switchboard/shared';
import type { ConversationRow, MessageRow } from './conversations.repository.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toMessage(m: MessageRow): Message {
  return {
    id: m.id,
    conversationId: m.conversationId,
    direction: m.direction,
    authorType: m.authorType,
    authorUserId: m.authorUserId,
    text: m.text,
    private: m.private,
    attachments: m.attachments,
    status: m.status,
    failureReason: m.failureReason,
    failureCode: (m.failureCode as Message['failureCode']) ?? null,
    retryAt: iso(m.retryAt),
    editedAt: iso(m.editedAt),
    ai: (m.ai as MessageAi | null) ?? null,
    ...(Array.isArray(m.meta?.mentions) ? { mentions: m.meta.mentions as string[] } : {}),
    sentAt: iso(m.sentAt),
    createdAt: m.createdAt.toISOString(),
  };
}

export function toConversation(c: ConversationRow): Conversation {
  return {
    id: c.id,
    channelId: c.channelId,
    channelType: c.channelType,
    channelName: c.channelName,
    contact: { id: c.contactId, name: c.contactName, username: c.contactUsername, externalId: c.contactExternalId },
    number: c.number,
    status: c.status,
    assigneeId: c.assigneeId,
    unreadCount: c.unreadCount,
    lastMessageAt: c.lastMessageAt.toISOString(),
    lastMessagePreview: c.lastMessagePreview,
    category: c.category,
    categoryConfidence: c.categoryConfidence,
    context: publicContext(c.context),
    teamId: c.teamId,
    tagIds: c.tagIds,
    snoozedUntil: iso(c.snoozedUntil),
    createdAt: c.createdAt.toISOString(),
  };
}

const CONTEXT_KINDS = ['listing', 'email', 'page'] as const;

/** The shown part of a conversation's context (threading headers and provider ids stay inside). */
export function publicContext(c: Record<string, unknown> | null): ConversationContext | null {
  if (!c) return null;
  const out: ConversationContext = {};
  if (CONTEXT_KINDS.includes(c.kind as never)) out.kind = c.kind as ConversationContext['kind'];
  for (const key of ['title', 'price', 'url', 'subject'] as const) if (typeof c[key] === 'string') out[key] = c[key];
  return Object.keys(out).length ? out : null;
}
