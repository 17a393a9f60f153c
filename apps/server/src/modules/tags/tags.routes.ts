import { z } from 'zod';
import { conversation, createTagRequest, idParams, setTagsRequest, tag, updateTagRequest } from '@switchboard/shared';
import type { App } from '../../platform/http/server.js';
import { actorOf } from '../identity/identity.auth.js';
import type { TagsService } from './tags.service.js';

const tags = ['tags'];

export function tagRoutes(app: App, service: TagsService): void {
  app.get(
    '/api/tags',
    {
      config: { permission: 'conversation.read' },
      schema: { tags, summary: 'Tags of my account', response: { 200: z.object({ items: z.array(tag) }) } },
    },
    async (req) => ({ items: await service.list(actorOf(req)) }),
  );

  app.post(
    '/api/tags',
    {
      config: { permission: 'tag.manage' },
      schema: { tags, summary: 'Create a tag (names are unique whatever the case)', body: createTagRequest, response: { 201: tag } },
    },
    async (req, reply) => reply.status(201).send(await service.create(actorOf(req), req.body)),
  );

  app.patch(
    '/api/tags/:id',
    {
      config: { permission: 'tag.manage' },
      schema: { tags, summary: 'Rename or recolour a tag', params: idParams, body: updateTagRequest, response: { 200: tag } },
    },
    async (req) => service.update(actorOf(req), req.params.id, req.body),
  );

  app.delete(
    '/api/tags/:id',
    {
      config: { permission: 'tag.manage' },
      schema: { tags, summary: 'Delete a tag (it leaves every conversation and contact)', params: idParams },
    },
    async (req, reply) => {
      await service.remove(actorOf(req), req.params.id);
      return reply.status(204).send();
    },
  );

  app.put(
    '/api/conversations/:id/tags',
    {
      config: { permission: 'conversation.assign' },
      schema: { tags, summary: 'Set the tags of a conversation', params: idParams, body: setTagsRequest, response: { 200: conversation } },
    },
    async (req) => service.setConversationTags(actorOf(req), req.params.id, req.body.tagIds),
  );

  app.get(
    '/api/contacts/:id/tags',
    {
      config: { permission: 'contact.read' },
      schema: { tags, summary: 'Tags of a contact', params: idParams, response: { 200: z.object({ items: z.array(tag) }) } },
    },
    async (req) => ({ items: await service.listForContact(actorOf(req), req.params.id) }),
  );

  app.put(
    '/api/contacts/:id/tags',
    {
      config: { permission: 'contact.edit' },
      schema: {
        tags,
        summary: 'Set the tags of a contact',
        params: idParams,
        body: setTagsRequest,
        response: { 200: z.object({ items: z.array(tag) }) },
      },
    },
    async (req) => ({ items: await service.setContactTags(actorOf(req), req.params.id, req.body.tagIds) }),
  );
}
