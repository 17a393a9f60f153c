import { and, asc, eq, isNull, sql } from 'drizzle-orm';
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

  async listPolling(type: string): Promise<ChannelRow[]> {
    return this.db
      .select()
      .from(channels)
      .where(
        and(
          eq(channels.type, type),
          isNull(channels.deletedAt),
          sql`${channels.config}->>'mode' = 'polling'`,
          sql`${channels.status} <> 'auth_failed'`,
        ),
      );
  }

  async touch(id: string, column: 'lastInboundAt' | 'lastOutboundAt' | 'lastPolledAt'): Promise<void> {
    await this.db
      .update(channels)
      .set({ [column]: sql`now()` })
      .where(eq(channels.id, id));
  }
}
