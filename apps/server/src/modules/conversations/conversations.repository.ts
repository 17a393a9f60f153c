import { and, desc, eq, inArray, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Attachment, ConversationStatus } from '@switchboard/shared';
import type { Tx } from '../../platform/db/transaction.js';
import type { Pool } from 'pg';
import type { Db } from '../../platform/db/client.js';
import { channels, contactHandles, contacts, conversations, messages } from '../../platform/db/schema.js';
import { contactSearchText, inboundContactFacts } from '../contacts/contacts.normalise.js';
import type { InboundMessage } from '../channels/adapter.js';

export type MessageRow = typeof messages.$inferSelect;

const conversationColumns = {
  id: conversations.id,
  accountId: conversations.accountId,
  channelId: conversations.channelId,
  channelType: channels.type,
  channelName: channels.name,
  contactId: contacts.id,
  contactName: sql<string | null>`coalesce(${contacts.name}, ${contactHandles.name})`,
  contactUsername: contactHandles.username,
  contactExternalId: contactHandles.externalId,
  number: conversations.number,
  status: conversations.status,
  assigneeId: conversations.assigneeId,
  unreadCount: conversations.unreadCount,
  lastMessageAt: conversations.lastMessageAt,
  lastMessagePreview: conversations.lastMessagePreview,
  externalChatId: conversations.externalChatId,
  threadKey: conversations.threadKey,
  context: conversations.context,
  category: conversations.category,
  categoryConfidence: conversations.categoryConfidence,
  teamId: conversations.teamId,
  snoozedUntil: conversations.snoozedUntil,
  tagIds: sql<
    string[]
  >`array(select ct.tag_id from conversation_tags ct where ct.conversation_id = ${conversations.id} order by ct.created_at)`.mapWith(
    (v: string[] | string) => (Array.isArray(v) ? v : parsePgUuidArray(v)),
  ),
  createdAt: conversations.createdAt,
};
type ColumnData<C> = C extends { _: { data: infer D } } ? D : C extends SQL<infer T> ? T : never;
export type ConversationRow = {
  [K in keyof typeof conversationColumns]:
    | ColumnData<(typeof conversationColumns)[K]>
    | (K extends
        | 'assigneeId'
        | 'number'
        | 'contactUsername'
        | 'lastMessagePreview'
        | 'category'
        | 'categoryConfidence'
        | 'context'
        | 'teamId'
        | 'snoozedUntil'
        ? null
        : never);
};

export interface ListFilter {
  statuses: ConversationStatus[] | null;
  assignee: { kind: 'any' } | { kind: 'unassigned' } | { kind: 'user'; userId: string };
  teamId?: string | undefined;
  tagId?: string | undefined;
  limit: number;
  after?: { lastMessageAt: Date; id: string };
}

const preview = (text: string | null, attachments: Attachment[]) =>
  (text ?? (attachments[0] ? `[${attachments[0].kind}]` : '')).slice(0, 200);

export class ConversationsRepository {
  constructor(private readonly db: Db) {}

