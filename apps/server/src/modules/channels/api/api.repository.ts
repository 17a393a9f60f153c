import { and, eq } from 'drizzle-orm';
import type { Db } from '../../../platform/db/client.js';
import { messages } from '../../../platform/db/schema.js';

export class ApiChannelRepository {
  constructor(private readonly db: Db) {}

  /** The stored message of a channel by its dedup key (to answer the sender with our ids). */
  async messageByExternalId(channelId: string, externalId: string): Promise<{ id: string; conversationId: string } | undefined> {
    const [row] = await this.db
      .select({ id: messages.id, conversationId: messages.conversationId })
      .from(messages)
      .where(and(eq(messages.channelId, channelId), eq(messages.externalId, externalId)));
    return row;
  }
}
