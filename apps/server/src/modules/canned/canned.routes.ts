import { z } from 'zod';
import { cannedListQuery, cannedResponse, createCannedRequest, idParams, updateCannedRequest } from '@switchboard/shared';
import type { App } from '../../platform/http/server.js';
import { actorOf } from '../identity/identity.auth.js';
import type { CannedService } from './canned.service.js';

const tags = ['canned responses'];

export function cannedRoutes(app: App, canned: CannedService): void {
  app.get(
    '/api/canned-responses',
    {
      config: { permission: 'conversation.reply' },
      schema: {
        tags,
        summary: 'Shared canned responses and my own; `q` searches shortcut and text',
        querystring: cannedListQuery,
        response: { 200: z.object({ items: z.array(cannedResponse) }) },
      },
    },
    async (req) => ({ items: await canned.list(actorOf(req), req.query.q) }),
  );

  app.post(
    '/api/canned-responses',
    {
      config: { permission: 'conversation.reply' },
      schema: {
        tags,
        summary: 'Add a canned response (`shared` needs canned.manage)',
        body: createCannedRequest,
        response: { 201: cannedResponse },
      },
    },
    async (req, reply) => reply.status(201).send(await canned.create(actorOf(req), req.body)),
  );

  app.patch(
    '/api/canned-responses/:id',
    {
      config: { permission: 'conversation.reply' },
      schema: { tags, summary: 'Change a canned response', params: idParams, body: updateCannedRequest, response: { 200: cannedResponse } },
    },
    async (req) => canned.update(actorOf(req), req.params.id, req.body),
  );

  app.delete(
    '/api/canned-responses/:id',
    { config: { permission: 'conversation.reply' }, schema: { tags, summary: 'Delete a canned response', params: idParams } },
    async (req, reply) => {
      await canned.remove(actorOf(req), req.params.id);
      return reply.status(204).send();
    },
  );
}
