import { z } from 'zod';
import { role } from './common.js';

/**
 * What a linked operator receives from the operator bot:
 * `all` — every conversation; `queue` — unassigned ones and those assigned to them;
 * `mine` — only conversations assigned to them; `none` — nothing (paused).
 */
export const bridgeScopes = ['all', 'queue', 'mine', 'none'] as const;
export const bridgeScope = z.enum(bridgeScopes);
export type BridgeScope = z.infer<typeof bridgeScope>;

/** A Switchboard user's Telegram identity on the account's operator bot. */
export const operatorLink = z.object({
  id: z.uuid(),
  userId: z.uuid(),
  userName: z.string(),
  userEmail: z.string(),
  role,
  telegramUserId: z.string(),
  telegramUsername: z.string().nullable(),
  /** What this user receives (managers' choice; defaults by role). */
  scope: bridgeScope,
  createdAt: z.iso.datetime(),
});
export type OperatorLink = z.infer<typeof operatorLink>;

/** The account's operator bot, as the Telegram panel shows it. */
export const bridgeBot = z.object({
  channelId: z.uuid(),
  channelName: z.string(),
  botUsername: z.string().nullable(),
  /** Conversations go to this group (a forum topic each) instead of private chats. */
  groupChatId: z.string().nullable(),
});
export type BridgeBot = z.infer<typeof bridgeBot>;

export const bridgeOverview = z.object({
  /** Null when the account has no Telegram channel with purpose `operators`. */
  bot: bridgeBot.nullable(),
  /** The signed-in user's own link. */
  link: operatorLink.nullable(),
  /** Every link of the account (owners and admins only; null for others). */
  links: z.array(operatorLink).nullable(),
});
export type BridgeOverview = z.infer<typeof bridgeOverview>;

/** A one-time `/start` token (15 minutes) and the deep link that carries it. */
export const linkTokenResponse = z.object({
  token: z.string(),
  deepLink: z.string(),
  botUsername: z.string(),
  expiresAt: z.iso.datetime(),
});
export type LinkTokenResponse = z.infer<typeof linkTokenResponse>;

/** The fields the Telegram Login Widget hands to its callback, passed on unchanged. */
export const telegramLoginRequest = z.object({
  id: z.number().int().positive(),
  first_name: z.string().max(256),
  last_name: z.string().max(256).optional(),
  username: z.string().max(64).optional(),
  photo_url: z.string().max(2048).optional(),
  auth_date: z.number().int().positive(),
  hash: z.string().regex(/^[0-9a-f]{64}$/, 'must be the 64-character hex hash of the widget'),
});
export type TelegramLoginRequest = z.infer<typeof telegramLoginRequest>;

export const updateOperatorLinkRequest = z.object({ scope: bridgeScope });
export type UpdateOperatorLinkRequest = z.infer<typeof updateOperatorLinkRequest>;
