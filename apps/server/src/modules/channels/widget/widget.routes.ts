import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  widgetHistory,
  widgetPostMessageRequest,
  widgetPostMessageResponse,
  widgetPublicConfig,
  widgetSession,
  widgetSessionRequest,
} from '@switchboard/shared';
import type { AppContext } from '../../../context.js';
import type { App } from '../../../platform/http/server.js';
import type { ChannelRuntime } from '../channels.runtime.js';
import { assertOrigin, corsHeaders, preflightHeaders } from './widget.cors.js';
import { widgetEventsRoute, type OpenWidget } from './widget.events.js';
import { WidgetService } from './widget.service.js';
import { widgetStaticRoutes } from './widget.static.js';

const params = z.object({ channelId: z.string().max(64) });
const TOKEN_HEADER = 'x-widget-token';
/** Public: no session or CSRF (the visitor token authenticates); documented without a security scheme. */
const route = (summary: string) => ({ tags: ['widget'], summary, security: [], params });
/** The visitor token from `POST …/session`, documented on the routes that take it (missing or wrong = 401). */
const visitorHeaders = z.object({
  [TOKEN_HEADER]: z.string().max(2000).optional().describe('The visitor token returned by `POST /api/widget/{channelId}/session`'),
});

/**
 * The chat widget: its public API under `/api/widget/:channelId/…` (CORS per channel), the event
 * stream, the bundle at `/widget.js` and the demo page.
 */
export function widgetRoutes(app: App, ctx: AppContext, runtime: ChannelRuntime): void {
  const service = new WidgetService(ctx, runtime);
  const ownOrigin = new URL(ctx.config.publicUrl).origin;

  /** The route's widget channel, with CORS answered (a refused origin throws 403). */
  const open: OpenWidget = async (req, reply) => {
    const origin = req.headers.origin;
    corsHeaders(reply, origin);
    const channel = await service.channel(req.params.channelId);
    assertOrigin(origin, service.allowedOrigins(channel), { origin: ownOrigin, host: req.headers.host });
    return channel;
  };

  app.options('/api/widget/:channelId/*', { config: { public: true }, schema: { hide: true } }, async (req, reply) => {
    await open(req as FastifyRequest<{ Params: { channelId: string } }>, reply);
    preflightHeaders(reply);
    return reply.status(204).send();
  });

  app.get(
    '/api/widget/:channelId/config',
    { config: { public: true }, schema: { ...route('Chat widget settings'), response: { 200: widgetPublicConfig } } },
    async (req, reply) => service.publicConfig(await open(req, reply)),
  );

  app.post(
    '/api/widget/:channelId/session',
    {
      config: { public: true },
      schema: { ...route('Start or resume a visitor session'), body: widgetSessionRequest, response: { 200: widgetSession } },
    },
    async (req, reply) => service.session(await open(req, reply), req.body.token),
  );

  app.get(
    '/api/widget/:channelId/messages',
    {
      config: { public: true },
      schema: { ...route("The visitor's conversation"), headers: visitorHeaders, response: { 200: widgetHistory } },
    },
    async (req, reply) => {
      const channel = await open(req, reply);
      const visitorId = service.visitor(channel, req.headers[TOKEN_HEADER]);
      return { items: await service.history(channel, visitorId) };
    },
  );

  app.post(
    '/api/widget/:channelId/messages',
    {
      config: { public: true },
      schema: {
        ...route('A visitor writes'),
        headers: visitorHeaders,
        body: widgetPostMessageRequest,
        response: { 200: widgetPostMessageResponse, 201: widgetPostMessageResponse },
      },
    },
    async (req, reply) => {
      const channel = await open(req, reply);
      const visitorId = service.visitor(channel, req.headers[TOKEN_HEADER]);
      const result = await service.post(channel, visitorId, req.body, req.ip);
      return reply.status(result.duplicate ? 200 : 201).send(result);
    },
  );

  widgetEventsRoute(app, service, open);
  widgetStaticRoutes(app, ctx, service);
}
