import { z } from 'zod';

export const chatChannelKind = z.enum(['public', 'private', 'direct']);

export const chatAttachment = z.object({
  fileId: z.uuid(),
  fileName: z.string(),
  size: z.number().int(),
  contentType: z.string().nullable(),
});
export type ChatAttachment = z.infer<typeof chatAttachment>;

/** A conversation or contact shared into the chat: a card that links to it. */
export const chatCard = z.object({
  type: z.enum(['conversation', 'contact']),
  id: z.uuid(),
  title: z.string(),
  subtitle: z.string().nullable(),
});
export type ChatCard = z.infer<typeof chatCard>;

export const chatReaction = z.object({ emoji: z.string(), count: z.number().int(), userIds: z.array(z.uuid()) });

export const chatMessage = z.object({
  id: z.uuid(),
  seq: z.number().int(),
  channelId: z.uuid(),
  threadRootId: z.uuid().nullable(),
  authorId: z.uuid().nullable(),
  authorName: z.string().nullable(),
  text: z.string(),
  mentions: z.array(z.uuid()),
  attachments: z.array(chatAttachment),
  card: chatCard.nullable(),
  reactions: z.array(chatReaction),
  replyCount: z.number().int(),
  lastReplyAt: z.iso.datetime().nullable(),
  pinnedAt: z.iso.datetime().nullable(),
  editedAt: z.iso.datetime().nullable(),
  deleted: z.boolean(),
  createdAt: z.iso.datetime(),
});
export type ChatMessage = z.infer<typeof chatMessage>;

export const chatMember = z.object({ userId: z.uuid(), name: z.string() });

export const chatChannel = z.object({
  id: z.uuid(),
  kind: chatChannelKind,
  name: z.string().nullable(),
  topic: z.string().nullable(),
  /** Direct conversations: everyone in it (a name is made from the others). */
  members: z.array(chatMember),
  memberCount: z.number().int(),
  joined: z.boolean(),
  unread: z.number().int(),
  mentions: z.number().int(),
  lastReadSeq: z.number().int(),
  lastMessageAt: z.iso.datetime().nullable(),
  archived: z.boolean(),
  createdBy: z.uuid().nullable(),
});
export type ChatChannel = z.infer<typeof chatChannel>;

const channelName = z
  .string()
  .trim()
  .min(1)
  .max(80)
  .regex(/^[^\s#@][^#@]*$/u, 'no # or @');

export const createChatChannelRequest = z.object({
  kind: z.enum(['public', 'private']),
  name: channelName,
  topic: z.string().trim().max(250).optional(),
  memberIds: z.array(z.uuid()).max(200).optional(),
});

export const updateChatChannelRequest = z.object({
  name: channelName.optional(),
  topic: z.string().trim().max(250).nullable().optional(),
  archived: z.boolean().optional(),
});

export const directChatRequest = z.object({ userIds: z.array(z.uuid()).min(1).max(8) });

export const postChatMessageRequest = z
  .object({
    text: z.string().max(8000).default(''),
    threadRootId: z.uuid().optional(),
    mentions: z.array(z.uuid()).max(50).default([]),
    fileIds: z.array(z.uuid()).max(10).default([]),
    share: z.object({ type: z.enum(['conversation', 'contact']), id: z.uuid() }).optional(),
  })
  .refine((m) => m.text.trim().length > 0 || m.fileIds.length > 0 || m.share, 'Write something, attach a file or share a card');

export const editChatMessageRequest = z.object({
  text: z.string().trim().min(1).max(8000),
  mentions: z.array(z.uuid()).max(50).optional(),
});

export const chatPerson = z.object({ id: z.uuid(), name: z.string(), email: z.string() });
