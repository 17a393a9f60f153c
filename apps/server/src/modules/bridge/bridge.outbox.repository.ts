import { sql } from 'drizzle-orm';
import type { BridgeScope } from '@switchboard/shared';
import type { Db } from '../../platform/db/client.js';
import { readEvents, type OutboxEvent } from '../../platform/events/events.outbox.js';

/** The bridge's own part of an operator bot's `channels.state`. */
export interface BridgeState {
  /** Last `events.id` of the account the outbox has handled. */
  cursor?: number;
  /** What each user receives, when a manager chose it (else the role's default). */
  scopes?: Record<string, BridgeScope>;
}

export const WATCHED_EVENTS = ['message.created', 'message.updated', 'conversation.updated'] as const;

/** The SQL of the bridge's outbox: cursors on operator bots, the events past them. */
export class BridgeOutboxRepository {
  constructor(private readonly db: Db) {}

  /** Operator bots whose account has watched events past their cursor (or no cursor yet), up to `upTo`. */
  async botsWithWork(upTo: number) {
    const { rows } = await this.db.execute<{ id: string; account_id: string }>(sql`
      select c.id, c.account_id from channels c
      where c.type = 'telegram' and c.config->>'purpose' = 'operators' and c.deleted_at is null
        and (c.state->'bridge'->'cursor' is null or exists (
          select 1 from events e where e.account_id = c.account_id
            and e.id > (c.state->'bridge'->>'cursor')::bigint and e.id <= ${upTo}))`);
    return rows.map((r) => ({ id: r.id, accountId: r.account_id }));
  }

  /** Locks the bot's row for this scan; null when another process is scanning it (or it is gone). */
  async lockBot(tx: Db, botChannelId: string) {
    const { rows } = await tx.execute<{
      account_id: string;
      config: Record<string, unknown>;
      state: { bridge?: BridgeState };
      created_at: Date;
    }>(sql`
      select account_id, config, state, created_at from channels
      where id = ${botChannelId} and deleted_at is null for update skip locked`);
    const r = rows[0];
    return r ? { accountId: r.account_id, config: r.config, bridge: r.state.bridge ?? {}, createdAt: r.created_at } : null;
  }

  /** Where a new bot starts: after the last event of its account from before it existed. */
  async startCursor(tx: Db, accountId: string, createdAt: Date): Promise<number> {
    const { rows } = await tx.execute<{ id: number }>(sql`
      select coalesce(max(id), 0) as id from events where account_id = ${accountId} and created_at < ${createdAt}`);
    return Number(rows[0]?.id ?? 0);
  }

  eventsAfter(tx: Db, accountId: string, after: number, upTo: number, limit: number): Promise<OutboxEvent[]> {
    return readEvents(tx, { accountId, after, upTo, limit, types: WATCHED_EVENTS });
  }

  async setCursor(tx: Db, botChannelId: string, cursor: number): Promise<void> {
    await tx.execute(sql`
      update channels set state = jsonb_set(state, '{bridge}', coalesce(state->'bridge', '{}'::jsonb) || jsonb_build_object('cursor', ${cursor}::bigint))
      where id = ${botChannelId}`);
  }

  async setScope(accountId: string, botChannelId: string, userId: string, scope: BridgeScope): Promise<void> {
    await this.db.execute(sql`
      update channels set state = jsonb_set(state, '{bridge}',
        coalesce(state->'bridge', '{}'::jsonb) || jsonb_build_object('scopes',
          coalesce(state->'bridge'->'scopes', '{}'::jsonb) || jsonb_build_object(${userId}::text, ${scope}::text)))
      where id = ${botChannelId} and account_id = ${accountId}`);
  }
}
