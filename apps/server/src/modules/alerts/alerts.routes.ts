import { z } from 'zod';
import { alertListQuery, channelAlert, channelHealth, idParams } from '@switchboard/shared';
import type { App } from '../../platform/http/server.js';
import { actorOf } from '../identity/identity.auth.js';
import type { AlertsService } from './alerts.service.js';

const tags = ['channels'];

export function alertRoutes(app: App, alerts: AlertsService): void {
  app.get(
    '/api/alerts',
    {
      config: { permission: 'channel.read' },
      schema: {
        tags,
        summary: 'Channel alerts (open ones by default), newest first',
        querystring: alertListQuery,
        response: { 200: z.object({ items: z.array(channelAlert) }) },
      },
    },
    async (req) => alerts.list(actorOf(req), req.query),
  );

  app.get(
    '/api/channels/:id/health',
    {
      config: { permission: 'channel.read' },
      schema: { tags, summary: "A channel's open alerts and undelivered messages", params: idParams, response: { 200: channelHealth } },
    },
    async (req) => alerts.channelHealth(actorOf(req), req.params.id),
  );
}
