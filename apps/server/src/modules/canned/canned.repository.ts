import { and, asc, eq, ilike, isNull, or, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import { cannedResponses } from '../../platform/db/schema.teamwork.js';

export type CannedRow = typeof cannedResponses.$inferSelect;

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export class CannedRepository {
  constructor(private readonly db: Db) {}

  /** The account's shared responses and the person's own, shortcut first matches first. */
  visible(accountId: string, userId: string, q: string | undefined): Promise<CannedRow[]> {
    const like = q ? `%${escapeLike(q)}%` : undefined;
    return this.db
      .select()
      .from(cannedResponses)
      .where(
        and(
          eq(cannedResponses.accountId, accountId),
          or(isNull(cannedResponses.ownerUserId), eq(cannedResponses.ownerUserId, userId)),
          like ? or(ilike(cannedResponses.shortcut, like), ilike(cannedResponses.text, like)) : undefined,
        ),
      )
      .orderBy(
        ...(q ? [sql`case when lower(${cannedResponses.shortcut}) like lower(${`${escapeLike(q)}%`}) then 0 else 1 end`] : []),
        asc(sql`lower(${cannedResponses.shortcut})`),
      )
      .limit(200);
  }

  async get(accountId: string, id: string): Promise<CannedRow | undefined> {
    const [row] = await this.db
      .select()
      .from(cannedResponses)
      .where(and(eq(cannedResponses.accountId, accountId), eq(cannedResponses.id, id)));
    return row;
  }

  /** Null when the shortcut is taken (same owner, language and shortcut whatever the case). */
  async insert(input: Omit<typeof cannedResponses.$inferInsert, 'id'>): Promise<CannedRow | null> {
    const [row] = await this.db.insert(cannedResponses).values(input).onConflictDoNothing().returning();
    return row ?? null;
  }

  async update(
    accountId: string,
    id: string,
    patch: Partial<Pick<CannedRow, 'shortcut' | 'text' | 'language'>>,
  ): Promise<CannedRow | undefined> {
    const [row] = await this.db
      .update(cannedResponses)
      .set({ ...patch, updatedAt: sql`now()` })
      .where(and(eq(cannedResponses.accountId, accountId), eq(cannedResponses.id, id)))
      .returning();
    return row;
  }

  async remove(accountId: string, id: string): Promise<void> {
    await this.db.delete(cannedResponses).where(and(eq(cannedResponses.accountId, accountId), eq(cannedResponses.id, id)));
  }
}
