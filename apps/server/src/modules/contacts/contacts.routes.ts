import { Readable } from 'node:stream';
import { z } from 'zod';
import {
  attributeDefinition,
  attributeDefinitionInput,
  contactBlockRequest,
  contactDetail,
  contactDuplicate,
  contactImportRequest,
  contactImportResult,
  contactListQuery,
  contactMergeRequest,
  contactPatch,
  contactSummary,
  idParams,
  page,
} from '@switchboard/shared';
import type { App } from '../../platform/http/server.js';
import { actorOf } from '../identity/identity.auth.js';
import type { ContactsService } from './contacts.service.js';
import type { ContactsCsv } from './contacts.csv.js';

const tags = ['contacts'];

export function contactRoutes(app: App, contacts: ContactsService, csv: ContactsCsv): void {
  app.get(
    '/api/contacts',
    {
      config: { permission: 'contact.read' },
      schema: {
        tags,
        summary: 'Contacts: search by name, phone in any format, e-mail or handle; filter by channel, tag, blocked; cursor pages',
        querystring: contactListQuery,
        response: { 200: page(contactSummary) },
      },
    },
    async (req) => contacts.list(actorOf(req), req.query),
  );

  app.get(
    '/api/contacts/duplicates',
    {
      config: { permission: 'contact.read' },
      schema: {
        tags,
        summary: 'Likely duplicate pairs: the same phone or e-mail, or a very similar name on different channels',
        querystring: z.object({ contactId: z.uuid().optional() }),
        response: { 200: z.object({ items: z.array(contactDuplicate) }) },
      },
    },
    async (req) => ({ items: await contacts.duplicates(actorOf(req), req.query.contactId) }),
  );

  app.get(
    '/api/contacts/export',
    {
      config: { permission: 'contact.manage' },
      schema: { tags, summary: 'Every contact as CSV (streamed; audited)', produces: ['text/csv'] },
    },
    async (req, reply) => {
      const day = new Date().toISOString().slice(0, 10);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="contacts-${day}.csv"`)
        .send(Readable.from(csv.export(actorOf(req))));
    },
  );

  app.post(
    '/api/contacts/import',
    {
      config: { permission: 'contact.manage' },
      bodyLimit: 6 * 1024 * 1024,
      schema: {
        tags,
        summary:
          'Import contacts from CSV (columns name, phones, emails, notes, tags and contact field keys). All or nothing: any bad row answers 422 `invalid_import` with `details.errors` [{line, column, code, message}]',
        body: contactImportRequest,
        response: { 200: contactImportResult },
      },
    },
    async (req) => csv.import(actorOf(req), req.body.csv),
  );

  app.get(
    '/api/contacts/fields',
    {
      config: { permission: 'contact.read' },
      schema: {
        tags,
        summary: 'The custom contact fields of the account',
        response: { 200: z.object({ items: z.array(attributeDefinition) }) },
      },
    },
    async (req) => ({ items: await contacts.definitions(actorOf(req)) }),
  );

  app.post(
    '/api/contacts/fields',
    {
      config: { permission: 'contact.manage' },
      schema: {
        tags,
        summary: 'Add a contact field (text, number, date, list, checkbox or link)',
        body: attributeDefinitionInput,
        response: { 201: attributeDefinition },
      },
    },
    async (req, reply) => reply.code(201).send(await contacts.createDefinition(actorOf(req), req.body)),
  );

  app.patch(
    '/api/contacts/fields/:id',
    {
      config: { permission: 'contact.manage' },
      schema: {
        tags,
        summary: 'Rename a contact field, change its options or position (its key and type stay)',
        params: idParams,
        body: attributeDefinitionInput.pick({ label: true, options: true, position: true }),
        response: { 200: attributeDefinition },
      },
    },
    async (req) => contacts.updateDefinition(actorOf(req), req.params.id, req.body),
  );

  app.delete(
    '/api/contacts/fields/:id',
    {
      config: { permission: 'contact.manage' },
      schema: { tags, summary: 'Remove a contact field and its values', params: idParams, response: { 204: z.null() } },
    },
    async (req, reply) => {
      await contacts.deleteDefinition(actorOf(req), req.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/conversations/:id/contact',
    {
      config: { permission: 'contact.read' },
      schema: { tags, summary: "The conversation's contact, as its profile shows it", params: idParams, response: { 200: contactDetail } },
    },
    async (req) => contacts.forConversation(actorOf(req), req.params.id),
  );

  app.get(
    '/api/contacts/:id',
    {
      config: { permission: 'contact.read' },
      schema: {
        tags,
        summary: 'A contact profile: handles per channel, fields, tags, notes, where they came from and every conversation',
        params: idParams,
        response: { 200: contactDetail },
      },
    },
    async (req) => contacts.get(actorOf(req), req.params.id),
  );

  app.patch(
    '/api/contacts/:id',
    {
      config: { permission: 'contact.edit' },
      schema: {
        tags,
        summary: 'Edit a contact: name, phones (stored as E.164 when possible), e-mails, notes, fields, tags',
        params: idParams,
        body: contactPatch,
        response: { 200: contactDetail },
      },
    },
    async (req) => contacts.update(actorOf(req), req.params.id, req.body),
  );

  app.post(
    '/api/contacts/:id/block',
    {
      config: { permission: 'contact.manage' },
      schema: {
        tags,
        summary:
          "Block or unblock a contact: a blocked contact's messages are stored, but nobody is notified and the bot stays silent (audited)",
        params: idParams,
        body: contactBlockRequest,
        response: { 200: contactDetail },
      },
    },
    async (req) => contacts.setBlocked(actorOf(req), req.params.id, req.body.blocked),
  );

  app.post(
    '/api/contacts/:id/merge',
    {
      config: { permission: 'contact.manage' },
      schema: {
        tags,
        summary:
          'Merge another contact into this one: its handles, conversations, phones, e-mails and tags move here (one transaction; audited)',
        params: idParams,
        body: contactMergeRequest,
        response: { 200: contactDetail },
      },
    },
    async (req) => contacts.merge(actorOf(req), req.params.id, req.body.sourceId),
  );
}
