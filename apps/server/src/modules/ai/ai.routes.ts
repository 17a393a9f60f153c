import { z } from 'zod';
import {
  aiMetrics,
  aiSearchRequest,
  aiSearchResponse,
  aiSettingsResponse,
  aiTestResponse,
  category,
  classifierModel,
  classifierStatus,
  createCategoryRequest,
  idParams,
  message,
  sendSuggestionRequest,
  suggestion,
  updateAiSettingsRequest,
  updateCategoryRequest,
} from '@switchboard/shared';
import type { App } from '../../platform/http/server.js';
import { readUpload } from '../../platform/http/upload.js';
import { actorOf } from '../identity/identity.auth.js';
import type { SuggestionsService } from '../assistant/assistant.suggestions.js';
import type { AiService } from './ai.service.js';

const tags = ['ai'];
const suggestionParams = z.object({ id: z.uuid(), sid: z.uuid() });

export function aiRoutes(app: App, ai: AiService, suggestions: SuggestionsService): void {
  app.post(
    '/api/ai/search',
    {
      config: { permission: 'knowledge.read' },
      schema: { tags, summary: 'Ranked knowledge passages for a query', body: aiSearchRequest, response: { 200: aiSearchResponse } },
    },
    async (req) => ai.search(actorOf(req), req.body.query, req.body.limit),
  );
  app.post(
    '/api/ai/test',
    {
      config: { permission: 'knowledge.read' },
      schema: {
        tags,
        summary: 'What the bot would answer',
        body: z.object({ query: aiSearchRequest.shape.query }),
        response: { 200: aiTestResponse },
      },
    },
    async (req) => ai.test(actorOf(req), req.body.query),
  );

  app.get('/api/ai/settings', { config: { permission: 'ai.read' }, schema: { tags, response: { 200: aiSettingsResponse } } }, async (req) =>
    ai.settings(actorOf(req)),
  );
  app.put(
    '/api/ai/settings',
    {
      config: { permission: 'ai.manage' },
      schema: {
        tags,
        summary: 'Change assistant settings (partial)',
        body: updateAiSettingsRequest,
        response: { 200: aiSettingsResponse },
      },
    },
    async (req) => ai.updateSettings(actorOf(req), req.body),
  );

  app.get(
    '/api/ai/categories',
    { config: { permission: 'ai.read' }, schema: { tags, response: { 200: z.object({ items: z.array(category) }) } } },
    async (req) => ai.categories(actorOf(req)),
  );
  app.post(
    '/api/ai/categories',
    { config: { permission: 'ai.manage' }, schema: { tags, body: createCategoryRequest, response: { 201: category } } },
    async (req, reply) => reply.code(201).send(await ai.createCategory(actorOf(req), req.body)),
  );
  app.patch(
    '/api/ai/categories/:id',
    { config: { permission: 'ai.manage' }, schema: { tags, params: idParams, body: updateCategoryRequest, response: { 200: category } } },
    async (req) => ai.updateCategory(actorOf(req), req.params.id, req.body.alwaysHuman),
  );
  app.delete('/api/ai/categories/:id', { config: { permission: 'ai.manage' }, schema: { tags, params: idParams } }, async (req, reply) => {
    await ai.deleteCategory(actorOf(req), req.params.id);
    return reply.code(204).send();
  });

  app.get('/api/ai/classifier', { config: { permission: 'ai.read' }, schema: { tags, response: { 200: classifierStatus } } }, async (req) =>
    ai.classifier(actorOf(req)),
  );
  app.post(
    '/api/ai/classifier/examples',
    {
      config: { permission: 'ai.manage' },
      schema: {
        tags,
        summary: 'Import labelled examples (CSV: text,label)',
        consumes: ['multipart/form-data'],
        response: { 201: z.object({ imported: z.number() }) },
      },
    },
    async (req, reply) => reply.code(201).send(await ai.importExamples(actorOf(req), (await readUpload(req)).buffer)),
  );
  app.post(
    '/api/ai/classifier/train',
    {
      config: { permission: 'ai.manage' },
      schema: { tags, summary: 'Train a new classifier version in the background', response: { 202: classifierModel } },
    },
    async (req, reply) => reply.code(202).send(await ai.train(actorOf(req))),
  );

  app.get(
    '/api/ai/metrics',
    {
      config: { permission: 'ai.read' },
      schema: { tags, querystring: z.object({ days: z.coerce.number().int().min(1).max(365).default(30) }), response: { 200: aiMetrics } },
    },
    async (req) => ai.metrics(actorOf(req), req.query.days),
  );

  app.get(
    '/api/conversations/:id/suggestion',
    {
      config: { permission: 'conversation.reply' },
      schema: { tags, summary: 'The pending suggested reply, if any', params: idParams, response: { 200: suggestion.nullable() } },
    },
    async (req) => suggestions.pending(actorOf(req), req.params.id),
  );
  app.post(
    '/api/conversations/:id/suggestions/:sid/send',
    {
      config: { permission: 'conversation.reply' },
      schema: {
        tags,
        summary: 'Send a suggestion (as is, or edited)',
        params: suggestionParams,
        body: sendSuggestionRequest,
        response: { 200: message },
      },
    },
    async (req) => suggestions.send(actorOf(req), req.params.id, req.params.sid, req.body.text),
  );
  app.post(
    '/api/conversations/:id/suggestions/:sid/reject',
    {
      config: { permission: 'conversation.reply' },
      schema: { tags, params: suggestionParams, response: { 200: z.object({ ok: z.literal(true) }) } },
    },
    async (req) => {
      await suggestions.reject(actorOf(req), req.params.id, req.params.sid);
      return { ok: true as const };
    },
  );
}
