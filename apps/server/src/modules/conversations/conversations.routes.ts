import { z } from 'zod';
import {
  conversation,
  conversationListQuery,
  idParams,
  message,
  page,
  pageQuery,
  sendMessageRequest,
  updateConversationRequest,
} from '@switchboard/shared';
import type { App } from '../../platform/http/server.js';
import { sendUntrustedFile } from '../../platform/http/untrusted-file.js';
import { actorOf } from '../identity/identity.auth.js';
import type { ConversationsService } from './conversations.service.js';
import { toConversation } from './conversations.dto.js';
import { openAttachment } from './conversations.attachments.js';
import type { DeliveryContext } from './conversations.delivery.js';

export function conversationRoutes(app: App, conversations: ConversationsService, ctx: DeliveryContext): void {
  app.get(
    '/api/conversations',
    {
      config: { permission: 'conversation.read' },
      schema: {
        tags: ['conversations'],
        summary: 'Inbox: conversations, newest activity first',
        querystring: conversationListQuery,
        response: { 200: page(conversation) },
      },
    },
    async (req) => conversations.list(actorOf(req), req.query),
  );

  app.get(
    '/api/conversations/:id',
    { config: { permission: 'conversation.read' }, schema: { tags: ['conversations'], params: idParams, response: { 200: conversation } } },
    async (req) => toConversation(await conversations.get(actorOf(req), req.params.id)),
  );

  app.patch(
    '/api/conversations/:id',
    {
      config: { permission: 'conversation.assign' },
      schema: {
        tags: ['conversations'],
        summary: 'Change status or assignee',
        params: idParams,
        body: updateConversationRequest,
        response: { 200: conversation },
      },
    },
    async (req) => conversations.update(actorOf(req), req.params.id, req.body),
  );

  app.post(
    '/api/conversations/:id/read',
    {
      config: { permission: 'conversation.read' },
      schema: { tags: ['conversations'], summary: 'Mark as read', params: idParams, response: { 200: conversation } },
    },
    async (req) => conversations.markRead(actorOf(req), req.params.id),
  );

  app.get(
    '/api/conversations/:id/messages',
    {
      config: { permission: 'conversation.read' },
      schema: {
        tags: ['conversations'],
        summary: 'Messages, oldest first; `nextCursor` pages to older ones',
        params: idParams,
        querystring: pageQuery,
        response: { 200: page(message) },
      },
    },
    async (req) => conversations.messages(actorOf(req), req.params.id, req.query.limit, req.query.cursor),
  );

  app.post(
    '/api/conversations/:id/messages',
    {
      config: { permission: 'conversation.read' },
      schema: {
        tags: ['conversations'],
        summary: 'Reply to the customer, or add a private note',
        params: idParams,
        body: sendMessageRequest,
        response: { 201: message },
      },
    },
    async (req, reply) => reply.status(201).send(await conversations.reply(actorOf(req), req.params.id, req.body)),
  );

  app.get(
    '/api/conversations/:id/messages/:messageId/attachments/:index',
    {
      config: { permission: 'conversation.read' },
      schema: {
        tags: ['conversations'],
        summary:
          "A customer's file (fetched from the channel on demand): shown inline only when its bytes are a passive image, audio or video; otherwise a download",
        params: z.object({ id: z.uuid(), messageId: z.uuid(), index: z.coerce.number().int().min(0).max(20) }),
      },
    },
    async (req, reply) => {
      const file = await openAttachment(ctx, actorOf(req), req.params.id, req.params.messageId, req.params.index);
      const fileName = file.attachment.fileName ?? `${file.attachment.kind}-${req.params.index + 1}`;
      return sendUntrustedFile(reply, { stream: file.stream, fileName, size: file.size });
    },
  );
}
