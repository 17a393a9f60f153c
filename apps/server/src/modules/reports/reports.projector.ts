import type { AppContext } from '../../context.js';
import { transaction } from '../../platform/db/transaction.js';
import { BackgroundLoop, ClusterLock } from '../../platform/background.js';
import { readEvents, SettledHorizon, type OutboxEvent } from '../../platform/events/events.outbox.js';
import type { Db } from '../../platform/db/client.js';
import { NO_AUTHOR, ReportFactsRepository, type HourDelta } from './reports.facts.repository.js';

const LOCK_KEY = 'reports:projector';
const STATE = 'conversations';
const BATCH = 500;
const TYPES = ['message.created', 'conversation.updated'] as const;
const HOUR_MS = 3_600_000;

/**
 * Keeps the report read model (per-conversation facts, hourly message counts) up to date from the
 * outbox, off the request path: each round reads settled events, recomputes the touched conversations'
 * facts and adds the new messages to their hours, and moves its cursor in the same transaction, so
 * every event counts exactly once. One process in the cluster runs it (advisory lock). On its first
 * start it builds the model from what the database already holds.
 */
export class ReportsProjector {
  private readonly loop: BackgroundLoop;
  private readonly lock: ClusterLock;
  private leading = false;
  private readonly horizon: SettledHorizon;

  constructor(
    private readonly ctx: AppContext,
    intervalMs = 1_000,
  ) {
    this.horizon = new SettledHorizon(ctx.db);
    this.lock = new ClusterLock(ctx.config.databaseUrl, LOCK_KEY, ctx.log, () => (this.leading = false));
    this.loop = new BackgroundLoop({ name: 'reports projector', intervalMs, log: ctx.log, round: () => this.tick() });
  }

  start(): void {
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
    await this.lock.release();
  }

  private async tick(): Promise<number | void> {
    if (!this.leading) {
      if (!(await this.lock.tryHold())) return 5_000;
      this.leading = true;
      await this.firstRun();
    }
    while (!this.loop.isStopped && (await this.round()) === BATCH);
  }

  /** No cursor yet: start from the newest event and build the model from the stored data. */
  private async firstRun(): Promise<void> {
    const repo = new ReportFactsRepository(this.ctx.db);
    if ((await repo.lastEventId(STATE)) !== undefined) return;
    const { rows } = await this.ctx.pool.query<{ id: string }>('select coalesce(max(id), 0) as id from events');
    const from = Number(rows[0]!.id);
    for (const accountId of await repo.accountIds()) await rebuildReportFacts(this.ctx.db, accountId);
    await repo.saveLastEventId(STATE, from);
    this.ctx.log.info({ from }, 'reports projector built its model');
  }

  private async round(): Promise<number> {
    const repo = new ReportFactsRepository(this.ctx.db);
    const after = (await repo.lastEventId(STATE)) ?? 0;
    const upTo = (await this.horizon.next()) ?? 0;
    if (upTo <= after) return 0;
    const events = await readEvents(this.ctx.db, { after, upTo, limit: BATCH, types: TYPES });
    const last = events.length === BATCH ? events[events.length - 1]!.id : upTo;
    await transaction(this.ctx.pool, async (tx) => {
      await project(tx.db, events);
      await new ReportFactsRepository(tx.db).saveLastEventId(STATE, last);
    });
    return events.length;
  }
}

interface MessagePayload {
  conversationId?: string;
  message?: { direction?: string; authorType?: string; authorUserId?: string | null; private?: boolean; createdAt?: string };
  conversation?: { id?: string; status?: string };
}

/** Applies a batch of outbox events to the read model (inside the caller's transaction). */
export async function project(db: Db, events: OutboxEvent[]): Promise<void> {
  const repo = new ReportFactsRepository(db);
  const touched = new Set<string>();
  const resolvedAt = new Map<string, Date>();
  for (const e of events) {
    const p = e.payload as MessagePayload;
    if (e.type === 'message.created' && p.conversationId) touched.add(p.conversationId);
    if (e.type === 'conversation.updated' && p.conversation?.id) {
      touched.add(p.conversation.id);
      if (p.conversation.status === 'resolved') resolvedAt.set(p.conversation.id, e.createdAt);
    }
  }
  const channelOf = await repo.refresh([...touched], resolvedAt);
  const deltas: HourDelta[] = [];
  for (const e of events) {
    const p = e.payload as MessagePayload;
    const m = p.message;
    if (e.type !== 'message.created' || !m || !p.conversationId || m.private || m.authorType === 'system') continue;
    const channelId = channelOf.get(p.conversationId);
    if (!channelId) continue; // deleted meanwhile
    const at = m.createdAt ? Date.parse(m.createdAt) : e.createdAt.getTime();
    const operator = m.authorType === 'operator';
    deltas.push({
      accountId: e.accountId,
      hour: new Date(Math.floor(at / HOUR_MS) * HOUR_MS),
      channelId,
      authorKey: operator && m.authorUserId ? m.authorUserId : NO_AUTHOR,
      inbound: m.direction === 'in' ? 1 : 0,
      operatorOut: m.direction === 'out' && operator ? 1 : 0,
      botOut: m.direction === 'out' && m.authorType === 'bot' ? 1 : 0,
    });
  }
  await repo.addHours(deltas);
}

/**
 * Builds an account's read model from its stored conversations and messages (first start, business
 * hours changed, benches that insert straight into SQL). Idempotent.
 */
export async function rebuildReportFacts(db: Db, accountId: string, opts: { hours?: boolean; batch?: number } = {}): Promise<void> {
  const repo = new ReportFactsRepository(db);
  const batch = opts.batch ?? 2000;
  if (opts.hours !== false) await repo.rebuildHours(accountId);
  let after = NO_AUTHOR;
  for (;;) {
    const ids = await repo.conversationIds(accountId, after, batch);
    if (ids.length === 0) break;
    await repo.refresh(ids);
    after = ids[ids.length - 1]!;
  }
}
