import type { ChatChannel, ChatMessage } from '@switchboard/shared';
import type { ChatRepository, MessageWithAuthor } from './chat.repository.js';

type Reaction = Awaited<ReturnType<ChatRepository['reactionsOf']>>[number];

export function toChatMessage(m: MessageWithAuthor, reactions: Reaction[]): ChatMessage {
  const grouped = new Map<string, string[]>();
  for (const r of reactions) if (r.messageId === m.id) grouped.set(r.emoji, [...(grouped.get(r.emoji) ?? []), r.userId]);
  const deleted = m.deletedAt !== null;
  return {
    id: m.id,
    seq: m.seq,
    channelId: m.channelId,
    threadRootId: m.threadRootId,
    authorId: m.authorId,
    authorName: m.authorName,
    text: deleted ? '' : m.text,
    mentions: deleted ? [] : m.mentions,
    attachments: deleted ? [] : m.attachments,
    card: deleted ? null : (m.card ?? null),
    reactions: deleted ? [] : [...grouped].map(([emoji, userIds]) => ({ emoji, count: userIds.length, userIds })),
    replyCount: m.replyCount,
    lastReplyAt: m.lastReplyAt?.toISOString() ?? null,
    pinnedAt: deleted ? null : (m.pinnedAt?.toISOString() ?? null),
    editedAt: m.editedAt?.toISOString() ?? null,
    deleted,
    createdAt: m.createdAt.toISOString(),
  };
}

export type ChannelListRow = Awaited<ReturnType<ChatRepository['channelsFor']>>[number];

export function toChatChannel(c: ChannelListRow, members: { userId: string; name: string }[]): ChatChannel {
  return {
    id: c.id,
    kind: c.kind,
    name: c.name,
    topic: c.topic,
    members: c.kind === 'public' ? [] : members,
    memberCount: c.memberCount,
    joined: c.joined,
    unread: c.unread,
    mentions: c.mentions,
    lastReadSeq: c.lastReadSeq,
    lastMessageAt: c.lastMessageAt?.toISOString() ?? null,
    archived: c.archivedAt !== null,
    createdBy: c.createdBy,
  };
}
