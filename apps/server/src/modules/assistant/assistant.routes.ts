import { z } from 'zod';
import { idParams, learningMetrics, wordingOffer, wordingOfferList } from '@switchboard/shared';
import type { App } from '../../platform/http/server.js';
import { actorOf } from '../identity/identity.auth.js';
import type { LearningService } from './assistant.learning.js';

const tags = ['ai'];
const offerParams = z.object({ id: z.uuid(), oid: z.uuid() });

/** Learning from operators: the "add this wording to FAQ X" offers of a conversation, and what learning changed. */
export function assistantRoutes(app: App, learning: LearningService): void {
  app.get(
    '/api/conversations/:id/wording-offers',
    {
      config: { permission: 'conversation.read' },
      schema: { tags, summary: 'Pending "add this wording to FAQ X" offers', params: idParams, response: { 200: wordingOfferList } },
    },
    async (req) => learning.pending(actorOf(req), req.params.id),
  );
  app.post(
    '/api/conversations/:id/wording-offers/:oid/accept',
    {
      config: { permission: 'conversation.reply' },
      schema: {
        tags,
        summary: "Add the customer's wording to the FAQ entry (one click)",
        params: offerParams,
        response: { 200: wordingOffer },
      },
    },
    async (req) => learning.accept(actorOf(req), req.params.id, req.params.oid),
  );
  app.post(
    '/api/conversations/:id/wording-offers/:oid/dismiss',
    {
      config: { permission: 'conversation.reply' },
      schema: { tags, summary: 'Decline a wording offer', params: offerParams, response: { 200: wordingOffer } },
    },
    async (req) => learning.dismiss(actorOf(req), req.params.id, req.params.oid),
  );
  app.get(
    '/api/ai/learning',
    {
      config: { permission: 'ai.read' },
      schema: {
        tags,
        summary: 'What learning from operators changed, and the latest offers',
        querystring: z.object({ days: z.coerce.number().int().min(1).max(365).default(30) }),
        response: { 200: z.object({ metrics: learningMetrics, recent: z.array(wordingOffer) }) },
      },
    },
    async (req) => learning.overview(actorOf(req), req.query.days),
  );
}
