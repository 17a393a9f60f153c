import { sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';

export interface FirstRunFacts {
  channel: boolean;
  knowledge: boolean;
  teammate: boolean;
  reply: boolean;
  conversations: boolean;
}

/** What a new account has set up yet: each an index-served `exists`. */
export class OnboardingRepository {
  constructor(private readonly db: Db) {}

  async facts(accountId: string): Promise<FirstRunFacts> {
    const { rows } = await this.db.execute<Record<keyof FirstRunFacts, boolean>>(sql`
      select
        exists(select 1 from channels where account_id = ${accountId} and deleted_at is null) as channel,
        exists(select 1 from knowledge_articles where account_id = ${accountId}) as knowledge,
        (select count(*) from memberships where account_id = ${accountId} and deactivated_at is null) > 1 as teammate,
        exists(select 1 from conversations where account_id = ${accountId}) as conversations,
        exists(
          select 1 from messages
          where account_id = ${accountId} and direction = 'out' and author_type = 'operator'
        ) as reply`);
    const r = rows[0]!;
    return { channel: r.channel, knowledge: r.knowledge, teammate: r.teammate, reply: r.reply, conversations: r.conversations };
  }
}
