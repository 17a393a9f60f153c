import { PERMISSIONS, type Permission } from '@switchboard/shared';
import { AppError } from '../../platform/http/errors.js';

export { PERMISSIONS, SYSTEM_ROLES, isSystemRole, type Permission, type SystemRole } from '@switchboard/shared';

/** A membership's role key: a system role (`SYSTEM_ROLES`) or a custom role's id. */
export type Role = string;

/** Who acts: a signed-in user (session) or a script (API token), always inside one account. */
export interface Actor {
  userId: string;
  accountId: string;
  /** The membership's role key (system key or custom role id). */
  role: Role;
  /** What this actor may do now: the role's permissions, narrowed by an API token's scopes. Resolved once per request. */
  permissions: ReadonlySet<Permission>;
  via: 'session' | 'token' | 'telegram';
  sessionId?: string;
  tokenId?: string;
  ip?: string;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * What a signed-in caller needs: one permission of the catalogue, or `'signed_in'` for routes any member
     * may call about themselves. Every non-public route declares one; the auth hook enforces it.
     */
    permission?: Permission | 'signed_in';
  }
}

export function can(actor: Actor, permission: Permission): boolean {
  return actor.permissions.has(permission);
}

/** The 403 every refusal answers: it names the missing permission (code `forbidden`, details `{ permission }`). */
export function missingPermission(permission: Permission): AppError {
  return new AppError('forbidden', `You need the permission "${permission}" (${PERMISSIONS[permission].en})`, { permission });
}

export function requirePermission(actor: Actor, permission: Permission): void {
  if (!can(actor, permission)) throw missingPermission(permission);
}

/** Nobody grants what they do not hold: managing people, and holding every permission of the role given. */
export function canGrantRole(actor: Actor, rolePermissions: Iterable<Permission>): boolean {
  if (!can(actor, 'user.manage')) return false;
  for (const p of rolePermissions) if (!can(actor, p)) return false;
  return true;
}

/** The first permission of `wanted` the actor lacks, if any. */
export function firstMissing(actor: Actor, wanted: Iterable<Permission>): Permission | undefined {
  for (const p of wanted) if (!can(actor, p)) return p;
  return undefined;
}