  /**
   * Stores one inbound message with its contact and conversation. Returns null when the message
   * was stored before (a replayed update). A resolved or snoozed conversation is reopened.
   * The hot path of every webhook: two prepared statements, and no write when nothing changed.
   */
  async insertInbound(tx: Tx, channel: { id: string; accountId: string }, m: InboundMessage, startStatus: 'bot' | 'queued') {
    const { conversationId, contactBlocked, created } = await this.upsertContactConversation(tx, channel, m, startStatus);
    const { rows } = await tx.client.query<Record<string, unknown>>({
      name: 'ingest-message',
      text: `with m as (
         insert into messages (account_id, conversation_id, channel_id, direction, author_type, text, attachments, external_id, status, created_at, meta)
         values ($1, $2, $3, 'in', 'contact', $4, $5, $6, 'received', least($7::timestamptz, now()), $10::jsonb)
         on conflict (channel_id, external_id) where external_id is not null do nothing
         returning id, seq, account_id, conversation_id, channel_id, direction, author_type, author_user_id, text, private,
           attachments, external_id, status, failure_reason, attempts, edited_at, ai, meta, sent_at, created_at),
       u as (
         update conversations set
           unread_count = conversations.unread_count + 1, last_message_at = now(), last_message_preview = $8, updated_at = now(),
           status = case when $11::boolean then conversations.status -- a blocked contact reopens nothing
             when conversations.status in ('resolved', 'snoozed')
             then (case when conversations.assignee_id is not null then 'open' else $9 end)
             -- the assistant was switched off on this channel: people take its conversations
             when conversations.status = 'bot' and $9 = 'queued' then 'queued'
             else conversations.status end,
           bot_low_streak = case when conversations.status = 'resolved' then 0 else conversations.bot_low_streak end
         from m where conversations.id = m.conversation_id
         returning conversations.*)
       select m.*, u.status as c_status, u.assignee_id as c_assignee_id, u.unread_count as c_unread_count,
         u.last_message_at as c_last_message_at, u.last_message_preview as c_last_message_preview,
         u.external_chat_id as c_external_chat_id, u.created_at as c_created_at, u.thread_key as c_thread_key, u.context as c_context,
         u.category as c_category, u.category_confidence as c_category_confidence,
         u.number as c_number,
         ct.id as contact_id, coalesce(ct.name, h.name) as contact_name, h.username as contact_username, h.external_id as contact_external_id,
         u.team_id as c_team_id, u.snoozed_until as c_snoozed_until,
         array(select ctg.tag_id from conversation_tags ctg where ctg.conversation_id = u.id order by ctg.created_at) as c_tag_ids,
         ch.type as channel_type, ch.name as channel_name
       from m join u on true join contacts ct on ct.id = u.contact_id join contact_handles h on h.id = u.handle_id
         join channels ch on ch.id = u.channel_id`,
      values: [
        channel.accountId,
        conversationId,
        channel.id,
        m.text,
        JSON.stringify(m.attachments),
        m.externalId,
        m.sentAt,
        preview(m.text, m.attachments),
        startStatus,
        m.meta ? JSON.stringify(m.meta) : null,
        contactBlocked,
      ],
    });
    const r = rows[0];
    if (!r) return null;
    const conversation: ConversationRow = {
      id: conversationId,
      accountId: channel.accountId,
      channelId: channel.id,
      channelType: r.channel_type as string,
      channelName: r.channel_name as string,
      contactId: r.contact_id as string,
      contactName: r.contact_name as string | null,
      contactUsername: r.contact_username as string | null,
      contactExternalId: r.contact_external_id as string,
      number: (r.c_number as number | null) ?? null,
      status: r.c_status as ConversationStatus,
      assigneeId: r.c_assignee_id as string | null,
      unreadCount: r.c_unread_count as number,
      lastMessageAt: r.c_last_message_at as Date,
      lastMessagePreview: r.c_last_message_preview as string | null,
      externalChatId: r.c_external_chat_id as string,
      threadKey: r.c_thread_key as string,
      context: (r.c_context as Record<string, unknown> | null) ?? null,
      category: r.c_category as string | null,
      categoryConfidence: r.c_category_confidence as number | null,
      teamId: (r.c_team_id as string | null) ?? null,
      snoozedUntil: (r.c_snoozed_until as Date | null) ?? null,
      tagIds: r.c_tag_ids as string[],
      createdAt: r.c_created_at as Date,
    };
    return { message: fromSqlRow(r), conversation, contactBlocked, newConversation: created };
  }

