import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import { NO_AUTHOR } from './reports.facts.repository.js';

/** A half-open range of instants. */
export interface Span {
  from: Date;
  to: Date;
}

export interface ConversationAggregate {
  key: string | null;
  conversations: number;
  frtMedian: number | null;
  frtP90: number | null;
  botConversations: number;
  botResolved: number;
  handedOver: number;
}

export interface ResolutionAggregate {
  key: string | null;
  resolved: number;
  median: number | null;
  p90: number | null;
}

export interface MessageAggregate {
  key: string | null;
  messagesIn: number;
  operatorOut: number;
  botOut: number;
}

export type GroupBy = 'none' | 'channel' | 'operator';

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/**
 * Report reads, all from the read model (facts, hourly counts): they go through the reports database
 * (the replica when there is one).
 */
export class ReportsRepository {
  constructor(private readonly db: Db) {}

  /** New conversations in the span, their first-response times and what the bot did. */
  async conversations(accountId: string, span: Span, by: GroupBy, channelId?: string): Promise<ConversationAggregate[]> {
    const key = by === 'channel' ? sql`channel_id::text` : by === 'operator' ? sql`assignee_id::text` : sql`null::text`;
    const frtKey = by === 'operator' ? sql`first_responder_id::text` : key;
    const where = this.where(accountId, sql`started_at`, span, channelId);
    // First-response percentiles group by who answered first; the counts by the assignee.
    const { rows } = await this.db.execute<Record<string, unknown>>(sql`
      with counts as (
        select coalesce(${key}, '') as key, count(*)::int as conversations,
          (count(*) filter (where bot_involved))::int as bot_conversations,
          (count(*) filter (where bot_resolved))::int as bot_resolved,
          (count(*) filter (where handed_over))::int as handed_over
        from report_conversation_facts where ${where} group by 1
      ), frt as (
        select coalesce(${frtKey}, '') as key,
          percentile_cont(0.5) within group (order by first_response_seconds) as frt_median,
          percentile_cont(0.9) within group (order by first_response_seconds) as frt_p90
        from report_conversation_facts where ${where} and first_response_seconds is not null group by 1
      )
      select nullif(coalesce(counts.key, frt.key), '') as key, coalesce(conversations, 0) as conversations, frt_median, frt_p90,
        coalesce(bot_conversations, 0) as bot_conversations, coalesce(bot_resolved, 0) as bot_resolved, coalesce(handed_over, 0) as handed_over
      from counts full join frt on counts.key = frt.key`);
    return rows.map((r) => ({
      key: (r.key as string | null) ?? null,
      conversations: Number(r.conversations),
      frtMedian: num(r.frt_median),
      frtP90: num(r.frt_p90),
      botConversations: Number(r.bot_conversations),
      botResolved: Number(r.bot_resolved),
      handedOver: Number(r.handed_over),
    }));
  }

  /** Conversations resolved in the span and how long they took. */
  async resolutions(accountId: string, span: Span, by: GroupBy, channelId?: string): Promise<ResolutionAggregate[]> {
    const key = by === 'channel' ? sql`channel_id::text` : by === 'operator' ? sql`assignee_id::text` : sql`null::text`;
    const { rows } = await this.db.execute<Record<string, unknown>>(sql`
      select ${key} as key, count(*)::int as resolved,
        percentile_cont(0.5) within group (order by resolution_seconds) as median,
        percentile_cont(0.9) within group (order by resolution_seconds) as p90
      from report_conversation_facts
      where ${this.where(accountId, sql`resolved_at`, span, channelId)} and resolved_at is not null
      group by 1`);
    return rows.map((r) => ({
      key: (r.key as string | null) ?? null,
      resolved: Number(r.resolved),
      median: num(r.median),
      p90: num(r.p90),
    }));
  }

  /** Messages in the span from the hourly counts. */
  async messages(accountId: string, span: Span, by: GroupBy, channelId?: string): Promise<MessageAggregate[]> {
    const key = by === 'channel' ? sql`channel_id::text` : by === 'operator' ? sql`author_key::text` : sql`null::text`;
    const { rows } = await this.db.execute<Record<string, unknown>>(sql`
      select ${key} as key, sum(inbound)::int as messages_in, sum(operator_out)::int as operator_out, sum(bot_out)::int as bot_out
      from report_message_hours where ${this.where(accountId, sql`hour`, span, channelId)}
      ${by === 'operator' ? sql`and author_key <> ${NO_AUTHOR}::uuid` : sql``}
      group by 1`);
    return rows.map((r) => ({
      key: (r.key as string | null) ?? null,
      messagesIn: Number(r.messages_in ?? 0),
      operatorOut: Number(r.operator_out ?? 0),
      botOut: Number(r.bot_out ?? 0),
    }));
  }

  /** Per day or week (local to the zone): messages in/out, new and resolved conversations. */
  async series(accountId: string, span: Span, unit: 'day' | 'week', timeZone: string, channelId?: string) {
    const bucket = (col: SQL) => sql`to_char(date_trunc(${unit}, ${col} at time zone ${timeZone}), 'YYYY-MM-DD')`;
    const { rows } = await this.db.execute<Record<string, unknown>>(sql`
      with m as (
        select ${bucket(sql`hour`)} as period, sum(inbound)::int as messages_in, sum(operator_out + bot_out)::int as messages_out
        from report_message_hours where ${this.where(accountId, sql`hour`, span, channelId)} group by 1
      ), c as (
        select ${bucket(sql`started_at`)} as period, count(*)::int as conversations
        from report_conversation_facts where ${this.where(accountId, sql`started_at`, span, channelId)} group by 1
      ), r as (
        select ${bucket(sql`resolved_at`)} as period, count(*)::int as resolved
        from report_conversation_facts where ${this.where(accountId, sql`resolved_at`, span, channelId)} and resolved_at is not null group by 1
      )
      select period, coalesce(m.messages_in, 0) as messages_in, coalesce(m.messages_out, 0) as messages_out,
        coalesce(c.conversations, 0) as conversations, coalesce(r.resolved, 0) as resolved
      from m full join c using (period) full join r using (period) order by period`);
    return rows.map((r) => ({
      period: String(r.period),
      messagesIn: Number(r.messages_in),
      messagesOut: Number(r.messages_out),
      conversations: Number(r.conversations),
      resolved: Number(r.resolved),
    }));
  }

  async channelNames(accountId: string): Promise<Map<string, { name: string; type: string }>> {
    const { rows } = await this.db.execute<{ id: string; name: string; type: string }>(
      sql`select id, name, type from channels where account_id = ${accountId}`,
    );
    return new Map(rows.map((r) => [r.id, { name: r.name, type: r.type }]));
  }

  /** The account's members (for the operator table, including those who left but answered). */
  async people(accountId: string): Promise<Map<string, string>> {
    const { rows } = await this.db.execute<{ id: string; name: string }>(
      sql`select u.id, u.name from users u join memberships m on m.user_id = u.id where m.account_id = ${accountId}`,
    );
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  private where(accountId: string, col: SQL, span: Span, channelId?: string): SQL {
    return sql`account_id = ${accountId} and ${col} >= ${span.from.toISOString()}::timestamptz and ${col} < ${span.to.toISOString()}::timestamptz
      ${channelId ? sql`and channel_id = ${channelId}::uuid` : sql``}`;
  }
}
