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

/** Buckets grow by 5 %: bucket b holds durations in [1.05^b − 1, 1.05^(b+1) − 1) seconds. */
const STEP = 1.05;
const LN_STEP = Math.log(STEP);

/** Counts per logarithmic bucket of durations. */
export interface Histogram {
  count: number;
  buckets: Map<number, number>;
}

/**
 * The p-quantile of a histogram, interpolated inside its bucket (within 5 % of the exact value);
 * bucket 0 holds only zero seconds. Null when empty.
 */
export function percentile(h: Histogram, p: number): number | null {
  if (h.count === 0) return null;
  const rank = p * h.count;
  let seen = 0;
  for (const b of [...h.buckets.keys()].sort((x, y) => x - y)) {
    const n = h.buckets.get(b)!;
    if (seen + n >= rank) {
      if (b === 0) return 0;
      const lo = STEP ** b - 1;
      const hi = STEP ** (b + 1) - 1;
      return Math.round(lo + (hi - lo) * Math.min(1, Math.max(0, (rank - seen) / n)));
    }
    seen += n;
  }
  return null;
}

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
   * New conversations in the span and what the bot did (in total, per channel, per assignee), with
   * their first-response times (per operator: by who answered first) from one histogram scan.
   */
  async conversations(accountId: string, span: Span, channelId?: string, totalOnly = false) {
    const where = this.where(accountId, sql`started_at`, span, channelId);
    const head = totalOnly
      ? sql`'total' as g, null::text as key,`
      : sql`case when grouping(channel_id, assignee_id) = 3 then 'total' when grouping(channel_id) = 0 then 'channel' else 'operator' end as g,
        coalesce(channel_id, assignee_id)::text as key,`;
    const groups = totalOnly ? sql`` : sql`group by grouping sets ((), (channel_id), (assignee_id))`;
    const [{ rows }, frt] = await Promise.all([
      this.db.execute<Record<string, unknown>>(sql`
        select ${head}
          count(*)::int as conversations,
          (count(*) filter (where bot_involved))::int as bot_conversations,
          (count(*) filter (where bot_resolved))::int as bot_resolved,
          (count(*) filter (where handed_over))::int as handed_over
        from report_conversation_facts where ${where} ${groups}`),
      this.histogram(sql`first_response_seconds`, 'first_responder_id', where, totalOnly),
    ]);
    const out = split(
      rows.filter((r) => r.g === 'total' || r.key !== null),
      (r): ConversationAggregate => ({
        conversations: Number(r.conversations),
        frtMedian: null,
        frtP90: null,
        botConversations: Number(r.bot_conversations),
        botResolved: Number(r.bot_resolved),
        handedOver: Number(r.handed_over),
      }),
    );
    const empty = (): ConversationAggregate => ({
      conversations: 0,
      frtMedian: null,
      frtP90: null,
      botConversations: 0,
      botResolved: 0,
      handedOver: 0,
    });
    const apply = (target: ConversationAggregate, h: Histogram) =>
      Object.assign(target, { frtMedian: percentile(h, 0.5), frtP90: percentile(h, 0.9) });
    if (frt.total) apply((out.total ??= empty()), frt.total);
    for (const [id, h] of frt.byChannel) apply(out.byChannel.get(id) ?? out.byChannel.set(id, empty()).get(id)!, h);
    for (const [id, h] of frt.byOperator) apply(out.byOperator.get(id) ?? out.byOperator.set(id, empty()).get(id)!, h);
    return out;
  }

  /** Conversations resolved in the span and how long they took: in total, per channel, per assignee. */
  async resolutions(accountId: string, span: Span, channelId?: string, totalOnly = false): Promise<Breakdown<ResolutionAggregate>> {
    const where = sql`${this.where(accountId, sql`resolved_at`, span, channelId)} and resolved_at is not null`;
    const h = await this.histogram(sql`resolution_seconds`, 'assignee_id', where, totalOnly);
    const agg = (x: Histogram): ResolutionAggregate => ({ resolved: x.count, median: percentile(x, 0.5), p90: percentile(x, 0.9) });
    return {
      total: h.total ? agg(h.total) : undefined,
      byChannel: new Map([...h.byChannel].map(([k, v]) => [k, agg(v)])),
      byOperator: new Map([...h.byOperator].map(([k, v]) => [k, agg(v)])),
    };
  }

  /**
   * Durations counted into logarithmic buckets (5 % wide) by a hash aggregate — no sort — in total,
   * per channel and per `person` column; percentiles are read from the buckets.
   */
  private async histogram(value: SQL, person: 'first_responder_id' | 'assignee_id', where: SQL, totalOnly: boolean) {
    const bucket = sql`floor(ln(1 + greatest(${value}, 0)) / ${LN_STEP})::int`;
    const col = sql.raw(person);
    const head = totalOnly
      ? sql`'total' as g, null::text as key,`
      : sql`case when grouping(channel_id, ${col}) = 3 then 'total' when grouping(channel_id) = 0 then 'channel' else 'operator' end as g,
        coalesce(channel_id, ${col})::text as key,`;
    const groups = totalOnly ? sql`group by b` : sql`group by grouping sets ((b), (channel_id, b), (${col}, b))`;
    const { rows } = await this.db.execute<{ g: string; key: string | null; b: number; n: number }>(sql`
      select ${head} b, count(*)::int as n
      from (select channel_id, ${col}, ${bucket} as b from report_conversation_facts where ${where} and ${value} is not null) f
      ${groups}`);
    const out: Breakdown<Histogram> = { total: undefined, byChannel: new Map(), byOperator: new Map() };
    const add = (h: Histogram | undefined, b: number, n: number): Histogram => {
      const x = h ?? { count: 0, buckets: new Map<number, number>() };
      x.count += n;
      x.buckets.set(b, (x.buckets.get(b) ?? 0) + n);
      return x;
    };
    for (const r of rows) {
      const b = Number(r.b);
      const n = Number(r.n);
      if (r.g === 'total') out.total = add(out.total, b, n);
      else if (r.key === null) continue;
      else if (r.g === 'channel') out.byChannel.set(r.key, add(out.byChannel.get(r.key), b, n));
      else out.byOperator.set(r.key, add(out.byOperator.get(r.key), b, n));
    }
    return out;
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
