import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import { NO_AUTHOR } from './reports.facts.repository.js';

/** A half-open range of instants. */
export interface Span {
  from: Date;
  to: Date;
}

export interface ConversationAggregate {
  conversations: number;
  frtMedian: number | null;
  frtP90: number | null;
  botConversations: number;
  botResolved: number;
  handedOver: number;
}

export interface ResolutionAggregate {
  resolved: number;
  median: number | null;
  p90: number | null;
}

export interface MessageAggregate {
  messagesIn: number;
  operatorOut: number;
  botOut: number;
}

/** One aggregate for the whole period and per channel and per operator, from a single scan. */
export interface Breakdown<T> {
  total: T | undefined;
  byChannel: Map<string, T>;
  byOperator: Map<string, T>;
}

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/** Splits grouping-set rows: `g` says which key the row is grouped by (`total`, `channel`, `operator`, or another). */
function split<T>(
  rows: Record<string, unknown>[],
  map: (r: Record<string, unknown>) => T,
  extra?: (r: Record<string, unknown>, v: T) => void,
) {
  const out: Breakdown<T> = { total: undefined, byChannel: new Map(), byOperator: new Map() };
  for (const r of rows) {
    const v = map(r);
    if (r.g === 'total') out.total = v;
    else if (r.g === 'channel') out.byChannel.set(r.key as string, v);
    else if (r.g === 'operator') out.byOperator.set(r.key as string, v);
    else extra?.(r, v);
  }
  return out;
}

/**
 * Report reads, all from the read model (facts, hourly counts), each breakdown in one scan with
 * grouping sets over index-only ranges; they go through the reports database (the replica when set).
 */
export class ReportsRepository {
  constructor(private readonly db: Db) {}

  /**
   * New conversations in the span, their first-response times and what the bot did: in total, per
   * channel and per assignee; first-response times per operator by who answered first.
   */
  async conversations(accountId: string, span: Span, channelId?: string, totalOnly = false) {
    const head = totalOnly
      ? sql`'total' as g, null::text as key,`
      : sql`case when grouping(channel_id, assignee_id, first_responder_id) = 7 then 'total'
             when grouping(channel_id) = 0 then 'channel' when grouping(assignee_id) = 0 then 'operator' else 'responder' end as g,
        coalesce(channel_id, assignee_id, first_responder_id)::text as key,`;
    const groups = totalOnly ? sql`` : sql`group by grouping sets ((), (channel_id), (assignee_id), (first_responder_id))`;
    const { rows } = await this.db.execute<Record<string, unknown>>(sql`
      select ${head}
        count(*)::int as conversations,
        (count(*) filter (where bot_involved))::int as bot_conversations,
        (count(*) filter (where bot_resolved))::int as bot_resolved,
        (count(*) filter (where handed_over))::int as handed_over,
        percentile_cont(0.5) within group (order by first_response_seconds) as frt_median,
        percentile_cont(0.9) within group (order by first_response_seconds) as frt_p90
      from report_conversation_facts
      where ${this.where(accountId, sql`started_at`, span, channelId)}
      ${groups}`);
    const responders = new Map<string, { median: number | null; p90: number | null }>();
    const out = split(
      rows.filter((r) => r.g === 'total' || r.g === 'responder' || r.key !== null),
      (r) => ({
        conversations: Number(r.conversations),
        frtMedian: num(r.frt_median),
        frtP90: num(r.frt_p90),
        botConversations: Number(r.bot_conversations),
        botResolved: Number(r.bot_resolved),
        handedOver: Number(r.handed_over),
      }),
      (r, v) => r.key !== null && responders.set(r.key as string, { median: v.frtMedian, p90: v.frtP90 }),
    );
    // Per operator: conversations assigned to them, first-response times of those they answered first.
    for (const [id, v] of out.byOperator)
      Object.assign(v, { frtMedian: responders.get(id)?.median ?? null, frtP90: responders.get(id)?.p90 ?? null });
    for (const [id, frt] of responders) {
      if (!out.byOperator.has(id))
        out.byOperator.set(id, {
          conversations: 0,
          frtMedian: frt.median,
          frtP90: frt.p90,
          botConversations: 0,
          botResolved: 0,
          handedOver: 0,
        });
    }
    return out;
  }

  /** Conversations resolved in the span and how long they took: in total, per channel, per assignee. */
  async resolutions(accountId: string, span: Span, channelId?: string, totalOnly = false): Promise<Breakdown<ResolutionAggregate>> {
    const head = totalOnly
      ? sql`'total' as g, null::text as key,`
      : sql`case when grouping(channel_id, assignee_id) = 3 then 'total' when grouping(channel_id) = 0 then 'channel' else 'operator' end as g,
        coalesce(channel_id, assignee_id)::text as key,`;
    const groups = totalOnly ? sql`` : sql`group by grouping sets ((), (channel_id), (assignee_id))`;
    const { rows } = await this.db.execute<Record<string, unknown>>(sql`
      select ${head}
        count(*)::int as resolved,
        percentile_cont(0.5) within group (order by resolution_seconds) as median,
        percentile_cont(0.9) within group (order by resolution_seconds) as p90
      from report_conversation_facts
      where ${this.where(accountId, sql`resolved_at`, span, channelId)} and resolved_at is not null
      ${groups}`);
    return split(
      rows.filter((r) => r.g === 'total' || r.key !== null),
      (r) => ({ resolved: Number(r.resolved), median: num(r.median), p90: num(r.p90) }),
    );
  }

  /** Messages in the span from the hourly counts: in total, per channel, per operator (their replies). */
  async messages(accountId: string, span: Span, channelId?: string, totalOnly = false): Promise<Breakdown<MessageAggregate>> {
    const head = totalOnly
      ? sql`'total' as g, null::text as key,`
      : sql`case when grouping(channel_id, author_key) = 3 then 'total' when grouping(channel_id) = 0 then 'channel' else 'operator' end as g,
        coalesce(channel_id, author_key)::text as key,`;
    const groups = totalOnly ? sql`` : sql`group by grouping sets ((), (channel_id), (author_key))`;
    const { rows } = await this.db.execute<Record<string, unknown>>(sql`
      select ${head}
        sum(inbound)::int as messages_in, sum(operator_out)::int as operator_out, sum(bot_out)::int as bot_out
      from report_message_hours where ${this.where(accountId, sql`hour`, span, channelId)}
      ${groups}`);
    return split(
      rows.filter((r) => !(r.g === 'operator' && r.key === NO_AUTHOR)),
      (r) => ({ messagesIn: Number(r.messages_in ?? 0), operatorOut: Number(r.operator_out ?? 0), botOut: Number(r.bot_out ?? 0) }),
    );
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
