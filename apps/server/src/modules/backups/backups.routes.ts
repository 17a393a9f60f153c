import { z } from 'zod';
import { backupOverview, idParams } from '@switchboard/shared';
import type { App } from '../../platform/http/server.js';
import { actorOf } from '../identity/identity.auth.js';
import type { BackupsService } from './backups.service.js';

const tags = ['backups'];
const accepted = z.object({ accepted: z.literal(true) });

/** Installation backups: for the owner who is the installation's platform admin (checked by the service). */
export function backupRoutes(app: App, backups: BackupsService): void {
  app.get(
    '/api/backups',
    {
      config: { permission: 'account.owners' },
      schema: {
        tags,
        summary: 'Backups (newest first) with their restore drills, open backup alerts and settings',
        response: { 200: backupOverview },
      },
    },
    async (req) => backups.overview(actorOf(req)),
  );

  app.post(
    '/api/backups',
    {
      config: { permission: 'account.owners' },
      schema: { tags, summary: 'Make a backup now (queued; a worker makes it)', response: { 202: accepted } },
    },
    async (req, reply) => reply.code(202).send(await backups.start(actorOf(req))),
  );

  app.post(
    '/api/backups/drill',
    {
      config: { permission: 'account.owners' },
      schema: {
        tags,
        summary: 'Run a restore drill now: the newest backup (or `backupId`) restored into a scratch database and compared',
        body: z.object({ backupId: z.uuid().optional() }).optional(),
        response: { 202: accepted },
      },
    },
    async (req, reply) => reply.code(202).send(await backups.drill(actorOf(req), req.body?.backupId)),
  );

  app.get(
    '/api/backups/:id/download',
    {
      config: { permission: 'account.owners' },
      schema: {
        tags,
        summary: 'Download the encrypted backup file (restore it with `switchboard restore <file>`)',
        params: idParams,
        produces: ['application/octet-stream'],
      },
    },
    async (req, reply) => {
      const file = await backups.download(actorOf(req), req.params.id);
      if (file.size !== null) reply.header('content-length', String(file.size));
      return reply.type('application/octet-stream').header('content-disposition', `attachment; filename="${file.name}"`).send(file.body);
    },
  );
}
