import { sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import { accountBusinessHours, reportConversationFacts } from '../../platform/db/schema.reports.js';
import { workingSeconds, type WorkingTime } from './business-hours.js';

/** The zero id: the author key of customer and bot messages in the hourly counts. */
export const NO_AUTHOR = '00000000-0000-0000-0000-000000000000';

interface SourceRow extends Record<string, unknown> {
  id: string;
  account_id: string;
  channel_id: string;
  assignee_id: string | null;
  status: string;
  created_at: Date;
  updated_at: Date;
  first_in: Date | null;
  first_op_at: Date | null;
  first_op_user: string | null;
  bot_count: number;
  op_count: number;
  known_resolved_at: Date | null;
}

/** One hourly count change from a stored message. */
export interface HourDelta {
  accountId: string;
  hour: Date;
  channelId: string;
  authorKey: string;
  inbound: number;
  operatorOut: number;
  botOut: number;
}

const ts = (v: unknown) => (v === null || v === undefined ? null : v instanceof Date ? v : new Date(v as string));

/**
 * Writes of the report read model: per-conversation facts recomputed from the conversation and its
 * messages (by the conversation index, never a scan), and hourly message counts.
 */
export class ReportFactsRepository {
  constructor(private readonly db: Db) {}

  /** The account's working time (null week = around the clock). */
  async workingTime(accountId: string): Promise<WorkingTime> {
    const [row] = await this.db
      .select()
      .from(accountBusinessHours)
      .where(sql`${accountBusinessHours.accountId} = ${accountId}`);
    return { timeZone: row?.timeZone ?? 'UTC', week: row?.enabled ? row.week : null };
  }

  /**
   * Recomputes the facts of these conversations. A resolved one keeps the resolution time already
   * recorded; else `resolvedAt` (when its event said so), else its last update. Reopening clears it.
   */
  async refresh(conversationIds: string[], resolvedAt: Map<string, Date> = new Map()): Promise<Map<string, string>> {
    const channelOf = new Map<string, string>();
    if (conversationIds.length === 0) return channelOf;
    const { rows } = await this.db.execute<SourceRow>(sql`
      select c.id, c.account_id, c.channel_id, c.assignee_id, c.status, c.created_at, c.updated_at,
        m.first_in, fr.created_at as first_op_at, fr.author_user_id as first_op_user, m.bot_count, m.op_count,
        f.resolved_at as known_resolved_at
      from conversations c
      left join report_conversation_facts f on f.conversation_id = c.id
      left join lateral (
        select min(created_at) filter (where direction = 'in') as first_in,
          (count(*) filter (where author_type = 'bot' and direction = 'out'))::int as bot_count,
          (count(*) filter (where author_type = 'operator' and direction = 'out' and not private))::int as op_count
        from messages where conversation_id = c.id
      ) m on true
      left join lateral (
        select created_at, author_user_id from messages
        where conversation_id = c.id and author_type = 'operator' and direction = 'out' and not private
          and created_at >= coalesce(m.first_in, c.created_at)
        order by seq limit 1
      ) fr on true
      where c.id in (${sql.join(
        conversationIds.map((id) => sql`${id}::uuid`),
        sql`, `,
      )})`);
    const working = new Map<string, WorkingTime>();
    const values = [];
    for (const r of rows) {
      channelOf.set(r.id, r.channel_id);
      let wt = working.get(r.account_id);
      if (!wt) working.set(r.account_id, (wt = await this.workingTime(r.account_id)));
      const started = ts(r.first_in) ?? ts(r.created_at)!;
      const firstOp = ts(r.first_op_at);
      const resolved = r.status === 'resolved' ? (ts(r.known_resolved_at) ?? resolvedAt.get(r.id) ?? ts(r.updated_at)) : null;
      const bot = r.bot_count > 0;
      values.push({
        conversationId: r.id,
        accountId: r.account_id,
        channelId: r.channel_id,
        assigneeId: r.assignee_id,
        startedAt: started,
        firstResponseAt: firstOp,
        firstResponderId: firstOp ? r.first_op_user : null,
        firstResponseSeconds: firstOp ? workingSeconds(started, firstOp, wt) : null,
        resolvedAt: resolved,
        resolutionSeconds: resolved ? workingSeconds(started, resolved, wt) : null,
        botInvolved: bot,
        handedOver: bot && (r.op_count > 0 || ['queued', 'open', 'snoozed'].includes(r.status)),
        botResolved: bot && r.status === 'resolved' && r.op_count === 0,
        operatorReplies: r.op_count,
        updatedAt: new Date(),
      });
    }
    if (values.length) {
      const f = reportConversationFacts;
      const excluded = (c: string) => sql.raw(`excluded.${c}`);
      await this.db
        .insert(f)
        .values(values)
        .onConflictDoUpdate({
          target: f.conversationId,
          set: Object.fromEntries(
            (
              [
                ['channelId', 'channel_id'],
                ['assigneeId', 'assignee_id'],
                ['startedAt', 'started_at'],
                ['firstResponseAt', 'first_response_at'],
                ['firstResponderId', 'first_responder_id'],
                ['firstResponseSeconds', 'first_response_seconds'],
                ['resolvedAt', 'resolved_at'],
                ['resolutionSeconds', 'resolution_seconds'],
                ['botInvolved', 'bot_involved'],
                ['handedOver', 'handed_over'],
                ['botResolved', 'bot_resolved'],
                ['operatorReplies', 'operator_replies'],
                ['updatedAt', 'updated_at'],
              ] as const
            ).map(([k, c]) => [k, excluded(c)]),
          ),
        });
    }
    return channelOf;
  }

  /** Adds hourly message counts (summed per key first: one row update per key and batch). */
  async addHours(deltas: HourDelta[]): Promise<void> {
    const merged = new Map<string, HourDelta>();
    for (const d of deltas) {
      const key = `${d.accountId}|${d.hour.toISOString()}|${d.channelId}|${d.authorKey}`;
      const m = merged.get(key);
      if (m) {
        m.inbound += d.inbound;
        m.operatorOut += d.operatorOut;
        m.botOut += d.botOut;
      } else merged.set(key, { ...d });
    }
    if (merged.size === 0) return;
    const rows = [...merged.values()].sort((a, b) => (a.hour < b.hour ? -1 : a.hour > b.hour ? 1 : 0));
    await this.db.execute(sql`
      insert into report_message_hours (account_id, hour, channel_id, author_key, inbound, operator_out, bot_out)
      values ${sql.join(
        rows.map(
          (r) =>
            sql`(${r.accountId}::uuid, ${r.hour.toISOString()}::timestamptz, ${r.channelId}::uuid, ${r.authorKey}::uuid, ${r.inbound}, ${r.operatorOut}, ${r.botOut})`,
        ),
        sql`, `,
      )}
      on conflict (account_id, hour, channel_id, author_key) do update set
        inbound = report_message_hours.inbound + excluded.inbound,
        operator_out = report_message_hours.operator_out + excluded.operator_out,
        bot_out = report_message_hours.bot_out + excluded.bot_out`);
  }

  /** Rebuilds the hourly counts of an account from its messages (first run, benches, repair). */
  async rebuildHours(accountId: string): Promise<void> {
    await this.db.execute(sql`delete from report_message_hours where account_id = ${accountId}`);
    await this.db.execute(sql`
      insert into report_message_hours (account_id, hour, channel_id, author_key, inbound, operator_out, bot_out)
      select account_id, date_trunc('hour', created_at), channel_id,
        case when author_type = 'operator' and author_user_id is not null then author_user_id else ${NO_AUTHOR}::uuid end,
        (count(*) filter (where direction = 'in'))::int,
        (count(*) filter (where direction = 'out' and author_type = 'operator'))::int,
        (count(*) filter (where direction = 'out' and author_type = 'bot'))::int
      from messages
      where account_id = ${accountId} and not private and author_type <> 'system'
      group by 1, 2, 3, 4`);
  }

  /** Conversation ids of an account after `afterId`, in id order (rebuilds walk them in batches). */
  async conversationIds(accountId: string, afterId: string, limit: number): Promise<string[]> {
    const { rows } = await this.db.execute<{ id: string }>(
      sql`select id from conversations where account_id = ${accountId} and id > ${afterId}::uuid order by id limit ${limit}`,
    );
    return rows.map((r) => r.id);
  }

  async lastEventId(name: string): Promise<number | undefined> {
    const { rows } = await this.db.execute<{ last_event_id: string }>(
      sql`select last_event_id from report_projector_state where name = ${name}`,
    );
    return rows[0] ? Number(rows[0].last_event_id) : undefined;
  }

  async saveLastEventId(name: string, id: number): Promise<void> {
    await this.db.execute(sql`
      insert into report_projector_state (name, last_event_id) values (${name}, ${id})
      on conflict (name) do update set last_event_id = excluded.last_event_id, updated_at = now()`);
  }

  /** Accounts that have conversations (a rebuild of every account walks these). */
  async accountIds(): Promise<string[]> {
    const { rows } = await this.db.execute<{ id: string }>(sql`select id from accounts order by id`);
    return rows.map((r) => r.id);
  }
}
