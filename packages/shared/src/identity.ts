import { z } from 'zod';
import { role } from './common.js';
import { permission, tokenScopes } from './access.js';
import { accountMembership } from './accounts.js';

export const loginRequest = z.object({
  email: z.email().max(320),
  password: z.string().min(1).max(1000),
});

export const userSummary = z.object({
  id: z.uuid(),
  email: z.string(),
  name: z.string(),
  role,
});
export type UserSummary = z.infer<typeof userSummary>;

export const me = userSummary.extend({
  accountId: z.uuid(),
  /** The installation's operator (platform cabinet). */
  platformAdmin: z.boolean().optional(),
});
export type Me = z.infer<typeof me>;

/** `accounts`: every account the person belongs to; `user.accountId` is the active one. */
export const loginResponse = z.object({
  user: me,
  csrfToken: z.string(),
  accounts: z.array(accountMembership).optional(),
  /** What the signed-in person may do in the active account (the web app hides the rest). */
  permissions: z.array(permission).optional(),
});
export type LoginResponse = z.infer<typeof loginResponse>;

export const sessionResponse = z.object({
  user: me,
  csrfToken: z.string().nullable(),
  accounts: z.array(accountMembership).optional(),
  permissions: z.array(permission).optional(),
});

export const createTokenRequest = z.object({
  name: z.string().trim().min(1).max(100),
  /** Read-only or full, optionally limited to areas (default: full, every area but `tokens`). */
  scopes: tokenScopes.optional(),
  /** When the token stops working (default: never, until revoked). */
  expiresAt: z.iso.datetime({ offset: true }).nullable().optional(),
});
export const apiToken = z.object({
  id: z.uuid(),
  name: z.string(),
  prefix: z.string(),
  createdAt: z.iso.datetime(),
  lastUsedAt: z.iso.datetime().nullable(),
  scopes: tokenScopes.nullable().optional(),
  expiresAt: z.iso.datetime().nullable().optional(),
});
export type ApiToken = z.infer<typeof apiToken>;
export const createdToken = z.object({
  id: z.uuid(),
  name: z.string(),
  token: z.string(),
  prefix: z.string(),
  scopes: tokenScopes.optional(),
  expiresAt: z.iso.datetime().nullable().optional(),
});

export const changeRoleRequest = z.object({ role });
export const createUserRequest = z.object({
  email: z.email().max(320),
  name: z.string().trim().min(1).max(200),
  password: z.string().min(10, 'must be at least 10 characters').max(1000),
  role,
});

export const auditEntry = z.object({
  id: z.number(),
  action: z.string(),
  actorUserId: z.string().nullable(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  ip: z.string().nullable(),
  details: z.unknown(),
  createdAt: z.iso.datetime(),
});
