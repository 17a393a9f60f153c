import { FULL_SCOPES, scopeAllows, type TokenScopes } from '@switchboard/shared';
import type { Db } from '../../platform/db/client.js';
import { AppError } from '../../platform/http/errors.js';
import { missingPermission, type Actor } from '../identity/permissions.js';
import { rolePermissions } from './access.resolve.js';

/** The longest a token may live when an expiry is given (none = until revoked). */
const MAX_EXPIRY_MS = 5 * 365 * 86_400_000;

/**
 * The scopes and expiry of a token `actor` mints, checked: the expiry lies in the future, and the new token
 * could do nothing the minting actor cannot (a token minting a token gives at most its own scopes, and only
 * when its scopes name the `tokens` area — otherwise it lacks `token.manage` altogether).
 */
export async function checkedTokenScopes(
  db: Db,
  actor: Actor,
  input: { scopes?: TokenScopes | undefined; expiresAt?: string | null | undefined },
): Promise<{ scopes: TokenScopes; expiresAt: Date | null }> {
  const scopes: TokenScopes = input.scopes
    ? { access: input.scopes.access, ...(input.scopes.areas ? { areas: [...new Set(input.scopes.areas)].sort() } : {}) }
    : FULL_SCOPES;
  const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
  if (expiresAt && (expiresAt.getTime() <= Date.now() || expiresAt.getTime() > Date.now() + MAX_EXPIRY_MS)) {
    throw new AppError('validation_failed', 'The expiry must be in the future and within five years', [
      { path: 'expiresAt', message: 'out of range' },
    ]);
  }
  for (const p of await rolePermissions(db, actor.accountId, actor.role)) {
    if (scopeAllows(scopes, p) && !actor.permissions.has(p)) throw missingPermission(p);
  }
  return { scopes, expiresAt };
}
