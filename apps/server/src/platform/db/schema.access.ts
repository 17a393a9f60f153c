import { sql } from 'drizzle-orm';
import { pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { accountRef, createdAt, id } from './schema.js';

/**
 * An account's own roles beside the system ones: a name and a set of permission names from the
 * catalogue (`packages/shared/src/access.ts`). A membership refers to one by its id.
 */
export const customRoles = pgTable(
  'roles',
  {
    id: id(),
    accountId: accountRef(),
    name: text('name').notNull(),
    permissions: text('permissions')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('roles_account_name_idx').on(t.accountId, sql`lower(${t.name})`)],
);
