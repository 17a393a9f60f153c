import { z } from 'zod';
import { conversationContext, conversationStatus } from './conversations.js';

export const attributeTypes = ['text', 'number', 'date', 'list', 'checkbox', 'link'] as const;
export const attributeType = z.enum(attributeTypes);
export type AttributeType = z.infer<typeof attributeType>;

/** A custom contact field of the account. */
export const attributeDefinition = z.object({
  id: z.uuid(),
  key: z.string(),
  label: z.string(),
  type: attributeType,
  /** The choices of a `list` field. */
  options: z.array(z.string()),
  position: z.number().int(),
});
export type AttributeDefinition = z.infer<typeof attributeDefinition>;

export const attributeDefinitionInput = z.object({
  key: z
    .string()
    .trim()
    .regex(/^[a-z][a-z0-9_]{0,39}$/, 'lower-case latin letters, digits and _, starting with a letter'),
  label: z.string().trim().min(1).max(80),
  type: attributeType,
  options: z.array(z.string().trim().min(1).max(80)).max(100).default([]),
  position: z.number().int().min(0).max(1000).default(0),
});
export type AttributeDefinitionInput = z.input<typeof attributeDefinitionInput>;

/** A value of a custom field: text/link/date (YYYY-MM-DD) and list are strings, number a number, checkbox a boolean. */
export const attributeValue = z.union([z.string().max(2000), z.number(), z.boolean(), z.null()]);

export const contactHandle = z.object({
  id: z.uuid(),
  channelId: z.uuid(),
  channelType: z.string(),
  channelName: z.string(),
  externalId: z.string(),
  name: z.string().nullable(),
  username: z.string().nullable(),
});
export type ContactHandle = z.infer<typeof contactHandle>;

export const contactTag = z.object({ id: z.uuid(), name: z.string(), color: z.string().nullable() });

/** A contact as lists show it. */
export const contactSummary = z.object({
  id: z.uuid(),
  name: z.string().nullable(),
  phones: z.array(z.string()),
  emails: z.array(z.string()),
  handles: z.array(contactHandle),
  tags: z.array(contactTag),
  blocked: z.boolean(),
  createdAt: z.iso.datetime(),
  lastSeenAt: z.iso.datetime().nullable(),
});
export type ContactSummary = z.infer<typeof contactSummary>;

export const contactConversation = z.object({
  id: z.uuid(),
  number: z.number().int().nullable(),
  channelId: z.uuid(),
  channelType: z.string(),
  channelName: z.string(),
  status: conversationStatus,
  lastMessageAt: z.iso.datetime(),
  lastMessagePreview: z.string().nullable(),
  context: conversationContext.nullable(),
});

/** The profile: everything known about the contact. */
export const contactDetail = contactSummary.extend({
  notes: z.string().nullable(),
  attributes: z.record(z.string(), attributeValue),
  blockedAt: z.iso.datetime().nullable(),
  /** Where they came from: the first conversation's Avito listing, page or e-mail subject. */
  source: conversationContext.nullable(),
  conversations: z.array(contactConversation),
});
export type ContactDetail = z.infer<typeof contactDetail>;

export const contactSorts = ['last_seen', 'created', 'name'] as const;
export const contactListQuery = z.object({
  q: z.string().trim().max(200).optional(),
  channelId: z.uuid().optional(),
  tagId: z.uuid().optional(),
  blocked: z.enum(['true', 'false']).optional(),
  sort: z.enum(contactSorts).default('last_seen'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(400).optional(),
});
export type ContactListQuery = z.input<typeof contactListQuery>;

export const contactPatch = z.object({
  name: z.string().trim().max(200).nullable().optional(),
  phones: z.array(z.string().trim().min(1).max(40)).max(20).optional(),
  emails: z.array(z.string().trim().min(1).max(200)).max(20).optional(),
  notes: z.string().max(10_000).nullable().optional(),
  /** Keys of the account's contact fields; null clears one. */
  attributes: z.record(z.string(), attributeValue).optional(),
  tagIds: z.array(z.uuid()).max(50).optional(),
});
export type ContactPatch = z.infer<typeof contactPatch>;

export const contactBlockRequest = z.object({ blocked: z.boolean() });

export const contactMergeRequest = z.object({
  /** The contact that disappears: its handles, conversations, phones, e-mails and tags move to the one in the path. */
  sourceId: z.uuid(),
});

export const duplicateReasons = ['phone', 'email', 'name'] as const;
export const contactDuplicate = z.object({
  a: contactSummary,
  b: contactSummary,
  reasons: z.array(z.enum(duplicateReasons)),
  /** Name similarity (0–1, trigram). */
  similarity: z.number(),
});
export type ContactDuplicate = z.infer<typeof contactDuplicate>;

export const contactImportRequest = z.object({
  /** The CSV text: a header row (name, phones, emails, notes, tags, or contact field keys), then one contact per row. */
  csv: z.string().max(5_000_000),
});
export const contactImportError = z.object({
  /** 1-based line in the file (the header is line 1). */
  line: z.number().int(),
  column: z.string().nullable(),
  code: z.enum(['invalid_phone', 'invalid_email', 'invalid_value', 'unknown_column', 'unknown_tag', 'too_long', 'malformed_csv', 'empty']),
  message: z.string(),
});
export type ContactImportError = z.infer<typeof contactImportError>;
export const contactImportResult = z.object({ imported: z.number().int() });

// ---- search ----

export const searchQuery = z.object({
  q: z.string().trim().min(1).max(200),
  channelId: z.uuid().optional(),
  status: conversationStatus.optional(),
  /** A user id, or `me` / `unassigned`. */
  assignee: z.union([z.enum(['me', 'unassigned']), z.uuid()]).optional(),
  teamId: z.uuid().optional(),
  tagId: z.uuid().optional(),
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});
export type SearchQuery = z.input<typeof searchQuery>;

export const messageHit = z.object({
  messageId: z.uuid(),
  conversationId: z.uuid(),
  conversationNumber: z.number().int().nullable(),
  contactId: z.uuid(),
  contactName: z.string().nullable(),
  channelType: z.string(),
  channelName: z.string(),
  direction: z.enum(['in', 'out']),
  private: z.boolean(),
  /** The matching fragment; matches are wrapped in `HIGHLIGHT_START` … `HIGHLIGHT_END`. */
  headline: z.string(),
  createdAt: z.iso.datetime(),
});
export type MessageHit = z.infer<typeof messageHit>;

export const conversationHit = z.object({
  id: z.uuid(),
  number: z.number().int().nullable(),
  contactName: z.string().nullable(),
  channelType: z.string(),
  status: conversationStatus,
  lastMessagePreview: z.string().nullable(),
  lastMessageAt: z.iso.datetime(),
});

export const searchResult = z.object({
  messages: z.array(messageHit),
  contacts: z.array(contactSummary),
  conversations: z.array(conversationHit),
});
export type SearchResult = z.infer<typeof searchResult>;

/** Highlight markers in `MessageHit.headline` (control characters: they never occur in what people type). */
export const HIGHLIGHT_START = '\u0002';
export const HIGHLIGHT_END = '\u0003';
