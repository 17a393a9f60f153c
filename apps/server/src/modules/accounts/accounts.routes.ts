import { z } from 'zod';
import {
  auditEntry,
  createPlatformAccountRequest,
  createdPlatformAccount,
  idParams,
  page,
  pageQuery,
  platformAccount,
  platformAccountsQuery,
  updatePlatformAccountRequest,
} from '@switchboard/shared';
import type { App } from '../../platform/http/server.js';
import { decodeSeqCursor } from '../../platform/http/cursor.js';
import { actorOf } from '../identity/identity.auth.js';
import type { PlatformService } from './accounts.service.js';

type Row = Awaited<ReturnType<PlatformService['list']>>[number];

/** The API shape of one account in the platform cabinet. */
function toPlatformAccount(r: Row): z.infer<typeof platformAccount> {
  return {
    id: r.id,
    name: r.name,
    status: r.status,
    suspendedAt: r.suspendedAt ? r.suspendedAt.toISOString() : null,
    createdAt: r.createdAt.toISOString(),
    owners: r.owners,
    limits: r.limits,
    usage: {
      people: r.people,
      channels: r.channels,
      messagesPerMonth: r.messagesPerMonth,
      aiAnswersPerMonth: r.aiAnswersPerMonth,
      storageBytes: r.storageBytes,
    },
    health: {
      channelsFailing: r.channelsFailing,
      undeliveredReplies: r.undeliveredReplies,
      lastActivityAt: r.lastActivityAt ? r.lastActivityAt.toISOString() : null,
    },
  };
}

const tags = ['platform'];
/** Any signed-in person reaches the handler; the service admits platform admins only (a user flag). */
const config = { permission: 'signed_in' } as const;

export function platformRoutes(app: App, platform: PlatformService): void {
  app.get(
    '/api/platform/accounts',
    {
      config,
      schema: {
        tags,
        summary: 'Every account of the installation with usage and health (platform admins)',
        querystring: platformAccountsQuery,
        response: { 200: z.object({ items: z.array(platformAccount) }) },
      },
    },
    async (req) => ({ items: (await platform.list(actorOf(req), req.query)).map(toPlatformAccount) }),
  );

  app.post(
    '/api/platform/accounts',
    {
      config,
      schema: {
        tags,
        summary: 'Create an account and invite its owner (platform admins)',
        body: createPlatformAccountRequest,
        response: { 201: createdPlatformAccount },
      },
    },
    async (req, reply) => {
      const { account, invitation } = await platform.create(actorOf(req), req.body);
      return reply.status(201).send({ account: toPlatformAccount(account), invitation });
    },
  );

  app.get(
    '/api/platform/accounts/:id',
    { config, schema: { tags, summary: 'One account (platform admins)', params: idParams, response: { 200: platformAccount } } },
    async (req) => toPlatformAccount(await platform.get(actorOf(req), req.params.id)),
  );

  app.patch(
    '/api/platform/accounts/:id',
    {
      config,
      schema: {
        tags,
        summary: 'Rename an account or change its plan limits (null removes a limit)',
        params: idParams,
        body: updatePlatformAccountRequest,
        response: { 200: platformAccount },
      },
    },
    async (req) => toPlatformAccount(await platform.update(actorOf(req), req.params.id, req.body)),
  );

  app.post(
    '/api/platform/accounts/:id/suspend',
    {
      config,
      schema: {
        tags,
        summary: 'Suspend an account: no sign-in, nothing sent, inbound still stored',
        params: idParams,
        response: { 200: platformAccount },
      },
    },
    async (req) => toPlatformAccount(await platform.suspend(actorOf(req), req.params.id)),
  );

  app.post(
    '/api/platform/accounts/:id/resume',
    {
      config,
      schema: {
        tags,
        summary: 'Resume a suspended account; held replies are sent',
        params: idParams,
        response: { 200: platformAccount },
      },
    },
    async (req) => toPlatformAccount(await platform.resume(actorOf(req), req.params.id)),
  );

  app.get(
    '/api/platform/audit',
    {
      config,
      schema: {
        tags,
        summary: 'Platform actions across accounts (platform admins)',
        querystring: pageQuery,
        response: { 200: page(auditEntry) },
      },
    },
    async (req) => {
      const cursor = req.query.cursor ? decodeSeqCursor(req.query.cursor) : undefined;
      const result = await platform.auditLog(actorOf(req), req.query.limit, cursor);
      return { ...result, items: result.items.map((e) => ({ ...e, createdAt: e.createdAt.toISOString() })) };
    },
  );
}
