import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import { channels } from '../../platform/db/schema.js';

export type ChannelRow = typeof channels.$inferSelect;

export class ChannelsRepository {
  constructor(private readonly db: Db) {}

  async insert(row: typeof channels.$inferInsert): Promise<ChannelRow> {
    const [created] = await this.db.insert(channels).values(row).returning();
    return created!;
  }

  async list(accountId: string): Promise<ChannelRow[]> {
    return this.db
      .select()
      .from(channels)
      .where(and(eq(channels.accountId, accountId), isNull(channels.deletedAt)))
      .orderBy(asc(channels.createdAt));
  }

  async get(accountId: string, id: string): Promise<ChannelRow | undefined> {
    const [row] = await this.db
      .select()
      .from(channels)
      .where(and(eq(channels.accountId, accountId), eq(channels.id, id), isNull(channels.deletedAt)));
    return row;
  }

  /** Webhook lookups know only the channel id from the URL. */
  async getForWebhook(id: string): Promise<ChannelRow | undefined> {
    const [row] = await this.db
      .select()
      .from(channels)
      .where(and(eq(channels.id, id), isNull(channels.deletedAt)));
    return row;
  }

  async update(accountId: string, id: string, patch: Partial<typeof channels.$inferInsert>): Promise<ChannelRow | undefined> {
    const [row] = await this.db
      .update(channels)
      .set({ ...patch, updatedAt: sql`now()` })
      .where(and(eq(channels.accountId, accountId), eq(channels.id, id)))
      .returning();
    return row;
  }

  async softDelete(accountId: string, id: string): Promise<void> {
    await this.db
      .update(channels)
      .set({ deletedAt: sql`now()` })
      .where(and(eq(channels.accountId, accountId), eq(channels.id, id)));
  }

  /** Live channels of these types whose credentials still work (candidates for a poll loop). */
  async listPollable(types: string[]): Promise<ChannelRow[]> {
    if (types.length === 0) return [];
    return this.db
      .select()
      .from(channels)
      .where(and(inArray(channels.type, types), isNull(channels.deletedAt), sql`${channels.status} <> 'auth_failed'`));
  }

  /** Status change; returns the row only when something changed (so callers publish only changes). */
  async setStatus(accountId: string, id: string, status: string, statusReason: string | null): Promise<ChannelRow | undefined> {
    const [row] = await this.db
      .update(channels)
      .set({
        status,
        statusReason,
        updatedAt: sql`now()`,
        ...(status === 'connected' ? { errorCount: 0 } : {}),
      })
      .where(
        and(
          eq(channels.accountId, accountId),
          eq(channels.id, id),
          sql`(${channels.status}, coalesce(${channels.statusReason}, '')) is distinct from (${status}, ${statusReason ?? ''})`,
        ),
      )
      .returning();
    return row;
  }

  async mergeState(id: string, patch: Record<string, unknown>): Promise<void> {
    await this.db
      .update(channels)
      .set({ state: sql`${channels.state} || ${JSON.stringify(patch)}::jsonb` })
      .where(eq(channels.id, id));
  }

  async touch(id: string, column: 'lastInboundAt' | 'lastOutboundAt' | 'lastPolledAt'): Promise<void> {
    await this.db
      .update(channels)
      .set({ [column]: sql`now()` })
      .where(eq(channels.id, id));
  }
}
