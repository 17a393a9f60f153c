import { z } from 'zod';
import {
  bridgeOverview,
  idParams,
  linkTokenResponse,
  operatorLink,
  telegramLoginRequest,
  updateOperatorLinkRequest,
} from '@switchboard/shared';
import type { App } from '../../platform/http/server.js';
import { actorOf } from '../identity/identity.auth.js';
import type { BridgeService } from './bridge.service.js';

export function bridgeRoutes(app: App, bridge: BridgeService): void {
  app.get(
    '/api/bridge',
    {
      config: { permission: 'bridge.use' },
      schema: {
        tags: ['bridge'],
        summary: "The operator bot, my Telegram link, and (managers) everyone's links",
        response: { 200: bridgeOverview },
      },
    },
    async (req) => bridge.overview(actorOf(req)),
  );

  app.post(
    '/api/bridge/link-token',
    {
      config: { permission: 'bridge.use' },
      schema: {
        tags: ['bridge'],
        summary: 'A one-time link (15 minutes) that links my Telegram through the operator bot',
        response: { 201: linkTokenResponse },
      },
    },
    async (req, reply) => reply.status(201).send(await bridge.createLinkToken(actorOf(req))),
  );

  app.post(
    '/api/bridge/telegram-login',
    {
      config: { permission: 'bridge.use' },
      schema: {
        tags: ['bridge'],
        summary: 'Link my Telegram with the data of the Telegram Login Widget (checked against the operator bot token)',
        body: telegramLoginRequest,
        response: { 200: operatorLink },
      },
    },
    async (req) => bridge.telegramLogin(actorOf(req), req.body),
  );

  app.get(
    '/api/bridge/links',
    {
      config: { permission: 'bridge.use' },
      schema: {
        tags: ['bridge'],
        summary: 'Telegram links (managers: all of the account; others: their own)',
        response: { 200: z.object({ items: z.array(operatorLink) }) },
      },
    },
    async (req) => ({ items: await bridge.listLinks(actorOf(req)) }),
  );

  app.patch(
    '/api/bridge/links/:id',
    {
      config: { permission: 'user.manage' },
      schema: {
        tags: ['bridge'],
        summary: 'Choose what a linked user receives (owners and admins)',
        params: idParams,
        body: updateOperatorLinkRequest,
        response: { 200: operatorLink },
      },
    },
    async (req) => bridge.setScope(actorOf(req), req.params.id, req.body.scope),
  );

  app.delete(
    '/api/bridge/links/:id',
    {
      config: { permission: 'bridge.use' },
      schema: { tags: ['bridge'], summary: 'Unlink a Telegram account (my own, or anyone for managers)', params: idParams },
    },
    async (req, reply) => {
      await bridge.unlink(actorOf(req), req.params.id);
      return reply.status(204).send();
    },
  );
}
