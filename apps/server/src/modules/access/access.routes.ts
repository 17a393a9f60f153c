import { z } from 'zod';
import { idParams, permissionInfo, PERMISSIONS, permissionNames, roleInfo, roleRequest } from '@switchboard/shared';
import type { App } from '../../platform/http/server.js';
import { actorOf } from '../identity/identity.auth.js';
import type { RolesService } from './roles.service.js';

const CATALOGUE = permissionNames.map((name) => {
  const { area, kind, en, ru } = PERMISSIONS[name];
  return { name, area, kind, description: { en, ru } };
});

export function accessRoutes(app: App, roles: RolesService): void {
  app.get(
    '/api/permissions',
    {
      config: { permission: 'signed_in' },
      schema: {
        tags: ['roles'],
        summary: 'The catalogue of permissions, with descriptions in English and Russian',
        response: { 200: z.object({ items: z.array(permissionInfo) }) },
      },
    },
    () => Promise.resolve({ items: CATALOGUE }),
  );

  app.get(
    '/api/roles',
    {
      config: { permission: 'role.read' },
      schema: {
        tags: ['roles'],
        summary: 'System and custom roles with their permissions',
        response: { 200: z.object({ items: z.array(roleInfo) }) },
      },
    },
    async (req) => ({ items: await roles.list(actorOf(req)) }),
  );

  app.post(
    '/api/roles',
    {
      config: { permission: 'role.manage' },
      schema: {
        tags: ['roles'],
        summary: 'Create a custom role (only with permissions you hold yourself)',
        body: roleRequest,
        response: { 201: roleInfo },
      },
    },
    async (req, reply) => reply.status(201).send(await roles.create(actorOf(req), req.body)),
  );

  app.put(
    '/api/roles/:id',
    {
      config: { permission: 'role.manage' },
      schema: {
        tags: ['roles'],
        summary: 'Rename a custom role or change its permissions',
        params: idParams,
        body: roleRequest,
        response: { 200: roleInfo },
      },
    },
    async (req) => roles.update(actorOf(req), req.params.id, req.body),
  );

  app.delete(
    '/api/roles/:id',
    { config: { permission: 'role.manage' }, schema: { tags: ['roles'], summary: 'Delete a custom role nobody holds', params: idParams } },
    async (req, reply) => {
      await roles.delete(actorOf(req), req.params.id);
      return reply.status(204).send();
    },
  );
}
