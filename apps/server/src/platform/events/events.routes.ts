import { z } from 'zod';
import type { App } from '../http/server.js';
import { sseConnections } from '../metrics.js';
import type { EventBus, RealtimeEvent } from './bus.js';
import { actorOf } from '../../modules/identity/identity.auth.js';

const HEARTBEAT_MS = 15_000;

/** Open SSE streams, closed on shutdown. */
export class SseHub {
  readonly streams = new Set<() => void>();
  closeAll(): void {
    for (const close of [...this.streams]) close();
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
        if (!hub.streams.delete(close)) return;
        clearInterval(heartbeat);
        unsubscribe();
        sseConnections.dec();
        raw.end();
      };
      hub.streams.add(close);
      req.raw.on('close', close);
    },
  );
}
