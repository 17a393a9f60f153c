import { eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import { users } from '../../platform/db/schema.js';

/**
 * Names that are not a person's name: the first owner is created as "Owner" until they fill in their
 * profile. A customer must never read "My name is Owner".
 */
const PLACEHOLDER_NAMES = new Set(['owner', 'admin', 'administrator', 'operator', 'agent', 'user']);

/** What customers may call a teammate: their display name, or null when they have not set one. */
export function displayName(name: string | null | undefined): string | null {
  const trimmed = name?.trim() ?? '';
  if (!trimmed || trimmed.includes('@') || PLACEHOLDER_NAMES.has(trimmed.toLowerCase())) return null;
  return trimmed;
}

export async function userDisplayName(db: Db, userId: string): Promise<string | null> {
  const [user] = await db.select({ name: users.name }).from(users).where(eq(users.id, userId));
  return displayName(user?.name);
}
