import type { Db } from '../../platform/db/client.js';
import { AppError } from '../../platform/http/errors.js';
import { AccountsRepository, type UsageRow } from './accounts.repository.js';

export type LimitName = keyof UsageRow;

const WHAT: Record<LimitName, string> = {
  people: 'people',
  channels: 'channels',
  messagesPerMonth: 'messages this month',
  aiAnswersPerMonth: 'AI answers this month',
  storageBytes: 'bytes of storage',
};

/**
 * Refuses with 402 `limit_reached` (details `{ limit, max, used }`) when `adding` more of `limit`
 * would pass the account's plan. An account without that limit is not counted at all.
 */
export async function assertWithinLimit(db: Db, accountId: string, limit: LimitName, adding = 1): Promise<void> {
  const repo = new AccountsRepository(db);
  const max = (await repo.limits(accountId))?.[limit];
  if (max === undefined || max === null) return;
  const used = await repo.usage(accountId, limit);
  if (used + adding > max) {
    throw new AppError('limit_reached', `The account's plan allows ${max} ${WHAT[limit]}; ${used} used`, { limit, max, used });
  }
}

/** Whether the account may still use `limit` (no error): the AI first line hands over instead of answering. */
export async function withinLimit(db: Db, accountId: string, limit: LimitName, adding = 1): Promise<boolean> {
  try {
    await assertWithinLimit(db, accountId, limit, adding);
    return true;
  } catch (err) {
    if (err instanceof AppError && err.code === 'limit_reached') return false;
    throw err;
  }
}
