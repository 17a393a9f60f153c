import { z } from 'zod';
import {
  createWebhookEndpointRequest,
  idParams,
  page,
  redeliverRequest,
  redeliverResult,
  updateWebhookEndpointRequest,
  webhookDelivery,
  webhookDeliveryListQuery,
  webhookEndpoint,
  webhookEndpointWithSecret,
} from '@switchboard/shared';
import type { App } from '../../platform/http/server.js';
import { actorOf } from '../identity/identity.auth.js';
import type { WebhooksService } from './webhooks.service.js';

const tags = ['webhooks'];

/** `/api/webhooks`: signed outbound webhooks of the account (owners and admins). */
export function webhookRoutes(app: App, webhooks: WebhooksService): void {
  app.get(
    '/api/webhooks',
    {
      config: { permission: 'webhook.manage' },
      schema: { tags, summary: 'Webhook endpoints of my account', response: { 200: z.object({ items: z.array(webhookEndpoint) }) } },
    },
    async (req) => ({ items: await webhooks.list(actorOf(req)) }),
  );

  app.post(
    '/api/webhooks',
    {
      config: { permission: 'webhook.manage' },
      schema: {
        tags,
        summary: 'Add an endpoint (its signing secret is shown in this response only)',
        body: createWebhookEndpointRequest,
        response: { 201: webhookEndpointWithSecret },
      },
    },
    async (req, reply) => reply.status(201).send(await webhooks.create(actorOf(req), req.body)),
  );

  app.get(
    '/api/webhooks/:id',
    { config: { permission: 'webhook.manage' }, schema: { tags, params: idParams, response: { 200: webhookEndpoint } } },
    async (req) => webhooks.get(actorOf(req), req.params.id),
  );

  app.patch(
    '/api/webhooks/:id',
    {
      config: { permission: 'webhook.manage' },
      schema: {
        tags,
        summary: 'Change the URL, events or description; enable or disable',
        params: idParams,
        body: updateWebhookEndpointRequest,
        response: { 200: webhookEndpoint },
      },
    },
    async (req) => webhooks.update(actorOf(req), req.params.id, req.body),
  );

  app.delete(
    '/api/webhooks/:id',
    { config: { permission: 'webhook.manage' }, schema: { tags, summary: 'Delete an endpoint', params: idParams } },
    async (req, reply) => {
      await webhooks.remove(actorOf(req), req.params.id);
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/webhooks/:id/rotate-secret',
    {
      config: { permission: 'webhook.manage' },
      schema: {
        tags,
        summary: 'Replace the signing secret (effective at once; shown in this response only)',
        params: idParams,
        response: { 200: webhookEndpointWithSecret },
      },
    },
    async (req) => webhooks.rotateSecret(actorOf(req), req.params.id),
  );

  app.post(
    '/api/webhooks/:id/ping',
    {
      config: { permission: 'webhook.manage' },
      schema: { tags, summary: 'Send a signed test event now', params: idParams, response: { 200: webhookDelivery } },
    },
    async (req) => webhooks.ping(actorOf(req), req.params.id),
  );

  app.get(
    '/api/webhooks/:id/deliveries',
    {
      config: { permission: 'webhook.manage' },
      schema: {
        tags,
        summary: 'Delivery log of an endpoint, newest first',
        params: idParams,
        querystring: webhookDeliveryListQuery,
        response: { 200: page(webhookDelivery) },
      },
    },
    async (req) => webhooks.deliveries(actorOf(req), req.params.id, req.query),
  );

  app.post(
    '/api/webhooks/:id/redeliver',
    {
      config: { permission: 'webhook.manage' },
      schema: {
        tags,
        summary: 'Send every failed and dead delivery of the endpoint again (up to 1000 per call)',
        params: idParams,
        // Fastify hands a POST without a body to the schema as null: that is "no filter", not a bad body.
        body: redeliverRequest.nullish(),
        response: { 200: redeliverResult },
      },
    },
    async (req) => webhooks.redeliverFailed(actorOf(req), req.params.id, req.body?.status),
  );

  app.post(
    '/api/webhooks/deliveries/:id/redeliver',
    {
      config: { permission: 'webhook.manage' },
      schema: { tags, summary: 'Send one delivery again', params: idParams, response: { 200: webhookDelivery } },
    },
    async (req) => webhooks.redeliver(actorOf(req), req.params.id),
  );
}
