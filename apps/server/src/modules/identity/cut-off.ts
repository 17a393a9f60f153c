import type { Db } from '../../platform/db/client.js';
import { PeopleRepository } from './people.repository.js';

export interface CutOffResult {
  sessions: number;
  tokens: number;
  bridgeLinks: number;
}

/**
 * Cuts one member of one account off at once, inside the caller's transaction: their sessions (but
 * `keepSessionId`), and when asked their API tokens and Telegram bridge links. Open event streams of
 * those sessions and tokens end at their next re-check (a few seconds), which asks the database again.
 */
export async function cutOff(
  db: Db,
  accountId: string,
  userId: string,
  what: { tokens: boolean; bridge: boolean; keepSessionId?: string | undefined },
): Promise<CutOffResult> {
  const repo = new PeopleRepository(db);
  return {
    sessions: await repo.revokeSessions(accountId, userId, what.keepSessionId),
    tokens: what.tokens ? await repo.revokeTokens(accountId, userId) : 0,
    bridgeLinks: what.bridge ? await repo.removeBridgeLinks(accountId, userId) : 0,
  };
}

/** The same in every account the person belongs to (a password reset or change is the person's, not one account's). */
export async function cutOffEverywhere(
  db: Db,
  userId: string,
  what: { tokens: boolean; bridge: boolean; keepSessionId?: string | undefined },
): Promise<Map<string, CutOffResult>> {
  const out = new Map<string, CutOffResult>();
  for (const accountId of await new PeopleRepository(db).accountsOf(userId)) out.set(accountId, await cutOff(db, accountId, userId, what));
  return out;
}