  /**
   * The contact handle and conversation of an inbound message, created on first contact (a new handle
   * gets a contact of its own, a new conversation the account's next number). Writes only when something
   * changed (a renamed handle, a moved chat, last seen over a minute ago), so a busy chat does not rewrite them.
   * A contact nobody renamed keeps the provider's current name.
   */
  private async upsertContactConversation(
    tx: Tx,
    channel: { id: string; accountId: string },
    m: InboundMessage,
    startStatus: 'bot' | 'queued',
  ): Promise<{ conversationId: string; contactBlocked: boolean; created: boolean }> {
    const facts = inboundContactFacts(m.contact);
    const query = {
      name: 'ingest-conversation',
      text: `with existing as (
         select h.id, h.contact_id, ct.blocked_at is not null as blocked,
           -- the contact's name still is the one the provider gave (nobody renamed it): it follows the provider
           ct.name is not distinct from h.name as provider_named,
           (ct.last_seen_at is null or ct.last_seen_at < now() - interval '1 minute') as stale,
           ($4::text is not null and h.name is distinct from $4) or ($5::text is not null and h.username is distinct from $5) as renamed
         from contact_handles h join contacts ct on ct.id = h.contact_id
         where h.channel_id = $2 and h.external_id = $3),
       renamed as (
         update contact_handles h set name = coalesce($4, h.name), username = coalesce($5, h.username)
         from existing e where h.id = e.id and e.renamed returning h.id),
       followed as (
         update contacts ct set name = $4,
           search_text = lower(trim(concat_ws(' ', $4::text, array_to_string(ct.phones, ' '), array_to_string(ct.emails, ' '))))
         from existing e where ct.id = e.contact_id and e.renamed and e.provider_named and $4::text is not null
         returning ct.id),
       seen as (
         update contacts set last_seen_at = now() from existing e where contacts.id = e.contact_id and e.stale returning contacts.id),
       new_contact as (
         insert into contacts (account_id, name, phones, emails, search_text, last_seen_at)
         select $1, $4, $11::text[], $12::text[], $13, now() where not exists (select 1 from existing)
         returning id),
       new_handle as (
         insert into contact_handles (account_id, contact_id, channel_id, external_id, name, username)
         select $1, id, $2, $3, $4, $5 from new_contact
         on conflict (channel_id, external_id) do nothing
         returning id, contact_id),
       handle as (
         select id, contact_id, blocked from existing
         union all select id, contact_id, false from new_handle),
       -- a reply joins the thread of the message it answers (e-mail References), else its own
       thread as (
         select coalesce(
           (select c.thread_key from messages x join conversations c on c.id = x.conversation_id
            where x.channel_id = $2 and x.external_id = any($9::text[]) order by x.seq desc limit 1),
           $8) as key),
       existing_conv as (
         select c.id, c.external_chat_id, c.context from conversations c, handle, thread
         where c.channel_id = $2 and c.handle_id = handle.id and c.thread_key = thread.key),
       moved as (
         update conversations c set
           external_chat_id = $6,
           context = case when $10::jsonb is null then c.context else coalesce(c.context, '{}'::jsonb) || $10::jsonb end
         from existing_conv e
         where c.id = e.id and (e.external_chat_id is distinct from $6
           or ($10::jsonb is not null and e.context is distinct from coalesce(e.context, '{}'::jsonb) || $10::jsonb))
         returning c.id),
       conv as (
         insert into conversations (account_id, channel_id, contact_id, handle_id, external_chat_id, status, thread_key, context)
         select $1, $2, handle.contact_id, handle.id, $6, $7, thread.key, $10::jsonb from handle, thread
         on conflict (channel_id, handle_id, thread_key) do nothing
         returning id)
       select coalesce((select id from existing_conv), (select id from conv)) as id, exists (select 1 from conv) as created,
         coalesce((select blocked from handle), false) as blocked,
         (select id from new_contact) as new_contact_id,
         (select count(*) from new_handle)::int as new_handles`,
      values: [
        channel.accountId,
        channel.id,
        m.contact.externalId,
        m.contact.name,
        m.contact.username,
        m.chatId,
        startStatus,
        m.threadKey ?? '',
        m.threadRefs ?? [],
        m.context ? JSON.stringify(m.context) : null,
        facts.phones,
        facts.emails,
        contactSearchText({ name: m.contact.name, ...facts }),
      ],
    };
    // A row another transaction committed after this statement began is invisible to it (the first
    // messages of a new customer, racing): the second run sees it. The contact the losing run made is removed.
    for (let attempt = 0; ; attempt++) {
      const { rows } = await tx.client.query<{
        id: string | null;
        created: boolean;
        blocked: boolean;
        new_contact_id: string | null;
        new_handles: number;
      }>(query);
      const r = rows[0]!;
      if (r.new_contact_id && r.new_handles === 0) await tx.client.query('delete from contacts where id = $1', [r.new_contact_id]);
      if (r.id) return { conversationId: r.id, contactBlocked: r.blocked, created: r.created };
      if (attempt === 2) throw new Error('could not resolve the conversation of an inbound message');
    }
  }

