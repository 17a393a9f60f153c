import { and, desc, eq, inArray, lt, ne, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import type { Tx } from '../../platform/db/transaction.js';
import { channels, contacts, conversations, messages } from '../../platform/db/schema.js';

export type DeadLetterRow = Awaited<ReturnType<DeadLettersRepository['list']>>[number];

/** "All" acts on this many at a time (each retry is a job); the caller repeats while some are left. */
export const BATCH = 1000;

/** Not delivered for sure: refused, given up on, or interrupted after it may have reached the provider. */
const undelivered = and(eq(messages.direction, 'out'), sql`${messages.status} in ('failed', 'dead', 'uncertain')`);
/** Failed once and queued to be tried again (the retrying partial index serves it). */
const retrying = and(eq(messages.direction, 'out'), eq(messages.status, 'queued'), sql`${messages.failureReason} is not null`);
/** What the undelivered view lists: the undelivered and those still being retried. */
const listed = or(undelivered, retrying);
const notUncertain = ne(messages.status, 'uncertain');

export class DeadLettersRepository {
  constructor(private readonly db: Db) {}

  /** Undelivered outbound messages across channels, newest first (the partial index serves this). */
  async list(
    accountId: string,
    f: { channelId?: string | undefined; limit: number; before?: { createdAt: Date; id: string } | undefined },
  ) {
    const where: (SQL | undefined)[] = [eq(messages.accountId, accountId), listed];
    if (f.channelId) where.push(eq(messages.channelId, f.channelId));
    if (f.before) {
      where.push(
        or(lt(messages.createdAt, f.before.createdAt), and(eq(messages.createdAt, f.before.createdAt), lt(messages.id, f.before.id))),
      );
    }
    return this.db
      .select({
        messageId: messages.id,
        conversationId: messages.conversationId,
        channelId: messages.channelId,
        channelName: channels.name,
        channelType: channels.type,
        contactName: contacts.name,
        text: messages.text,
        status: messages.status,
        failureReason: messages.failureReason,
        failureCode: messages.failureCode,
        retryAt: messages.retryAt,
        attempts: messages.attempts,
        createdAt: messages.createdAt,
      })
      .from(messages)
      .innerJoin(channels, eq(channels.id, messages.channelId))
      .innerJoin(conversations, eq(conversations.id, messages.conversationId))
      .innerJoin(contacts, eq(contacts.id, conversations.contactId))
      .where(and(...where))
      .orderBy(desc(messages.createdAt), desc(messages.id))
      .limit(f.limit);
  }

  async count(accountId: string, channelId?: string): Promise<number> {
    return (await this.counts(accountId, channelId)).total;
  }

  /** How many are listed, how many of those may have reached the customer after all, and how many are still retried. */
  async counts(accountId: string, channelId?: string): Promise<{ total: number; uncertain: number; retrying: number }> {
    const [row] = await this.db
      .select({
        total: sql<number>`count(*)::int`,
        uncertain: sql<number>`(count(*) filter (where ${messages.status} = 'uncertain'))::int`,
        retrying: sql<number>`(count(*) filter (where ${messages.status} = 'queued'))::int`,
      })
      .from(messages)
      .where(and(eq(messages.accountId, accountId), listed, channelId ? eq(messages.channelId, channelId) : undefined));
    return { total: row?.total ?? 0, uncertain: row?.uncertain ?? 0, retrying: row?.retrying ?? 0 };
  }

  /**
   * "Retry now" for replies waiting for their next attempt: their queued send job starts now instead
   * of at its backoff time (no second job, so no double send). Returns the messages whose job was found.
   */
  async hastenRetries(tx: Tx, accountId: string, target: { messageIds?: string[] | undefined; channelId?: string | undefined }) {
    const rows = await tx.db
      .update(messages)
      .set({ retryAt: sql`now()` })
      .where(
        and(
          eq(messages.accountId, accountId),
          retrying,
          target.messageIds ? inArray(messages.id, target.messageIds) : undefined,
          target.channelId ? eq(messages.channelId, target.channelId) : undefined,
        ),
      )
      .returning();
    if (rows.length === 0) return { rows, jobless: [] as string[] };
    const ids = rows.map((r) => r.id);
    const { rows: moved } = await tx.client.query<{ id: string }>(
      `update pgboss.job set start_after = now()
       where name = 'message.send' and state in ('created', 'retry') and data->>'messageId' = any($1::text[])
       returning data->>'messageId' as id`,
      [ids],
    );
    const found = new Set(moved.map((m) => m.id));
    return { rows, jobless: ids.filter((id) => !found.has(id)) };
  }

  /** Which of these messages are undelivered with an uncertain outcome. */
  async uncertainAmong(tx: Tx, accountId: string, messageIds: string[]): Promise<string[]> {
    const rows = await tx.db
      .select({ id: messages.id })
      .from(messages)
      .where(and(eq(messages.accountId, accountId), inArray(messages.id, messageIds), eq(messages.status, 'uncertain')));
    return rows.map((r) => r.id);
  }

  /**
   * Moves the chosen undelivered messages to a new state (queued again, or discarded) and returns
   * them; messages that were meanwhile retried or discarded are left alone, and uncertain ones unless
   * `withUncertain`.
   */
  async transition(
    tx: Tx,
    accountId: string,
    target: { messageIds?: string[] | undefined; channelId?: string | undefined },
    to: 'queued' | 'discarded',
    reason: string | null,
    withUncertain: boolean,
  ) {
    const eligible = withUncertain ? undelivered : and(undelivered, notUncertain);
    return tx.db
      .update(messages)
      .set({ status: to, failureReason: reason, ...(to === 'queued' ? { attempts: 0 } : {}) })
      .where(
        and(
          eq(messages.accountId, accountId),
          eligible,
          inArray(
            messages.id,
            target.messageIds ??
              tx.db
                .select({ id: messages.id })
                .from(messages)
                .where(
                  and(eq(messages.accountId, accountId), eligible, target.channelId ? eq(messages.channelId, target.channelId) : undefined),
                )
                .limit(BATCH),
          ),
          target.channelId ? eq(messages.channelId, target.channelId) : undefined,
        ),
      )
      .returning();
  }
}
