import pg from 'pg';
import type { Logger } from 'pino';
import type { Tx } from '../db/transaction.js';
import { Notifier, NOTIFY_LIMIT, payloadBytes } from './notifier.js';
import type { RedisLink } from '../redis.js';
import { RedisNotifier, subscribeChannels, type ChannelNotifier } from '../redis.pubsub.js';

export interface RealtimeEvent {
  id: number;
  accountId: string;
  type: string;
  payload: Record<string, unknown>;
}

type Listener = (event: RealtimeEvent) => void;

const EVENTS_CHANNEL = 'sb_events';

/**
 * Account-scoped realtime events. `publish` writes the event row in the caller's transaction and
 * announces it after the commit — by PostgreSQL NOTIFY, or Redis pub/sub in Redis mode — so listeners
 * in every process hear of it only once it is committed. While the announcing channel is down pushes
 * are lost (never the events): `onGap` listeners hear of each loss and recovery and end open streams,
 * which reconnect and replay from the table.
 */
export class EventBus {
  private client: pg.Client | undefined;
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly channelHandlers = new Map<string, (payload: string) => void>();
  private stopped = false;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private readonly gapListeners = new Set<() => void>();
  /** Post-commit announcements of this process (events, job wake-ups). */
  readonly notifier: ChannelNotifier;

  constructor(
    private readonly url: string,
    private readonly pool: pg.Pool,
    private readonly log: Logger,
    private readonly redis?: RedisLink,
  ) {
    this.notifier = redis ? new RedisNotifier(redis, log) : new Notifier(pool, log);
    redis?.onSubscriberState(() => this.gap());
  }

  /** Called when live pushes may have been missed (the channel went down, or came back). */
  onGap(listener: () => void): void {
    this.gapListeners.add(listener);
  }

  private gap(): void {
    for (const listener of this.gapListeners) listener();
  }

  /**
   * Records an event in the caller's transaction (or directly on the pool); listeners in every process
   * hear of it after the commit.
   */
  async publish(target: Tx | pg.Pool, accountId: string, type: string, payload: Record<string, unknown>): Promise<void> {
    const inTx = 'afterCommit' in target;
    const { rows } = await (inTx ? target.client : target).query<{ id: number }>({
      name: 'publish-event',
      text: 'insert into events (account_id, type, payload) values ($1, $2, $3) returning id',
      values: [accountId, type, payload],
    });
    const id = rows[0]!.id;
    const full = JSON.stringify({ id, accountId, type, payload });
    const item = payloadBytes(full) <= NOTIFY_LIMIT - 2 ? full : JSON.stringify({ id, accountId, type, ref: true });
    if (inTx) target.afterCommit(() => this.notifier.send(EVENTS_CHANNEL, item));
    else this.notifier.send(EVENTS_CHANNEL, item);
  }

  /**
   * A live-only event (id 0): not stored, never replayed — e.g. an LLM draft streaming to operators,
   * whose final text arrives as a normal event.
   */
  publishTransient(accountId: string, type: string, payload: Record<string, unknown>): void {
    this.notifier.send(EVENTS_CHANNEL, JSON.stringify({ id: 0, accountId, type, payload }));
  }

  /** Extra NOTIFY channels this process reacts to (e.g. job wake-ups). */
  onChannel(channel: string, handler: (payload: string) => void): void {
    this.channelHandlers.set(channel, handler);
  }

  subscribe(accountId: string, listener: Listener): () => void {
    let set = this.listeners.get(accountId);
    if (!set) this.listeners.set(accountId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(accountId);
    };
  }

  /** Events of an account after `afterId` (for `Last-Event-ID`), oldest first. */
  async replay(accountId: string, afterId: number, limit = 500): Promise<RealtimeEvent[]> {
    const { rows } = await this.pool.query<{ id: number; type: string; payload: Record<string, unknown> }>(
      'select id, type, payload from events where account_id = $1 and id > $2 order by id limit $3',
      [accountId, afterId, limit],
    );
    return rows.map((r) => ({ ...r, accountId }));
  }

  async start(): Promise<void> {
    if (this.redis) return subscribeChannels(this.redis, [EVENTS_CHANNEL, ...this.channelHandlers.keys()], (c, p) => this.dispatch(c, p));
    const client = new pg.Client({ connectionString: this.url });
    client.on('error', (err) => {
      this.log.warn({ err }, 'event bus connection lost; reconnecting');
      this.gap();
      this.scheduleReconnect();
    });
    client.on('notification', (msg) => this.dispatch(msg.channel, msg.payload ?? ''));
    await client.connect();
    await client.query(`listen ${EVENTS_CHANNEL}`);
    for (const channel of this.channelHandlers.keys()) await client.query(`listen ${pg.escapeIdentifier(channel)}`);
    this.client = client;
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.reconnectTimer) return;
    const old = this.client;
    this.client = undefined;
    void old?.end().catch(() => undefined);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      this.start().then(
        () => this.gap(),
        (err: unknown) => {
          this.log.warn({ err }, 'event bus reconnect failed');
          this.scheduleReconnect();
        },
      );
    }, 1_000);
  }

  private dispatch(channel: string, payload: string): void {
    if (channel !== EVENTS_CHANNEL) {
      this.channelHandlers.get(channel)?.(payload);
      return;
    }
    let items: (RealtimeEvent & { ref?: boolean })[];
    try {
      const value = JSON.parse(payload) as unknown;
      // Our notifiers send arrays; a single event (a hand-written NOTIFY, an older process) is read too.
      items = (Array.isArray(value) ? value : [value]) as typeof items;
    } catch (err) {
      // Whatever else writes to the channel must not end the process: that push is lost, the event is not.
      this.log.warn({ err, channel }, 'unreadable realtime event notification');
      return;
    }
    for (const parsed of items) {
      if (typeof parsed !== 'object' || parsed === null || typeof parsed.accountId !== 'string') continue;
      if (!this.listeners.has(parsed.accountId)) continue;
      if (!parsed.ref) {
        this.emit(parsed);
        continue;
      }
      this.replay(parsed.accountId, parsed.id - 1, 1)
        .then(([event]) => event && this.emit(event))
        .catch((err: unknown) => this.log.warn({ err }, 'event fetch failed'));
    }
  }

  private emit(event: RealtimeEvent): void {
    for (const listener of this.listeners.get(event.accountId) ?? []) listener(event);
  }

  async stop(): Promise<void> {
    await this.notifier.drain();
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    await this.client?.end().catch(() => undefined);
  }
}
