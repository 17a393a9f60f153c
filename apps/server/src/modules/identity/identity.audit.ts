import type { Db } from '../../platform/db/client.js';
import { IdentityRepository } from './identity.repository.js';
import type { Actor } from './permissions.js';

export interface AuditTarget {
  targetType?: string;
  targetId?: string;
  details?: Record<string, unknown>;
}

/**
 * Records a security-relevant action of an actor on the caller's transaction (`tx.db`): the entry
 * commits with the change it describes, and a failed entry rolls the change back. Nothing is done
 * that the log does not show, and the log shows nothing that was not done.
 */
export function recordAudit(db: Db, actor: Actor, action: string, target: AuditTarget = {}): Promise<void> {
  return new IdentityRepository(db).audit({ accountId: actor.accountId, actorUserId: actor.userId, action, ip: actor.ip, ...target });
}
