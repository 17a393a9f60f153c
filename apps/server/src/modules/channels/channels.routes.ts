import { z } from 'zod';
import { channel, createChannelRequest, idParams, updateChannelRequest } from '@switchboard/shared';
import type { App } from '../../platform/http/server.js';
import { actorOf } from '../identity/identity.auth.js';
import type { ChannelsService } from './channels.service.js';

export function channelRoutes(app: App, channels: ChannelsService): void {
  app.get(
    '/api/channels',
    {
      config: { permission: 'channel.read' },
      schema: { tags: ['channels'], summary: 'Channels of my account', response: { 200: z.object({ items: z.array(channel) }) } },
    },
    async (req) => ({
      items: await channels.list(actorOf(req)),
    }),
  );

  app.post(
    '/api/channels',
    {
      config: { permission: 'channel.manage' },
      schema: {
        tags: ['channels'],
        summary: 'Connect a channel (the bot token is checked with the provider)',
        body: createChannelRequest,
        response: { 201: channel },
      },
    },
    async (req, reply) => reply.status(201).send(await channels.create(actorOf(req), req.body)),
  );

  app.get(
    '/api/channels/:id',
    { config: { permission: 'channel.read' }, schema: { tags: ['channels'], params: idParams, response: { 200: channel } } },
    async (req) => channels.get(actorOf(req), req.params.id),
  );

  app.patch(
    '/api/channels/:id',
    {
      config: { permission: 'channel.manage' },
      schema: {
        tags: ['channels'],
        summary: 'Rename or reconnect a channel',
        params: idParams,
        body: updateChannelRequest,
        response: { 200: channel },
      },
    },
    async (req) => channels.update(actorOf(req), req.params.id, req.body),
  );

  app.post(
    '/api/channels/:id/reconnect',
    {
      config: { permission: 'channel.manage' },
      schema: {
        tags: ['channels'],
        summary: 'Check the credentials again and re-register inbound delivery (a fresh webhook secret)',
        params: idParams,
        response: { 200: channel },
      },
    },
    async (req) => channels.reconnect(actorOf(req), req.params.id),
  );

  app.delete(
    '/api/channels/:id',
    {
      config: { permission: 'channel.manage' },
      schema: { tags: ['channels'], summary: 'Disconnect and delete a channel', params: idParams },
    },
    async (req, reply) => {
      await channels.remove(actorOf(req), req.params.id);
      return reply.status(204).send();
    },
  );
}
