import { z } from 'zod';
import { deadLetter, deadLetterActionRequest, deadLetterActionResult, deadLetterListQuery } from '@switchboard/shared';
import type { App } from '../../platform/http/server.js';
import { actorOf } from '../identity/identity.auth.js';
import type { DeadLettersService } from './dead-letters.service.js';

const tags = ['dead letters'];

export function deadLetterRoutes(app: App, deadLetters: DeadLettersService): void {
  app.get(
    '/api/dead-letters',
    {
      config: { permission: 'conversation.read' },
      schema: {
        tags,
        summary:
          'Replies that did not reach the customer, across channels, with the reason; also those still being retried after a failure',
        querystring: deadLetterListQuery,
        response: {
          200: z.object({
            items: z.array(deadLetter),
            nextCursor: z.string().nullable(),
            total: z.number().int(),
            /** Of `total`, replies whose delivery is uncertain (the customer may already have them). */
            uncertain: z.number().int(),
            /** Of `total`, replies still being retried after a failure (status `queued`, with `retryAt`). */
            retrying: z.number().int(),
          }),
        },
      },
    },
    async (req) => deadLetters.list(actorOf(req), req.query),
  );

  app.post(
    '/api/dead-letters/retry',
    {
      config: { permission: 'conversation.reply' },
      schema: {
        tags,
        summary:
          'Queue the given (or all) undelivered replies again, and send those still being retried now instead of at their next attempt; "all" acts on up to 1000 per call. Replies whose delivery is uncertain need `confirmUncertain: true` (else 409 `delivery_uncertain`; "all" leaves them out)',
        body: deadLetterActionRequest,
        response: { 200: deadLetterActionResult },
      },
    },
    async (req) => deadLetters.retry(actorOf(req), req.body),
  );

  app.post(
    '/api/dead-letters/discard',
    {
      config: { permission: 'channel.manage' },
      schema: {
        tags,
        summary: 'Give up on the given (or all) undelivered replies (managers; audited)',
        body: deadLetterActionRequest,
        response: { 200: deadLetterActionResult },
      },
    },
    async (req) => deadLetters.discard(actorOf(req), req.body),
  );
}
