import { z } from 'zod';
import type { AppContext } from '../../../context.js';
import type { App } from '../../../platform/http/server.js';
import type { ChannelRuntime } from '../channels.runtime.js';
import type { GreenApiAdapter } from './green-api.adapter.js';

const notification = z.looseObject({ typeWebhook: z.string().max(100) });

/**
 * Green-API sends the instance's `webhookUrlToken` in the Authorization header as `Bearer <token>`;
 * a bare token is accepted too, since both name the same secret.
 */
function tokenOf(header: unknown): unknown {
  return typeof header === 'string' ? header.replace(/^Bearer\s+/i, '') : header;
}

/**
 * `POST /webhooks/green_api/:channelId`: checks the token, handles the notification and answers 200
 * only after the commit; anything else makes Green-API deliver it again a minute later.
 */
export function greenApiWebhookRoute(app: App, _ctx: AppContext, runtime: ChannelRuntime): void {
  app.post(
    '/webhooks/green_api/:channelId',
    {
      config: { public: true },
      schema: {
        tags: ['webhooks'],
        summary: 'Green-API notifications',
        params: z.object({ channelId: z.string().max(64) }),
        body: notification,
      },
    },
    async (req, reply) => {
      const channel = await runtime.authenticateWebhook(
        'green_api',
        req.params.channelId,
        tokenOf(req.headers.authorization),
        'Authorization token (webhookUrlToken)',
      );
      await runtime.typed<GreenApiAdapter>('green_api').handleNotification(channel, req.body);
      return reply.status(200).send({ ok: true });
    },
  );
}