  /**
   * Gives a new conversation the account's next number. Runs after the ingest transaction, on its own:
   * the per-account counter row is locked only for this statement, so new conversations of one account do
   * not queue behind each other's whole ingest transaction. (A crash in between leaves one unnumbered.)
   */
  async numberConversation(pool: Pool, accountId: string, conversationId: string): Promise<number | null> {
    const { rows } = await pool.query<{ number: number }>({
      name: 'number-conversation',
      text: `with n as (
         insert into conversation_numbers (account_id, last) values ($1, 1)
         on conflict (account_id) do update set last = conversation_numbers.last + 1
         returning last)
       update conversations c set number = n.last from n where c.account_id = $1 and c.id = $2 and c.number is null
       returning c.number`,
      values: [accountId, conversationId],
    });
    return rows[0]?.number ?? null;
  }

  /** Applies a customer's edit to a message we hold; null if we never stored the original. */
  async applyEdit(tx: Tx, channelId: string, m: InboundMessage): Promise<MessageRow | null> {
    const [row] = await tx.db
      .update(messages)
      .set({ text: m.text, attachments: m.attachments, editedAt: sql`now()` })
      .where(and(eq(messages.channelId, channelId), eq(messages.externalId, m.externalId)))
      .returning();
    return row ?? null;
  }

  async list(accountId: string, userId: string, f: ListFilter): Promise<ConversationRow[]> {
    const where: (SQL | undefined)[] = [eq(conversations.accountId, accountId)];
    if (f.statuses) where.push(inArray(conversations.status, f.statuses));
    if (f.assignee.kind === 'unassigned') where.push(isNull(conversations.assigneeId));
    if (f.assignee.kind === 'user') where.push(eq(conversations.assigneeId, f.assignee.userId === 'me' ? userId : f.assignee.userId));
    if (f.teamId) where.push(eq(conversations.teamId, f.teamId));
    if (f.tagId) {
      where.push(
        sql`exists (select 1 from conversation_tags ct where ct.conversation_id = ${conversations.id} and ct.tag_id = ${f.tagId})`,
      );
    }
    if (f.after) {
      where.push(
        or(
          lt(conversations.lastMessageAt, f.after.lastMessageAt),
          and(eq(conversations.lastMessageAt, f.after.lastMessageAt), lt(conversations.id, f.after.id)),
        ),
      );
    }
    return this.selectConversations()
      .where(and(...where))
      .orderBy(desc(conversations.lastMessageAt), desc(conversations.id))
      .limit(f.limit);
  }

  async get(db: Db, accountId: string, id: string): Promise<ConversationRow | undefined> {
    const [row] = await this.selectConversations(db).where(and(eq(conversations.accountId, accountId), eq(conversations.id, id)));
    return row;
  }

  private selectConversations(db: Db = this.db) {
    return db
      .select(conversationColumns)
      .from(conversations)
      .innerJoin(contacts, eq(contacts.id, conversations.contactId))
      .innerJoin(contactHandles, eq(contactHandles.id, conversations.handleId))
      .innerJoin(channels, eq(channels.id, conversations.channelId));
  }

