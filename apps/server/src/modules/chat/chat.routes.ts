import { Readable } from 'node:stream';
import { z } from 'zod';
import {
  chatAttachment,
  chatChannel,
  chatMessage,
  chatPerson,
  createChatChannelRequest,
  directChatRequest,
  editChatMessageRequest,
  idParams,
  postChatMessageRequest,
  updateChatChannelRequest,
} from '@switchboard/shared';
import type { App } from '../../platform/http/server.js';
import { readUpload } from '../../platform/http/upload.js';
import { sendUntrustedFile } from '../../platform/http/untrusted-file.js';
import { decodeSeqCursor } from '../../platform/http/cursor.js';
import { actorOf } from '../identity/identity.auth.js';
import type { ChatService } from './chat.service.js';

const use = { permission: 'chat.use' as const };
const tags = ['chat'];
const emoji = z.string().trim().min(1).max(32);

export function chatRoutes(app: App, chat: ChatService): void {
  app.get(
    '/api/chat/channels',
    {
      config: use,
      schema: {
        tags,
        summary: 'Channels and direct conversations I can see, with unread counts',
        response: { 200: z.object({ items: z.array(chatChannel) }) },
      },
    },
    async (req) => ({ items: await chat.channels(actorOf(req)) }),
  );
  app.get(
    '/api/chat/people',
    {
      config: use,
      schema: { tags, summary: 'People who can use the team chat', response: { 200: z.object({ items: z.array(chatPerson) }) } },
    },
    async (req) => ({ items: await chat.people(actorOf(req)) }),
  );
  app.post(
    '/api/chat/channels',
    {
      config: use,
      schema: { tags, summary: 'Create a public or private channel', body: createChatChannelRequest, response: { 201: chatChannel } },
    },
    async (req, reply) => reply.status(201).send(await chat.createChannel(actorOf(req), req.body)),
  );
  app.post(
    '/api/chat/direct',
    {
      config: use,
      schema: {
        tags,
        summary: 'Open (or create) the direct conversation with these people',
        body: directChatRequest,
        response: { 200: chatChannel },
      },
    },
    async (req) => chat.direct(actorOf(req), req.body.userIds),
  );
  app.patch(
    '/api/chat/channels/:id',
    {
      config: use,
      schema: {
        tags,
        summary: 'Rename, change the topic of or archive a channel (its creator, or chat.manage)',
        params: idParams,
        body: updateChatChannelRequest,
        response: { 200: chatChannel },
      },
    },
    async (req) => chat.updateChannel(actorOf(req), req.params.id, req.body),
  );
  app.post(
    '/api/chat/channels/:id/join',
    { config: use, schema: { tags, summary: 'Join a public channel', params: idParams, response: { 200: chatChannel } } },
    async (req) => chat.join(actorOf(req), req.params.id),
  );
  app.post(
    '/api/chat/channels/:id/leave',
    { config: use, schema: { tags, summary: 'Leave a channel', params: idParams, response: { 204: z.null() } } },
    async (req, reply) => {
      await chat.leave(actorOf(req), req.params.id);
      return reply.status(204).send(null);
    },
  );
  app.post(
    '/api/chat/channels/:id/members',
    {
      config: use,
      schema: {
        tags,
        summary: 'Add people to a channel (its members, or chat.manage)',
        params: idParams,
        body: z.object({ userIds: z.array(z.uuid()).min(1).max(200) }),
        response: { 200: chatChannel },
      },
    },
    async (req) => chat.addMembers(actorOf(req), req.params.id, req.body.userIds),
  );
  app.get(
    '/api/chat/channels/:id/messages',
    {
      config: use,
      schema: {
        tags,
        summary: 'Messages of a channel (top level), oldest first; `cursor` pages back in time',
        params: idParams,
        querystring: z.object({ cursor: z.string().max(20).optional() }),
        response: { 200: z.object({ items: z.array(chatMessage), nextCursor: z.string().nullable() }) },
      },
    },
    async (req) => chat.messages(actorOf(req), req.params.id, req.query.cursor ? decodeSeqCursor(req.query.cursor) : undefined),
  );
  app.post(
    '/api/chat/channels/:id/messages',
    {
      config: use,
      schema: {
        tags,
        summary: 'Write in a channel (or a thread: `threadRootId`)',
        params: idParams,
        body: postChatMessageRequest,
        response: { 201: chatMessage },
      },
    },
    async (req, reply) => reply.status(201).send(await chat.post(actorOf(req), req.params.id, req.body)),
  );
  app.get(
    '/api/chat/channels/:id/pins',
    {
      config: use,
      schema: {
        tags,
        summary: 'Pinned messages of a channel',
        params: idParams,
        response: { 200: z.object({ items: z.array(chatMessage) }) },
      },
    },
    async (req) => ({ items: await chat.pins(actorOf(req), req.params.id) }),
  );
  app.post(
    '/api/chat/channels/:id/read',
    {
      config: use,
      schema: {
        tags,
        summary: 'I have read up to this message',
        params: idParams,
        body: z.object({ seq: z.number().int().min(0) }),
        response: { 200: z.object({ lastReadSeq: z.number().int() }) },
      },
    },
    async (req) => chat.markRead(actorOf(req), req.params.id, req.body.seq),
  );
  app.post(
    '/api/chat/channels/:id/typing',
    {
      config: use,
      schema: {
        tags,
        summary: 'I am typing (a live notice to the channel, a few seconds)',
        params: idParams,
        body: z.object({ threadRootId: z.uuid().optional() }),
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      await chat.typing(actorOf(req), req.params.id, req.body.threadRootId);
      return reply.status(204).send(null);
    },
  );
  app.get(
    '/api/chat/messages/:id/thread',
    {
      config: use,
      schema: {
        tags,
        summary: 'A thread: its first message and the replies',
        params: idParams,
        response: { 200: z.object({ root: chatMessage, replies: z.array(chatMessage) }) },
      },
    },
    async (req) => chat.thread(actorOf(req), req.params.id),
  );
  app.patch(
    '/api/chat/messages/:id',
    {
      config: use,
      schema: { tags, summary: 'Edit my message', params: idParams, body: editChatMessageRequest, response: { 200: chatMessage } },
    },
    async (req) => chat.edit(actorOf(req), req.params.id, req.body.text, req.body.mentions),
  );
  app.delete(
    '/api/chat/messages/:id',
    {
      config: use,
      schema: { tags, summary: "Delete my message (others' with chat.manage)", params: idParams, response: { 200: chatMessage } },
    },
    async (req) => chat.remove(actorOf(req), req.params.id),
  );
  app.post(
    '/api/chat/messages/:id/reactions',
    {
      config: use,
      schema: {
        tags,
        summary: 'Add (`on: true`) or take back my reaction',
        params: idParams,
        body: z.object({ emoji, on: z.boolean() }),
        response: { 200: chatMessage },
      },
    },
    async (req) => chat.react(actorOf(req), req.params.id, req.body.emoji, req.body.on),
  );
  app.post(
    '/api/chat/messages/:id/pin',
    {
      config: use,
      schema: {
        tags,
        summary: 'Pin or unpin a message',
        params: idParams,
        body: z.object({ pinned: z.boolean() }),
        response: { 200: chatMessage },
      },
    },
    async (req) => chat.pin(actorOf(req), req.params.id, req.body.pinned),
  );
  app.get(
    '/api/chat/search',
    {
      config: use,
      schema: {
        tags,
        summary: 'Search the messages I can see',
        querystring: z.object({ q: z.string().trim().min(1).max(200) }),
        response: { 200: z.object({ items: z.array(chatMessage) }) },
      },
    },
    async (req) => ({ items: await chat.search(actorOf(req), req.query.q) }),
  );
  app.post(
    '/api/chat/files',
    {
      config: use,
      schema: {
        tags,
        summary: 'Upload a file to attach to a message (multipart, field "file")',
        consumes: ['multipart/form-data'],
        response: { 201: chatAttachment.omit({ fileId: true }).extend({ id: z.uuid() }) },
      },
    },
    async (req, reply) => reply.status(201).send(await chat.upload(actorOf(req), await readUpload(req))),
  );
  app.get(
    '/api/chat/files/:id',
    { config: use, schema: { tags, summary: 'Download a chat file (images inline, anything else as a download)', params: idParams } },
    async (req, reply) => {
      const f = await chat.file(actorOf(req), req.params.id);
      return sendUntrustedFile(reply, { stream: Readable.from(f.content), fileName: f.fileName, size: f.size });
    },
  );
}
