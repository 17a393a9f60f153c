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

/** Days or weeks of local time in the account's zone. */
export interface SeriesOf {
  unit: 'day' | 'week';
  timeZone: string;
}

const periodOf = (col: SQL, s: SeriesOf) => sql`date_trunc(${s.unit}, ${col} at time zone ${s.timeZone})`;
const bucketOf = (value: SQL) => sql`floor(ln(1 + greatest(${value}, 0)) / ${LN_STEP})::int`;

function addTo(h: Histogram | undefined, bucket: number, n: number): Histogram {
  const x = h ?? { count: 0, buckets: new Map<number, number>() };
  x.count += n;
  x.buckets.set(bucket, (x.buckets.get(bucket) ?? 0) + n);
  return x;
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

/**
 * Report reads, all from the read model (facts, hourly counts), each breakdown in one scan with
 * grouping sets over index-only ranges; they go through the reports database (the replica when set).
 */
export class ReportsRepository {
  constructor(private readonly db: Db) {}

  /**
   * One scan of the conversations started in the span: counts and what the bot did (in total, per
   * channel, per assignee, per day or week when `series` is given) and the first-response histogram
   * (in total, per channel, per first responder), all as grouping sets of one hash aggregate.
   */
  async conversations(accountId: string, span: Span, channelId?: string, series?: SeriesOf) {
    const b = bucketOf(sql`first_response_seconds`);
    const period = series ? periodOf(sql`started_at`, series) : sql`null::timestamp`;
    const { rows } = await this.db.execute<Record<string, unknown>>(sql`
      select grouping(channel_id, assignee_id, first_responder_id, period, b) as g,
        coalesce(channel_id, assignee_id, first_responder_id)::text as key, to_char(period, 'YYYY-MM-DD') as period, b,
        count(*)::int as conversations,
        (count(*) filter (where bot_involved))::int as bot_conversations,
        (count(*) filter (where bot_resolved))::int as bot_resolved,
        (count(*) filter (where handed_over))::int as handed_over
      from (
        select channel_id, assignee_id, first_responder_id, bot_involved, bot_resolved, handed_over, ${period} as period, ${b} as b
        from report_conversation_facts where ${this.where(accountId, sql`started_at`, span, channelId)}
      ) f
      group by grouping sets ((), (channel_id), (assignee_id), (period), (b), (channel_id, b), (first_responder_id, b))`);
    const counts: Breakdown<ConversationAggregate> = { total: undefined, byChannel: new Map(), byOperator: new Map() };
    const frt: Breakdown<Histogram> = { total: undefined, byChannel: new Map(), byOperator: new Map() };
    const periods = new Map<string, number>();
    for (const r of rows) {
      const v: ConversationAggregate = {
        conversations: Number(r.conversations),
        frtMedian: null,
        frtP90: null,
        botConversations: Number(r.bot_conversations),
        botResolved: Number(r.bot_resolved),
        handedOver: Number(r.handed_over),
      };
      const key = r.key as string | null;
      const bucket = r.b === null ? null : Number(r.b);
      switch (Number(r.g)) {
        case 31: // ()
          counts.total = v;
          break;
        case 15: // (channel_id)
          if (key) counts.byChannel.set(key, v);
          break;
        case 23: // (assignee_id)
          if (key) counts.byOperator.set(key, v);
          break;
        case 29: // (period)
          periods.set(String(r.period), v.conversations);
          break;
        case 30: // (b)
          if (bucket !== null) frt.total = addTo(frt.total, bucket, v.conversations);
          break;
        case 14: // (channel_id, b)
          if (bucket !== null && key) frt.byChannel.set(key, addTo(frt.byChannel.get(key), bucket, v.conversations));
          break;
        case 26: // (first_responder_id, b)
          if (bucket !== null && key) frt.byOperator.set(key, addTo(frt.byOperator.get(key), bucket, v.conversations));
          break;
      }
    }
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
    if (frt.total) apply((counts.total ??= empty()), frt.total);
    for (const [id, h] of frt.byChannel) apply(counts.byChannel.get(id) ?? counts.byChannel.set(id, empty()).get(id)!, h);
    for (const [id, h] of frt.byOperator) apply(counts.byOperator.get(id) ?? counts.byOperator.set(id, empty()).get(id)!, h);
    return { ...counts, periods };
  }

  /** One scan of the conversations resolved in the span: how many and how long, in total, per channel, per assignee, per period. */
  async resolutions(accountId: string, span: Span, channelId?: string, series?: SeriesOf) {
    const b = bucketOf(sql`resolution_seconds`);
    const period = series ? periodOf(sql`resolved_at`, series) : sql`null::timestamp`;
    const { rows } = await this.db.execute<Record<string, unknown>>(sql`
      select grouping(channel_id, assignee_id, period, b) as g, coalesce(channel_id, assignee_id)::text as key,
        to_char(period, 'YYYY-MM-DD') as period, b, count(*)::int as n
      from (
        select channel_id, assignee_id, ${period} as period, ${b} as b
        from report_conversation_facts
        where ${this.where(accountId, sql`resolved_at`, span, channelId)} and resolved_at is not null
      ) f
      group by grouping sets ((b), (channel_id, b), (assignee_id, b), (period))`);
    const h: Breakdown<Histogram> = { total: undefined, byChannel: new Map(), byOperator: new Map() };
    const periods = new Map<string, number>();
    for (const r of rows) {
      const key = r.key as string | null;
      const n = Number(r.n);
      const bucket = r.b === null ? 0 : Number(r.b);
      switch (Number(r.g)) {
        case 14: // (b)
          h.total = addTo(h.total, bucket, n);
          break;
        case 6: // (channel_id, b)
          if (key) h.byChannel.set(key, addTo(h.byChannel.get(key), bucket, n));
          break;
        case 10: // (assignee_id, b)
          if (key) h.byOperator.set(key, addTo(h.byOperator.get(key), bucket, n));
          break;
        case 13: // (period)
          periods.set(String(r.period), n);
          break;
      }
    }
    const agg = (x: Histogram): ResolutionAggregate => ({ resolved: x.count, median: percentile(x, 0.5), p90: percentile(x, 0.9) });
    return {
      total: h.total ? agg(h.total) : undefined,
      byChannel: new Map([...h.byChannel].map(([k, v]) => [k, agg(v)])),
      byOperator: new Map([...h.byOperator].map(([k, v]) => [k, agg(v)])),
      periods,
    };
  }

  /** One scan of the hourly counts: in total, per channel, per operator (their replies), per period. */
  async messages(accountId: string, span: Span, channelId?: string, series?: SeriesOf) {
    const period = series ? periodOf(sql`hour`, series) : sql`null::timestamp`;
    const { rows } = await this.db.execute<Record<string, unknown>>(sql`
      select grouping(channel_id, author_key, period) as g, coalesce(channel_id, author_key)::text as key,
        to_char(period, 'YYYY-MM-DD') as period,
        sum(inbound)::int as messages_in, sum(operator_out)::int as operator_out, sum(bot_out)::int as bot_out
      from (
        select channel_id, author_key, inbound, operator_out, bot_out, ${period} as period
        from report_message_hours where ${this.where(accountId, sql`hour`, span, channelId)}
      ) f
      group by grouping sets ((), (channel_id), (author_key), (period))`);
    const out: Breakdown<MessageAggregate> & { periods: Map<string, { messagesIn: number; messagesOut: number }> } = {
      total: undefined,
      byChannel: new Map(),
      byOperator: new Map(),
      periods: new Map(),
    };
    for (const r of rows) {
      const v = { messagesIn: Number(r.messages_in ?? 0), operatorOut: Number(r.operator_out ?? 0), botOut: Number(r.bot_out ?? 0) };
      const key = r.key as string | null;
      switch (Number(r.g)) {
        case 7:
          out.total = v;
          break;
        case 3:
          if (key) out.byChannel.set(key, v);
          break;
        case 5:
          if (key && key !== NO_AUTHOR) out.byOperator.set(key, v);
          break;
        case 6:
          out.periods.set(String(r.period), { messagesIn: v.messagesIn, messagesOut: v.operatorOut + v.botOut });
          break;
      }
    }
    return out;
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
