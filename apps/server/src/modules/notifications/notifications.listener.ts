import type { AppContext } from '../../context.js';
import { transaction, type Tx } from '../../platform/db/transaction.js';
import { readEvents, SettledHorizon, type OutboxEvent } from '../../platform/events/events.outbox.js';
import { BackgroundLoop } from '../../platform/background.js';
import { Audience } from './notifications.create.js';
import { handleEvent, WATCHED } from './notifications.rules.js';
import { NotificationsRepository } from './notifications.repository.js';

const CURSOR = 'notifications';
const BATCH = 200;

/**
 * Turns the events outbox into notifications. One process at a time holds the cursor row (`for update
 * skip locked`); each batch's notifications, their delivery jobs and the moved cursor commit together,
 * so a crash repeats a batch at worst — and notifications are once-only per source and person. Reads stop
 * at a settled horizon (`SettledHorizon`), so an event committed late below ids already read is not skipped.
 * A fresh installation starts after the newest event (history is not announced).
 */
export class NotificationsListener {
  private readonly horizon: SettledHorizon;
  private readonly loop: BackgroundLoop;
  private placed = false;

  constructor(
    private readonly ctx: AppContext,
    intervalMs = 500,
  ) {
    this.horizon = new SettledHorizon(ctx.db);
    this.loop = new BackgroundLoop({ name: 'notifications', intervalMs, log: ctx.log, round: () => this.tick() });
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Reads up to the newest settled horizon, batch by batch. */
  async tick(): Promise<void> {
    // The first start places the cursor at once: what happens after boot is told even before a horizon settles.
    this.placed ||= await transaction(this.ctx.pool, async (tx) => {
      const repo = new NotificationsRepository(tx.db);
      return (await repo.lockCursor(tx.db, CURSOR, () => repo.maxEventId(tx.db))) !== undefined;
    });
    const upTo = await this.horizon.next();
    if (upTo === undefined) return;
    while (!this.loop.isStopped && (await this.round(upTo)));
  }

  /** One batch in one transaction; true when a full batch suggests more. */
  private async round(upTo: number): Promise<boolean> {
    return transaction(this.ctx.pool, async (tx) => {
      const repo = new NotificationsRepository(tx.db);
      const cursor = await repo.lockCursor(tx.db, CURSOR, () => repo.maxEventId(tx.db));
      if (cursor === null || cursor >= upTo) return false;
      const events = await readEvents(tx.db, { after: cursor, upTo, limit: BATCH, types: WATCHED });
      await this.handle(tx, events);
      const full = events.length === BATCH;
      await repo.setCursor(tx.db, CURSOR, full ? events[events.length - 1]!.id : upTo);
      return full;
    });
  }

  private async handle(tx: Tx, events: OutboxEvent[]): Promise<void> {
    const audiences = new Map<string, Audience>();
    for (const event of events) {
      let audience = audiences.get(event.accountId);
      if (!audience) audiences.set(event.accountId, (audience = await Audience.load(tx, event.accountId)));
      // One unreadable event must not stall the listener: its work is undone alone, logged and passed over.
      await tx.client.query('savepoint notify_event');
      try {
        await handleEvent(this.ctx, tx, audience, event);
        await tx.client.query('release savepoint notify_event');
      } catch (err) {
        await tx.client.query('rollback to savepoint notify_event');
        this.ctx.log.error({ err, eventId: event.id, type: event.type }, 'event not turned into notifications');
      }
    }
  }
}
