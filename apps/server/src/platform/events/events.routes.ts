import type { Logger } from 'pino';
import { z } from 'zod';
import type { App } from '../http/server.js';
import { sseConnections } from '../metrics.js';
import type { EventBus, RealtimeEvent } from './bus.js';
import { actorOf } from '../../modules/identity/identity.auth.js';
import { can, type Actor } from '../../modules/identity/permissions.js';

const HEARTBEAT_MS = 15_000;
/** How often an open stream tells `SseHub.onAlive` its person is still there (presence). */
const ALIVE_MS = 60_000;

export interface SseHubOptions {
  /** Which of these actors' sessions and tokens are still valid (the rest have their streams closed). */
  stillValid(actors: Actor[]): Promise<boolean[]>;
  /** How often open streams re-check their credentials. */
  everyMs: number;
  log: Logger;
}

/**
 * Open SSE streams, closed on shutdown, and closed within `everyMs` once their session or token is
 * revoked, expires or loses its membership. A periodic check (one query for all streams of this
 * process) holds across processes without a notification channel that could miss a message.
 */
export class SseHub {
  private readonly streams = new Map<() => void, Actor | undefined>();
  private timer: NodeJS.Timeout | undefined;
  private checking = false;
  /** Hears of each signed-in person with an open stream: on connect and every minute while it stays open. */
  onAlive: ((actor: Actor) => void) | undefined;

  constructor(private readonly opts?: SseHubOptions) {}

  /** Registers a stream's close function; streams of an actor are re-checked while they are open. */
  add(close: () => void, actor?: Actor): void {
    this.streams.set(close, actor);
    if (this.opts && !this.timer) {
      this.timer = setInterval(() => void this.revalidate(), this.opts.everyMs);
      this.timer.unref();
    }
  }

  /** Forgets a stream; false when it was already gone (so closing twice is harmless). */
  delete(close: () => void): boolean {
    const had = this.streams.delete(close);
    if (this.streams.size === 0) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
    return had;
  }

  closeAll(): void {
    for (const close of [...this.streams.keys()]) close();
  }

  private async revalidate(): Promise<void> {
    if (!this.opts || this.checking) return;
    const open = [...this.streams].filter((entry): entry is [() => void, Actor] => entry[1] !== undefined);
    if (open.length === 0) return;
    this.checking = true;
    try {
      const valid = await this.opts.stillValid(open.map(([, actor]) => actor));
      open.forEach(([close], i) => valid[i] || close());
    } catch (err) {
      // Streams stay open while the check cannot run (database down); the next tick tries again.
      this.opts.log.warn({ err }, 'event stream credential check failed');
    } finally {
      this.checking = false;
    }
  }
}

/**
 * Whether a person's stream carries an event: one addressed to some people (`payload.audience`, user ids:
 * their notifications, a private channel's or direct chat's messages) only to them; the team chat to its
 * users; everything else (conversations, channels, knowledge) to those who may read conversations.
 */
export function visibleTo(actor: Actor, e: Pick<RealtimeEvent, 'type' | 'payload'>): boolean {
  const audience = e.payload.audience;
  if (Array.isArray(audience)) return audience.includes(actor.userId);
  if (e.type.startsWith('chat.')) return can(actor, 'chat.use');
  if (e.type.startsWith('notification.')) return false;
  return can(actor, 'conversation.read');
}

/** `GET /api/events`: the account's realtime events this person may see, with `Last-Event-ID` replay. */
export function eventRoutes(app: App, bus: EventBus, hub: SseHub): void {
  app.get(
    '/api/events',
    {
      // Everyone signed in: each event is filtered for the person (`visibleTo`).
      config: { permission: 'signed_in' },
      schema: {
        tags: ['realtime'],
        summary: 'Server-Sent Events stream of the account (what this person may see)',
        querystring: z.object({ lastEventId: z.coerce.number().int().positive().optional() }),
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const raw = reply.raw;
      reply.hijack();
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
        'x-request-id': req.id,
      });
      raw.write('retry: 3000\n\n');
      let lastSent = 0;
      let closed = false;
      const write = (e: RealtimeEvent) => {
        if (closed || !visibleTo(actor, e)) return;
        if (e.id === 0) return void raw.write(`event: ${e.type}\ndata: ${JSON.stringify(e.payload)}\n\n`);
        if (e.id <= lastSent) return;
        lastSent = e.id;
        raw.write(`id: ${e.id}\nevent: ${e.type}\ndata: ${JSON.stringify(e.payload)}\n\n`);
      };
      // Subscribe first, then replay, so nothing published in between is missed: live events wait in
      // `buffered` until the replay is written, and `lastSent` drops those the replay already held.
      const buffered: RealtimeEvent[] = [];
      let replaying = true;
      const unsubscribe = bus.subscribe(actor.accountId, (e) => (replaying ? buffered.push(e) : write(e)));
      const heartbeat = setInterval(() => raw.write(': ping\n\n'), HEARTBEAT_MS);
      hub.onAlive?.(actor);
      const alive = setInterval(() => hub.onAlive?.(actor), ALIVE_MS);
      sseConnections.inc();
      const close = () => {
        if (!hub.delete(close)) return;
        closed = true;
        clearInterval(heartbeat);
        clearInterval(alive);
        unsubscribe();
        sseConnections.dec();
        raw.end();
      };
      // Registered before the replay: a client that leaves (or is revoked) while it runs is cleaned up too.
      hub.add(close, actor);
      req.raw.on('close', close);
      raw.on('close', close);
      if (raw.destroyed) return close();

      // Browsers send the header on their own reconnects; a fresh EventSource can only use the query.
      const lastEventId = Number(req.headers['last-event-id'] ?? req.query.lastEventId);
      try {
        if (Number.isSafeInteger(lastEventId) && lastEventId > 0) await replayAfter(bus, actor.accountId, lastEventId, write, () => closed);
      } catch (err) {
        // Ending the stream makes the browser reconnect with its Last-Event-ID and try the replay again.
        req.log.warn({ err }, 'event replay failed');
        return close();
      }
      replaying = false;
      for (const e of buffered) write(e);
    },
  );
}

/** Writes every stored event after `afterId`, page by page, until none is left or the stream closed. */
async function replayAfter(bus: EventBus, accountId: string, afterId: number, write: (e: RealtimeEvent) => void, closed: () => boolean) {
  const PAGE = 500;
  for (let after = afterId; !closed();) {
    const page = await bus.replay(accountId, after, PAGE);
    page.forEach(write);
    if (page.length < PAGE) return;
    after = page[page.length - 1]!.id;
  }
}
