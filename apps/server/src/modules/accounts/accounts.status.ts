import type { Db } from '../../platform/db/client.js';
import { AccountsRepository } from './accounts.repository.js';

/** Held-back reason on an outbound message of a suspended account (sent when the account resumes). */
export const HELD_REASON = 'Held: the account is suspended; it is sent when the account is resumed';

/** Whether an account may sign in and send (a suspended one keeps storing inbound only). */
export async function accountIsActive(db: Db, accountId: string): Promise<boolean> {
  return (await new AccountsRepository(db).status(accountId)) === 'active';
}
