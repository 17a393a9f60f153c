import { z } from 'zod';
import {
  attachment,
  bulkRequest,
  bulkResult,
  conversation,
  idParams,
  presence,
  saveTeamRequest,
  setPresenceRequest,
  team,
  typingRequest,
} from '@switchboard/shared';
import type { App } from '../../platform/http/server.js';
import { readUpload, type Upload } from '../../platform/http/upload.js';
import { actorOf } from '../identity/identity.auth.js';
import type { TeamsService } from './teams.service.js';

const tags = ['teams'];

export function teamRoutes(app: App, teams: TeamsService): void {
  app.get(
    '/api/teams',
    {
      config: { permission: 'team.read' },
      schema: { tags, summary: 'Teams of my account', response: { 200: z.object({ items: z.array(team) }) } },
    },
    async (req) => ({ items: await teams.list(actorOf(req)) }),
  );

  app.post(
    '/api/teams',
    {
      config: { permission: 'team.manage' },
      schema: {
        tags,
        summary: 'Create a team with its members, channels and assignment rule',
        body: saveTeamRequest,
        response: { 201: team },
      },
    },
    async (req, reply) => reply.status(201).send(await teams.create(actorOf(req), req.body)),
  );

  app.get(
    '/api/teams/:id',
    { config: { permission: 'team.read' }, schema: { tags, params: idParams, response: { 200: team } } },
    async (req) => teams.get(actorOf(req), req.params.id),
  );

  app.put(
    '/api/teams/:id',
    {
      config: { permission: 'team.manage' },
      schema: {
        tags,
        summary: 'Replace a team (members and channels included)',
        params: idParams,
        body: saveTeamRequest,
        response: { 200: team },
      },
    },
    async (req) => teams.update(actorOf(req), req.params.id, req.body),
  );

  app.delete(
    '/api/teams/:id',
    { config: { permission: 'team.manage' }, schema: { tags, summary: 'Delete a team (its queue empties)', params: idParams } },
    async (req, reply) => {
      await teams.remove(actorOf(req), req.params.id);
      return reply.status(204).send();
    },
  );

  app.put(
    '/api/conversations/:id/team',
    {
      config: { permission: 'conversation.assign' },
      schema: {
        tags,
        summary: "Move a conversation to a team's queue (null: no team)",
        params: idParams,
        body: z.object({ teamId: z.uuid().nullable() }),
        response: { 200: conversation },
      },
    },
    async (req) => teams.setConversationTeam(actorOf(req), req.params.id, req.body.teamId),
  );

  app.get(
    '/api/presence',
    {
      config: { permission: 'conversation.read' },
      schema: { tags, summary: 'Who is online, away or offline', response: { 200: z.object({ items: z.array(presence) }) } },
    },
    async (req) => ({ items: await teams.presence(actorOf(req)) }),
  );

  app.get(
    '/api/presence/me',
    { config: { permission: 'signed_in' }, schema: { tags, summary: 'My presence', response: { 200: presence } } },
    async (req) => teams.myPresence(actorOf(req)),
  );

  app.put(
    '/api/presence/me',
    {
      config: { permission: 'signed_in' },
      schema: {
        tags,
        summary: 'Set my presence by hand (`auto`: from my activity)',
        body: setPresenceRequest,
        response: { 200: presence },
      },
    },
    async (req) => teams.setPresence(actorOf(req), req.body.status),
  );
}

/** Live collaboration in one conversation and actions on many. */
export function collaborationRoutes(
  app: App,
  handlers: {
    typing(req: { actor: ReturnType<typeof actorOf>; conversationId: string; kind: 'reply' | 'note' }): Promise<void>;
    bulk(actor: ReturnType<typeof actorOf>, body: z.output<typeof bulkRequest>): Promise<z.output<typeof bulkResult>>;
    upload(actor: ReturnType<typeof actorOf>, conversationId: string, upload: Upload): Promise<z.output<typeof attachment>>;
  },
): void {
  app.post(
    '/api/conversations/:id/files',
    {
      config: { permission: 'conversation.note' },
      schema: {
        tags: ['conversations'],
        summary: 'Upload a file for a private note (multipart "file"); send it in the note\'s `attachments`',
        consumes: ['multipart/form-data'],
        params: idParams,
        response: { 201: attachment },
      },
    },
    async (req, reply) => reply.status(201).send(await handlers.upload(actorOf(req), req.params.id, await readUpload(req))),
  );

  app.post(
    '/api/conversations/:id/typing',
    {
      config: { permission: 'conversation.read' },
      schema: {
        tags: ['conversations'],
        summary: 'I am typing a reply or a note here (colleagues see a warning; send again every few seconds)',
        params: idParams,
        body: typingRequest,
      },
    },
    async (req, reply) => {
      await handlers.typing({ actor: actorOf(req), conversationId: req.params.id, kind: req.body.kind });
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/conversations/bulk',
    {
      config: { permission: 'conversation.assign' },
      schema: {
        tags: ['conversations'],
        summary: 'Assign, tag, resolve or snooze many conversations at once (one transaction, a result per conversation)',
        body: bulkRequest,
        response: { 200: bulkResult },
      },
    },
    async (req) => handlers.bulk(actorOf(req), req.body),
  );
}
