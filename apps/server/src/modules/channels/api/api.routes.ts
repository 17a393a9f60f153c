import { apiInboundMessageRequest, apiInboundMessageResponse, idParams, webhookEndpointWithSecret } from '@switchboard/shared';
import type { AppContext } from '../../../context.js';
import { AppError, notFound } from '../../../platform/http/errors.js';
import type { App } from '../../../platform/http/server.js';
import { actorOf } from '../../identity/identity.auth.js';
import { requirePermission } from '../../identity/permissions.js';
import { callbackUrlOf, syncChannelEndpoint } from '../../webhooks/webhooks.channel-endpoint.js';
import { WebhooksService } from '../../webhooks/webhooks.service.js';
import type { ChannelRuntime } from '../channels.runtime.js';
import type { ApiAdapter } from './api.adapter.js';

/**
 * The API channel's routes: customer messages posted by the company's system with an API token, and
 * the signing secret of the channel's callback (a new one each time it is asked for: shown once).
 */
export function apiChannelRoutes(app: App, ctx: AppContext, runtime: ChannelRuntime): void {
  const webhooks = new WebhooksService(ctx);

  app.post(
    '/api/channels/:id/messages',
    {
      config: { permission: 'channel.manage' },
      schema: {
        tags: ['channels'],
        summary: 'Post a customer message to an API channel (API token of an owner or admin)',
        description:
          'Authorization: Bearer <API token>. `messageId` is the dedup key: posting it again stores nothing and answers 200 with `duplicate: true`.',
        params: idParams,
        body: apiInboundMessageRequest,
        response: { 200: apiInboundMessageResponse, 201: apiInboundMessageResponse },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      if (actor.via !== 'token') throw new AppError('forbidden', 'Post customer messages with an API token (Authorization: Bearer …)');
      requirePermission(actor, 'channel.manage');
      const channel = await runtime.load(actor.accountId, req.params.id);
      if (!channel || channel.record.type !== 'api') throw notFound('API channel');
      const result = await runtime.typed<ApiAdapter>('api').receive(channel.record, req.body);
      runtime.noteInbound(channel.record.id);
      return reply.status(result.duplicate ? 200 : 201).send(result);
    },
  );

  app.post(
    '/api/channels/:id/callback-secret',
    {
      config: { permission: 'channel.manage' },
      schema: {
        tags: ['channels'],
        summary: "Issue a new signing secret for the API channel's callback (shown in this response only)",
        params: idParams,
        response: { 200: webhookEndpointWithSecret },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      requirePermission(actor, 'channel.manage');
      const channel = await runtime.load(actor.accountId, req.params.id);
      if (!channel || channel.record.type !== 'api') throw notFound('API channel');
      const callbackUrl = callbackUrlOf(channel.record.config);
      if (!callbackUrl) throw new AppError('conflict', 'Set the channel’s callbackUrl first');
      const endpoint = await syncChannelEndpoint(ctx, { ...channel.record, callbackUrl });
      return webhooks.rotateSecret(actor, endpoint!.id);
    },
  );
}
