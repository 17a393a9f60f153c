import {
  FULL_SCOPES,
  isSystemRole,
  permissionNames,
  scopeAllows,
  SYSTEM_ROLES,
  type Permission,
  type TokenScopes,
} from '@switchboard/shared';
import type { Db } from '../../platform/db/client.js';
import { isUuid } from '../../platform/ids.js';
import type { Actor } from '../identity/permissions.js';
import { RolesRepository } from './roles.repository.js';

const KNOWN = new Set<string>(permissionNames);
const SYSTEM_SETS = new Map<string, ReadonlySet<Permission>>(
  Object.entries(SYSTEM_ROLES).map(([key, perms]) => [key, new Set<Permission>(perms)]),
);
const NOTHING: ReadonlySet<Permission> = new Set();

/**
 * The permissions a role key gives in an account: a system role's from the catalogue (no query), a custom
 * role's from its row (one primary-key lookup). A deleted or unknown role gives nothing.
 */
export async function rolePermissions(db: Db, accountId: string, role: string): Promise<ReadonlySet<Permission>> {
  if (isSystemRole(role)) return SYSTEM_SETS.get(role)!;
  if (!isUuid(role)) return NOTHING;
  const stored = await new RolesRepository(db).permissionsOf(accountId, role);
  // A name dropped from the catalogue since the role was saved grants nothing.
  return stored ? new Set(stored.filter((p): p is Permission => KNOWN.has(p))) : NOTHING;
}

/** Narrows a role's permissions to what an API token's scopes allow. */
export function scoped(perms: ReadonlySet<Permission>, scopes: TokenScopes | null | undefined): ReadonlySet<Permission> {
  const s = scopes ?? FULL_SCOPES;
  return new Set([...perms].filter((p) => scopeAllows(s, p)));
}

export interface ActorBase extends Omit<Actor, 'permissions'> {
  /** An API token's scopes (absent for sessions and Telegram). */
  scopes?: TokenScopes | null;
}

/**
 * Builds the actor of one request (or one Telegram update): its permissions are resolved here, once, from the
 * membership's current role, so a role change applies from the next request on.
 */
export async function actorFor(db: Db, base: ActorBase): Promise<Actor> {
  const { scopes, ...actor } = base;
  const perms = await rolePermissions(db, actor.accountId, actor.role);
  return { ...actor, permissions: actor.via === 'token' ? scoped(perms, scopes) : perms };
}