  async messages(accountId: string, conversationId: string, limit: number, beforeSeq?: number): Promise<MessageRow[]> {
    const rows = await this.db
      .select()
      .from(messages)
      .where(
        and(
          eq(messages.accountId, accountId),
          eq(messages.conversationId, conversationId),
          beforeSeq ? lt(messages.seq, beforeSeq) : undefined,
        ),
      )
      .orderBy(desc(messages.seq))
      .limit(limit);
    return rows.reverse();
  }

  async getMessage(db: Db, accountId: string, id: string): Promise<MessageRow | undefined> {
    const [row] = await db
      .select()
      .from(messages)
      .where(and(eq(messages.accountId, accountId), eq(messages.id, id)));
    return row;
  }

  async insertOutbound(
    tx: Tx,
    input: {
      accountId: string;
      conversationId: string;
      channelId: string;
      authorUserId: string;
      text: string;
      private: boolean;
      meta?: Record<string, unknown>;
      attachments?: Attachment[];
    },
  ) {
    const [row] = await tx.db
      .insert(messages)
      .values({
        ...input,
        direction: 'out',
        authorType: 'operator',
        status: input.private ? 'sent' : 'queued',
      })
      .returning();
    return row!;
  }

  async update(
    tx: Tx,
    accountId: string,
    id: string,
    patch: {
      status?: ConversationStatus;
      assigneeId?: string | null;
      unreadCount?: number;
      touch?: string;
      snoozedUntil?: Date | null;
      teamId?: string | null;
    },
  ) {
    const { touch, ...rest } = patch;
    await tx.db
      .update(conversations)
      .set({ ...rest, updatedAt: sql`now()`, ...(touch ? { lastMessageAt: sql`now()`, lastMessagePreview: touch.slice(0, 200) } : {}) })
      .where(and(eq(conversations.accountId, accountId), eq(conversations.id, id)));
  }

  /** A snoozed conversation, locked for waking (null when it is not snoozed any more). */
  async lockSnoozed(tx: Tx, accountId: string, id: string) {
    const [row] = await tx.db
      .select({ id: conversations.id, assigneeId: conversations.assigneeId, snoozedUntil: conversations.snoozedUntil })
      .from(conversations)
      .where(and(eq(conversations.accountId, accountId), eq(conversations.id, id), eq(conversations.status, 'snoozed')))
      .for('update');
    return row;
  }

  /** Snoozed conversations whose time has come, across accounts (the sweep behind the per-snooze wake-up jobs). */
  async dueSnoozed(limit: number): Promise<{ accountId: string; id: string }[]> {
    return this.db
      .select({ accountId: conversations.accountId, id: conversations.id })
      .from(conversations)
      .where(and(eq(conversations.status, 'snoozed'), sql`${conversations.snoozedUntil} <= now()`))
      .limit(limit);
  }

  /** After a customer's message woke a snoozed conversation: the snooze time is spent. */
  async clearSnooze(tx: Tx, accountId: string, id: string): Promise<void> {
    await tx.db
      .update(conversations)
      .set({ snoozedUntil: null })
      .where(and(eq(conversations.accountId, accountId), eq(conversations.id, id)));
  }

  /** Merges what a send taught us into the conversation's context (e-mail: the references chain). */
  async mergeContext(db: Db, accountId: string, id: string, patch: Record<string, unknown>): Promise<void> {
    await db
      .update(conversations)
      .set({ context: sql`coalesce(${conversations.context}, '{}'::jsonb) || ${JSON.stringify(patch)}::jsonb` })
      .where(and(eq(conversations.accountId, accountId), eq(conversations.id, id)));
  }

