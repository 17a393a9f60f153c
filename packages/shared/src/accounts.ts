import { z } from 'zod';
import { role } from './common.js';

/** One account a person belongs to (login response, session, account switcher). */
export const accountMembership = z.object({
  id: z.uuid(),
  name: z.string(),
  role,
  status: z.enum(['active', 'suspended']),
});
export type AccountMembership = z.infer<typeof accountMembership>;

export const switchAccountRequest = z.object({ accountId: z.uuid() });

/** Plan limits of an account; a missing (or null) limit means unlimited. */
export const accountLimits = z.object({
  people: z.number().int().min(0).max(1_000_000).nullable().optional(),
  channels: z.number().int().min(0).max(1_000_000).nullable().optional(),
  messagesPerMonth: z.number().int().min(0).max(1_000_000_000).nullable().optional(),
  aiAnswersPerMonth: z.number().int().min(0).max(1_000_000_000).nullable().optional(),
  storageBytes: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).nullable().optional(),
});
export type AccountLimits = z.infer<typeof accountLimits>;
export const limitNames = ['people', 'channels', 'messagesPerMonth', 'aiAnswersPerMonth', 'storageBytes'] as const;
export type LimitName = (typeof limitNames)[number];

export const accountUsage = z.object({
  people: z.number(),
  channels: z.number(),
  messagesPerMonth: z.number(),
  aiAnswersPerMonth: z.number(),
  storageBytes: z.number(),
});
export type AccountUsage = z.infer<typeof accountUsage>;

export const accountHealth = z.object({
  channelsFailing: z.number(),
  undeliveredReplies: z.number(),
  lastActivityAt: z.iso.datetime().nullable(),
});

export const platformAccount = z.object({
  id: z.uuid(),
  name: z.string(),
  status: z.enum(['active', 'suspended']),
  suspendedAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
  owners: z.array(z.string()),
  limits: accountLimits,
  usage: accountUsage,
  health: accountHealth,
});
export type PlatformAccount = z.infer<typeof platformAccount>;

export const createPlatformAccountRequest = z.object({
  name: z.string().trim().min(1).max(200),
  ownerEmail: z.email().max(320),
  limits: accountLimits.optional(),
});
export const createdPlatformAccount = z.object({
  account: platformAccount,
  invitation: z.object({ email: z.string(), link: z.string().nullable(), mailed: z.boolean() }),
});

export const updatePlatformAccountRequest = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  limits: accountLimits.optional(),
});

export const platformAccountsQuery = z.object({
  q: z.string().trim().max(200).optional(),
  status: z.enum(['active', 'suspended']).optional(),
});

export const signupRequest = z.object({
  accountName: z.string().trim().min(1).max(200),
  name: z.string().trim().min(1).max(200),
  email: z.email().max(320),
  password: z.string().min(10, 'must be at least 10 characters').max(1000),
});
export const signupConfirmRequest = z.object({ token: z.string().min(10).max(200) });
