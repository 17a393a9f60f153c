import type { Logger } from 'pino';
import { z } from 'zod';
import type { App } from '../http/server.js';
import { sseConnections } from '../metrics.js';
import type { EventBus, RealtimeEvent } from './bus.js';
import { actorOf } from '../../modules/identity/identity.auth.js';
import type { Actor } from '../../modules/identity/permissions.js';

const HEARTBEAT_MS = 15_000;

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

/** `GET /api/events`: the account's realtime events, with `Last-Event-ID` replay. */
export function eventRoutes(app: App, bus: EventBus, hub: SseHub): void {
  app.get(
    '/api/events',
    {
      schema: {
        tags: ['realtime'],
        summary: 'Server-Sent Events stream of the account',
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
      const write = (e: RealtimeEvent) => {
        if (e.id === 0) return void raw.write(`event: ${e.type}\ndata: ${JSON.stringify(e.payload)}\n\n`);
        if (e.id <= lastSent) return;
        lastSent = e.id;
        raw.write(`id: ${e.id}\nevent: ${e.type}\ndata: ${JSON.stringify(e.payload)}\n\n`);
      };
      // Subscribe first, then replay, so nothing published in between is missed; `lastSent` drops repeats.
      const buffered: RealtimeEvent[] = [];
      let replaying = true;
      const unsubscribe = bus.subscribe(actor.accountId, (e) => (replaying ? buffered.push(e) : write(e)));
      // Browsers send the header on their own reconnects; a fresh EventSource can only use the query.
      const lastEventId = Number(req.headers['last-event-id'] ?? req.query.lastEventId);
      if (Number.isSafeInteger(lastEventId) && lastEventId > 0) {
        for (const e of await bus.replay(actor.accountId, lastEventId)) write(e);
      }
      replaying = false;
      for (const e of buffered) write(e);

      const heartbeat = setInterval(() => raw.write(': ping\n\n'), HEARTBEAT_MS);
      sseConnections.inc();
      const close = () => {
        if (!hub.delete(close)) return;
        clearInterval(heartbeat);
        unsubscribe();
        sseConnections.dec();
        raw.end();
      };
      hub.add(close, actor);
      req.raw.on('close', close);
    },
  );
}
