import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { widgetStreamTicket, type WidgetMessage } from '@switchboard/shared';
import type { RealtimeEvent } from '../../../platform/events/bus.js';
import { sseConnections } from '../../../platform/metrics.js';
import type { App } from '../../../platform/http/server.js';
import type { LoadedChannel } from '../channels.runtime.js';
import { WIDGET_EVENT } from './widget.repository.js';
import type { WidgetService } from './widget.service.js';

const HEARTBEAT_MS = 15_000;
const TOKEN_HEADER = 'x-widget-token';
const params = z.object({ channelId: z.string().max(64) });

/** Resolves a widget route's channel and answers its CORS (see `widget.routes.ts`). */
export type OpenWidget = (
  req: { headers: IncomingHttpHeaders; params: { channelId: string } },
  reply: FastifyReply,
) => Promise<LoadedChannel>;

/**
 * `GET /api/widget/:channelId/events?ticket=`: Server-Sent Events of one visitor's conversation —
 * their own messages (other tabs) and the replies delivered to them — and nothing else of the
 * account. Reconnect-safe: the browser's `Last-Event-ID` (or `?lastEventId=`) replays what was missed.
 *
 * EventSource cannot send headers, and URLs end up in proxy and browser logs: the visitor token (which
 * never expires) stays in the `x-widget-token` header of `POST …/events/ticket`, and the stream URL
 * carries only the one-minute ticket that answer holds. Clients that can send headers may use the
 * token header on the stream itself.
 */
export function widgetEventsRoute(app: App, service: WidgetService, open: OpenWidget): void {
  const streams = new Set<() => void>();
  // Live streams never go idle: close them before the server waits for its connections to end.
  app.addHook('preClose', (done) => {
    for (const close of [...streams]) close();
    done();
  });

  app.post(
    '/api/widget/:channelId/events/ticket',
    {
      config: { public: true },
      schema: {
        tags: ['widget'],
        summary: "A one-minute ticket that opens the visitor's event stream",
        security: [],
        params,
        response: { 200: widgetStreamTicket },
      },
    },
    async (req, reply) => service.streamTicket(await open(req, reply), req.headers[TOKEN_HEADER]),
  );

  app.get(
    '/api/widget/:channelId/events',
    {
      config: { public: true },
      schema: {
        tags: ['widget'],
        summary: "Live messages of the visitor's conversation (Server-Sent Events)",
        security: [],
        params,
        querystring: z.object({ ticket: z.string().max(300).optional(), lastEventId: z.coerce.number().int().nonnegative().optional() }),
      },
    },
    async (req, reply) => {
      const channel = await open(req, reply);
      const token = req.headers[TOKEN_HEADER];
      const visitorId = token === undefined ? service.streamVisitor(channel, req.query.ticket) : service.visitor(channel, token);
      const { accountId, id: channelId } = channel.record;
      const raw = reply.raw;
      reply.hijack();
      raw.writeHead(200, {
        ...(reply.getHeaders() as Record<string, string>),
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      raw.write('retry: 3000\n\n');
      let lastSent = 0;
      let closed = false;
      const write = (id: number, message: WidgetMessage) => {
        if (closed || id <= lastSent) return;
        lastSent = id;
        raw.write(`id: ${id}\nevent: message\ndata: ${JSON.stringify(message)}\n\n`);
      };
      const mine = (e: RealtimeEvent) => e.type === WIDGET_EVENT && e.payload.channelId === channelId && e.payload.visitorId === visitorId;
      // Subscribe first, then replay, so nothing published in between is missed; `lastSent` drops repeats.
      const buffered: RealtimeEvent[] = [];
      let replaying = true;
      const unsubscribe = service.subscribe(accountId, (e) => {
        if (!mine(e)) return;
        if (replaying) buffered.push(e);
        else write(e.id, e.payload.message as WidgetMessage);
      });
      const close = () => {
        if (!streams.delete(close)) return;
        closed = true;
        clearInterval(heartbeat);
        unsubscribe();
        sseConnections.dec();
        raw.end();
      };
      const heartbeat = setInterval(() => raw.write(': ping\n\n'), HEARTBEAT_MS);
      streams.add(close);
      sseConnections.inc();
      req.raw.on('close', close);
      raw.on('close', close);
      // A client that left while the channel was loaded fired its close before the listeners above.
      if (raw.destroyed) return close();
      try {
        const lastEventId = Number(req.headers['last-event-id'] ?? req.query.lastEventId);
        if (Number.isSafeInteger(lastEventId) && lastEventId > 0) {
          for (const e of await service.repo.eventsAfter(accountId, channelId, visitorId, lastEventId)) write(e.id, e.message);
        }
      } catch (err) {
        // The widget re-reads its history on every reconnect; a failed replay only costs the push.
        req.log.warn({ err }, 'widget event replay failed');
      }
      replaying = false;
      for (const e of buffered) write(e.id, e.payload.message as WidgetMessage);
    },
  );
}
