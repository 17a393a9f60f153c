import { z } from 'zod';
import {
  article,
  articleListQuery,
  articleVersion,
  chunk,
  createFaqRequest,
  faqImportResult,
  idParams,
  ocrPage,
  page,
  reindexStatus,
  updateArticleRequest,
} from '@switchboard/shared';
import type { App } from '../../platform/http/server.js';
import { AppError } from '../../platform/http/errors.js';
import { clientGone, readUpload } from '../../platform/http/upload.js';
import { actorOf } from '../identity/identity.auth.js';
import type { KnowledgeService } from './knowledge.service.js';

const tags = ['knowledge'];
const uploadConsumes = { consumes: ['multipart/form-data'] };

export function knowledgeRoutes(app: App, knowledge: KnowledgeService): void {
  app.get(
    '/api/knowledge/sections',
    {
      config: { permission: 'knowledge.read' },
      schema: {
        tags,
        summary: 'Sections (article categories) the knowledge base uses, with their entry counts',
        response: { 200: z.object({ items: z.array(z.object({ name: z.string(), articles: z.number().int() })) }) },
      },
    },
    async (req) => knowledge.sections(actorOf(req)),
  );

  app.get(
    '/api/knowledge/articles',
    {
      config: { permission: 'knowledge.read' },
      schema: {
        tags,
        summary: 'Knowledge base entries, recently changed first',
        querystring: articleListQuery,
        response: { 200: page(article) },
      },
    },
    async (req) => knowledge.list(actorOf(req), req.query),
  );

  app.post(
    '/api/knowledge/articles',
    {
      config: { permission: 'knowledge.manage' },
      schema: { tags, summary: 'Create an FAQ entry', body: createFaqRequest, response: { 201: article } },
    },
    async (req, reply) => reply.code(201).send(await knowledge.createFaq(actorOf(req), req.body)),
  );

  app.get(
    '/api/knowledge/articles/:id',
    { config: { permission: 'knowledge.read' }, schema: { tags, params: idParams, response: { 200: article } } },
    async (req) => knowledge.get(actorOf(req), req.params.id),
  );

  app.patch(
    '/api/knowledge/articles/:id',
    {
      config: { permission: 'knowledge.manage' },
      schema: {
        tags,
        summary: 'Edit (a new version is kept in the history)',
        params: idParams,
        body: updateArticleRequest,
        response: { 200: article },
      },
    },
    async (req) => knowledge.update(actorOf(req), req.params.id, req.body),
  );

  app.delete(
    '/api/knowledge/articles/:id',
    { config: { permission: 'knowledge.manage' }, schema: { tags, params: idParams } },
    async (req, reply) => {
      await knowledge.remove(actorOf(req), req.params.id);
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/knowledge/articles/:id/chunks',
    {
      config: { permission: 'knowledge.read' },
      schema: { tags, summary: 'Indexed passages', params: idParams, response: { 200: z.object({ items: z.array(chunk) }) } },
    },
    async (req) => knowledge.chunks(actorOf(req), req.params.id),
  );

  app.get(
    '/api/knowledge/articles/:id/ocr-pages',
    {
      config: { permission: 'knowledge.read' },
      schema: {
        tags,
        summary: 'What OCR read on each scanned page of a document, with its confidence',
        params: idParams,
        response: { 200: z.object({ items: z.array(ocrPage) }) },
      },
    },
    async (req) => knowledge.ocrPages(actorOf(req), req.params.id),
  );

  app.get(
    '/api/knowledge/articles/:id/versions',
    {
      config: { permission: 'knowledge.read' },
      schema: { tags, summary: 'Edit history', params: idParams, response: { 200: z.object({ items: z.array(articleVersion) }) } },
    },
    async (req) => knowledge.versions(actorOf(req), req.params.id),
  );

  app.post(
    '/api/knowledge/documents',
    {
      config: { permission: 'knowledge.manage' },
      schema: {
        tags,
        summary:
          'Upload a document (.md, .txt, .html, .pdf, .docx, or a scan: .png, .jpg, .tiff; up to 20 MB); fields `published`, `category` before the file',
        ...uploadConsumes,
        response: { 201: article },
      },
    },
    async (req, reply) => {
      const upload = await readUpload(req);
      const published = upload.fields.published === undefined ? true : parseFlag(upload.fields.published);
      const created = await knowledge.uploadDocument(actorOf(req), {
        buffer: upload.buffer,
        fileName: upload.fileName,
        mimeType: upload.mimeType,
        published,
        category: parseCategory(upload.fields.category),
        signal: clientGone(reply),
      });
      return reply.code(201).send(created);
    },
  );

  app.post(
    '/api/knowledge/import',
    {
      config: { permission: 'knowledge.manage' },
      schema: { tags, summary: 'Bulk FAQ import from CSV or XLSX', ...uploadConsumes, response: { 201: faqImportResult } },
    },
    async (req, reply) => {
      const upload = await readUpload(req);
      const file = { buffer: upload.buffer, fileName: upload.fileName, signal: clientGone(reply) };
      return reply.code(201).send(await knowledge.importFaq(actorOf(req), file));
    },
  );

  app.post(
    '/api/knowledge/reindex',
    {
      config: { permission: 'knowledge.manage' },
      schema: { tags, summary: 'Re-index every article in the background', response: { 202: reindexStatus } },
    },
    async (req, reply) => reply.code(202).send(await knowledge.reindex(actorOf(req))),
  );

  app.get(
    '/api/knowledge/reindex',
    {
      config: { permission: 'knowledge.read' },
      schema: { tags, summary: 'Progress of the last re-index', response: { 200: reindexStatus } },
    },
    async (req) => knowledge.reindexStatus(actorOf(req)),
  );
}

// Form fields bypass the JSON schemas: the category follows the same rule as an FAQ entry's.
const category = createFaqRequest.shape.category;

function parseCategory(value: string | undefined): string | null {
  if (!value?.trim()) return null;
  const parsed = category.safeParse(value);
  if (!parsed.success) throw new AppError('validation_failed', 'category must be at most 100 characters', { field: 'category' });
  return parsed.data ?? null;
}

function parseFlag(value: string): boolean {
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw new AppError('validation_failed', 'published must be "true" or "false"', { field: 'published' });
}