  /**
   * A provider's delivery report (WhatsApp `statuses`): moves an outbound message forward
   * (sent → delivered → read) or fails it with the provider's reason. Never moves backwards.
   */
  async applyProviderStatus(
    db: Db,
    channelId: string,
    externalId: string,
    status: 'sent' | 'delivered' | 'read' | 'failed',
    reason: string | null,
  ): Promise<MessageRow | undefined> {
    const rank = sql`array_position(array['queued','sending','sent','delivered','read']::text[], ${messages.status})`;
    const [row] = await db
      .update(messages)
      .set({
        status,
        failureReason: status === 'failed' ? reason : sql`${messages.failureReason}`,
        failureCode: status === 'failed' ? 'provider_failed' : sql`${messages.failureCode}`,
      })
      .where(
        and(
          eq(messages.channelId, channelId),
          eq(messages.externalId, externalId),
          eq(messages.direction, 'out'),
          status === 'failed'
            ? sql`${messages.status} in ('queued', 'sending', 'sent', 'delivered')`
            : sql`coalesce(${rank}, 99) < array_position(array['queued','sending','sent','delivered','read']::text[], ${status}::text)`,
        ),
      )
      .returning();
    return row;
  }

  /** Sets the category by hand; the model's prediction stays in `predicted_category` for accuracy metrics. */
  async setCategory(tx: Tx, accountId: string, id: string, category: string | null): Promise<void> {
    await tx.db
      .update(conversations)
      .set({ category, categoryConfidence: null, categorySource: category ? 'operator' : null, updatedAt: sql`now()` })
      .where(and(eq(conversations.accountId, accountId), eq(conversations.id, id)));
  }

  /** The customer's recent words, oldest first (what the classifier learns from). */
  async customerText(db: Db, accountId: string, conversationId: string, limit = 5): Promise<string> {
    const rows = await db
      .select({ text: messages.text })
      .from(messages)
      .where(and(eq(messages.accountId, accountId), eq(messages.conversationId, conversationId), eq(messages.direction, 'in')))
      .orderBy(desc(messages.seq))
      .limit(limit);
    return rows
      .reverse()
      .map((r) => r.text ?? '')
      .filter(Boolean)
      .join('\n');
  }

  async setMessageState(
    db: Db,
    accountId: string,
    id: string,
    patch: Partial<Pick<MessageRow, 'status' | 'failureReason' | 'failureCode' | 'retryAt' | 'externalId' | 'sentAt' | 'meta'>> & {
      bumpAttempts?: boolean;
    },
  ) {
    const { bumpAttempts, ...rest } = patch;
    // A new state without a reason clears the code and the retry time with it.
    if ('failureReason' in rest && rest.failureReason === null) Object.assign(rest, { failureCode: null, retryAt: null });
    const [row] = await db
      .update(messages)
      .set({ ...rest, ...(bumpAttempts ? { attempts: sql`${messages.attempts} + 1` } : {}) })
      .where(and(eq(messages.accountId, accountId), eq(messages.id, id)))
      .returning();
    return row;
  }
}

/** `uuid[]` arrives as a `{a,b}` literal where the driver has no parser for it. */
function parsePgUuidArray(v: string): string[] {
  const inner = v.replace(/^\{|\}$/g, '');
  return inner ? inner.split(',') : [];
}

/** Raw `returning` rows use column names; map them to the Drizzle shape. */
function fromSqlRow(r: Record<string, unknown>): MessageRow {
  return {
    id: r.id as string,
    seq: Number(r.seq),
    accountId: r.account_id as string,
    conversationId: r.conversation_id as string,
    channelId: r.channel_id as string,
    direction: r.direction as MessageRow['direction'],
    authorType: r.author_type as MessageRow['authorType'],
    authorUserId: (r.author_user_id as string | null) ?? null,
    text: (r.text as string | null) ?? null,
    private: r.private as boolean,
    attachments: r.attachments as Attachment[],
    externalId: (r.external_id as string | null) ?? null,
    status: r.status as MessageRow['status'],
    failureReason: (r.failure_reason as string | null) ?? null,
    failureCode: (r.failure_code as string | null) ?? null,
    retryAt: r.retry_at ? new Date(r.retry_at as string) : null,
    attempts: r.attempts as number,
    editedAt: (r.edited_at as Date | null) ?? null,
    ai: (r.ai as Record<string, unknown> | null) ?? null,
    meta: (r.meta as Record<string, unknown> | null) ?? null,
    sentAt: (r.sent_at as Date | null) ?? null,
    createdAt: r.created_at as Date,
  };
}
