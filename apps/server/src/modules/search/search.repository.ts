import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import type { Term } from './search.query.js';

export interface ConversationFilter {
  channelId?: string | undefined;
  status?: string | undefined;
  /** A user id, or null for unassigned. */
  assigneeId?: string | null | undefined;
  teamId?: string | undefined;
  tagId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

export type MessageHitRow = {
  messageId: string;
  conversationId: string;
  conversationNumber: number | null;
  contactId: string;
  contactName: string | null;
  channelType: string;
  channelName: string;
  direction: 'in' | 'out';
  private: boolean;
  headline: string;
  createdAt: Date;
};

export type ConversationHitRow = {
  id: string;
  number: number | null;
  contactName: string | null;
  channelType: string;
  status: string;
  lastMessagePreview: string | null;
  lastMessageAt: Date;
};

/** Matches past which a term counts as frequent (see `SearchRepository.messages`). */
const DENSE = 2_000;

/** The tsquery of parsed terms (all must match), in the configuration of the index. */
export function tsQuery(terms: Term[]): SQL | null {
  if (!terms.length) return null;
  const parts = terms.map((t) => {
    const q =
      t.kind === 'phrase'
        ? sql`phraseto_tsquery('russian', ${t.text})`
        : t.prefix
          ? sql`to_tsquery('russian', ${`${t.text}:*`})`
          : sql`plainto_tsquery('russian', ${t.text})`;
    return t.negated ? sql`(!! ${q})` : q;
  });
  return sql.join(parts, sql` && `);
}

function conversationWhere(f: ConversationFilter): SQL[] {
  const where: SQL[] = [];
  if (f.channelId) where.push(sql`c.channel_id = ${f.channelId}`);
  if (f.status) where.push(sql`c.status = ${f.status}`);
  if (f.assigneeId === null) where.push(sql`c.assignee_id is null`);
  else if (f.assigneeId) where.push(sql`c.assignee_id = ${f.assigneeId}`);
  if (f.teamId) where.push(sql`c.team_id = ${f.teamId}`);
  if (f.tagId) where.push(sql`exists (select 1 from conversation_tags t where t.conversation_id = c.id and t.tag_id = ${f.tagId})`);
  return where;
}

/** Full-text search over messages and lookups by conversation number: the only SQL of search. */
export class SearchRepository {
  constructor(private readonly db: Db) {}

  /**
   * Newest matching messages of the account, with a highlighted fragment of each. A frequent term is
   * read newest-first along the time index (matches come soon); a rarer one through the full-text index,
   * then sorted. The planner misjudges which is cheaper for prefixes and combinations, so a bounded
   * count of matches decides (`DENSE` matches ≈ where both plans cost the same on 1M messages).
   */
  async messages(accountId: string, query: SQL, f: ConversationFilter, limit: number, marks: [string, string]): Promise<MessageHitRow[]> {
    const { rows: probe } = await this.db.execute<{ n: number }>(sql`
      select count(*)::int as n from (select 1 from messages m
        where m.account_id = ${accountId} and m.search_vector @@ (${query}) limit ${DENSE}) x`);
    const dense = (probe[0]?.n ?? 0) >= DENSE;
    // `+ interval '0 s'` hides the time index from the planner: the full-text index is used, then a sort.
    const order = dense ? sql`m.created_at desc, m.id desc` : sql`m.created_at + interval '0 s' desc, m.id desc`;
    const byConversation = conversationWhere(f);
    const where: SQL[] = [sql`m.account_id = ${accountId}`, sql`m.search_vector @@ q.q`];
    // Conversation filters as a semi-join; without them the page is found in `messages` alone.
    if (byConversation.length) {
      where.push(sql`exists (select 1 from conversations c where c.id = m.conversation_id and ${sql.join(byConversation, sql` and `)})`);
    }
    if (f.from) where.push(sql`m.created_at >= ${f.from}::date`);
    if (f.to) where.push(sql`m.created_at < ${f.to}::date + 1`);
    const options = `StartSel=${marks[0]}, StopSel=${marks[1]}, MaxWords=24, MinWords=8, MaxFragments=2, FragmentDelimiter=" … "`;
    // The page of matching messages first; names, numbers and fragments only for those rows.
    const { rows } = await this.db.execute<MessageHitRow>(sql`
      with q as (select (${query}) as q),
      hit as (
        select m.id, m.conversation_id, m.direction, m.private, m.text, m.created_at
        from messages m, q
        where ${sql.join(where, sql` and `)}
        order by ${order}
        limit ${limit})
      select hit.id as "messageId", hit.conversation_id as "conversationId", c.number as "conversationNumber", c.contact_id as "contactId",
        coalesce(ct.name, h.name) as "contactName", ch.type as "channelType", ch.name as "channelName", hit.direction, hit.private,
        hit.created_at as "createdAt", ts_headline('russian', hit.text, q.q, ${options}) as headline
      from hit
        join conversations c on c.id = hit.conversation_id
        join contacts ct on ct.id = c.contact_id
        join contact_handles h on h.id = c.handle_id
        join channels ch on ch.id = c.channel_id,
        q
      order by hit.created_at desc, hit.id desc`);
    return rows.map((r) => ({ ...r, createdAt: new Date(r.createdAt) }));
  }

  async conversationByNumber(accountId: string, n: number, f: ConversationFilter): Promise<ConversationHitRow[]> {
    const { rows } = await this.db.execute<ConversationHitRow>(sql`
      select c.id, c.number, coalesce(ct.name, h.name) as "contactName", ch.type as "channelType", c.status,
        c.last_message_preview as "lastMessagePreview", c.last_message_at as "lastMessageAt"
      from conversations c join contacts ct on ct.id = c.contact_id join contact_handles h on h.id = c.handle_id
        join channels ch on ch.id = c.channel_id
      where ${sql.join([sql`c.account_id = ${accountId}`, sql`c.number = ${n}`, ...conversationWhere(f)], sql` and `)}`);
    return rows.map((r) => ({ ...r, lastMessageAt: new Date(r.lastMessageAt) }));
  }
}
