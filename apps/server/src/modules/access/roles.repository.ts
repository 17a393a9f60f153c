import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import { memberships } from '../../platform/db/schema.js';
import { customRoles } from '../../platform/db/schema.access.js';
import type { Permission } from '../identity/permissions.js';

export type CustomRole = typeof customRoles.$inferSelect;

/** The only SQL of custom roles; every query is scoped to one account. */
export class RolesRepository {
  constructor(private readonly db: Db) {}

  async list(accountId: string): Promise<CustomRole[]> {
    return this.db.select().from(customRoles).where(eq(customRoles.accountId, accountId)).orderBy(asc(customRoles.createdAt));
  }

  async find(accountId: string, id: string): Promise<CustomRole | undefined> {
    const [row] = await this.db
      .select()
      .from(customRoles)
      .where(and(eq(customRoles.accountId, accountId), eq(customRoles.id, id)));
    return row;
  }

  /** The permissions of a custom role (one primary-key lookup), or undefined if it is gone. */
  async permissionsOf(accountId: string, id: string): Promise<string[] | undefined> {
    const [row] = await this.db
      .select({ permissions: customRoles.permissions })
      .from(customRoles)
      .where(and(eq(customRoles.accountId, accountId), eq(customRoles.id, id)));
    return row?.permissions;
  }

  async nameTaken(accountId: string, name: string, exceptId?: string): Promise<boolean> {
    const [row] = await this.db
      .select({ id: customRoles.id })
      .from(customRoles)
      .where(
        and(
          eq(customRoles.accountId, accountId),
          sql`lower(${customRoles.name}) = lower(${name})`,
          exceptId ? sql`${customRoles.id} <> ${exceptId}` : undefined,
        ),
      )
      .limit(1);
    return Boolean(row);
  }

  async create(accountId: string, input: { name: string; permissions: Permission[] }): Promise<CustomRole> {
    const [row] = await this.db
      .insert(customRoles)
      .values({ accountId, ...input })
      .returning();
    return row!;
  }

  async update(accountId: string, id: string, input: { name: string; permissions: Permission[] }): Promise<CustomRole | undefined> {
    const [row] = await this.db
      .update(customRoles)
      .set({ ...input, updatedAt: sql`now()` })
      .where(and(eq(customRoles.accountId, accountId), eq(customRoles.id, id)))
      .returning();
    return row;
  }

  async delete(accountId: string, id: string): Promise<boolean> {
    const rows = await this.db
      .delete(customRoles)
      .where(and(eq(customRoles.accountId, accountId), eq(customRoles.id, id)))
      .returning({ id: customRoles.id });
    return rows.length > 0;
  }

  /** How many members hold each role key of the account. */
  async memberCounts(accountId: string): Promise<Map<string, number>> {
    const rows = await this.db
      .select({ role: memberships.role, n: sql<number>`count(*)::int` })
      .from(memberships)
      .where(eq(memberships.accountId, accountId))
      .groupBy(memberships.role);
    return new Map(rows.map((r) => [r.role, r.n]));
  }

  /** Takes the role's row lock for the transaction, so deleting it and assigning it do not race. */
  async lock(accountId: string, id: string): Promise<boolean> {
    const rows = await this.db.execute(
      sql`select 1 from ${customRoles} where ${customRoles.accountId} = ${accountId} and ${customRoles.id} = ${id} for update`,
    );
    return rows.rows.length > 0;
  }
}
