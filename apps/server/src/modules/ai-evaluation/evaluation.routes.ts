import { z } from 'zod';
import {
  createEvaluationCaseRequest,
  evaluationCase,
  evaluationCaseList,
  evaluationCollectResult,
  evaluationImportResult,
  evaluationResult,
  idParams,
} from '@switchboard/shared';
import type { App } from '../../platform/http/server.js';
import { readUpload } from '../../platform/http/upload.js';
import { actorOf } from '../identity/identity.auth.js';
import type { EvaluationService } from './evaluation.service.js';

const tags = ['ai'];

/** The account's evaluation set and the assistant's score on it. */
export function evaluationRoutes(app: App, evaluation: EvaluationService): void {
  app.get(
    '/api/ai/evaluation/cases',
    { config: { permission: 'ai.read' }, schema: { tags, summary: 'The evaluation set', response: { 200: evaluationCaseList } } },
    async (req) => evaluation.list(actorOf(req)),
  );
  app.post(
    '/api/ai/evaluation/cases',
    {
      config: { permission: 'ai.manage' },
      schema: {
        tags,
        summary: 'Add one question with its expected FAQ entry (null = a person)',
        body: createEvaluationCaseRequest,
        response: { 201: evaluationCase },
      },
    },
    async (req, reply) => reply.code(201).send(await evaluation.create(actorOf(req), req.body)),
  );
  app.delete(
    '/api/ai/evaluation/cases/:id',
    { config: { permission: 'ai.manage' }, schema: { tags, summary: 'Remove one question from the set', params: idParams } },
    async (req, reply) => {
      await evaluation.remove(actorOf(req), req.params.id);
      return reply.code(204).send();
    },
  );
  app.delete(
    '/api/ai/evaluation/cases',
    { config: { permission: 'ai.manage' }, schema: { tags, summary: 'Empty the evaluation set' } },
    async (req, reply) => {
      await evaluation.clear(actorOf(req));
      return reply.code(204).send();
    },
  );
  app.post(
    '/api/ai/evaluation/cases/import',
    {
      config: { permission: 'ai.manage' },
      schema: {
        tags,
        summary: 'Upload question → expected FAQ pairs (CSV or XLSX: question, expected); any bad row refuses the whole file',
        consumes: ['multipart/form-data'],
        response: { 201: evaluationImportResult },
      },
    },
    async (req, reply) => {
      const file = await readUpload(req);
      return reply.code(201).send(await evaluation.importFile(actorOf(req), file));
    },
  );
  app.post(
    '/api/ai/evaluation/cases/collect',
    {
      config: { permission: 'ai.manage' },
      schema: { tags, summary: 'Collect pairs from past conversations (one click)', response: { 200: evaluationCollectResult } },
    },
    async (req) => evaluation.collect(actorOf(req)),
  );
  app.post(
    '/api/ai/evaluation/run',
    {
      config: { permission: 'ai.read' },
      schema: {
        tags,
        summary: 'Score the assistant on the set: right / wrong / hand-over at the current threshold and the curve',
        body: z.object({}).optional(),
        response: { 200: evaluationResult },
      },
    },
    async (req) => evaluation.run(actorOf(req)),
  );
}
