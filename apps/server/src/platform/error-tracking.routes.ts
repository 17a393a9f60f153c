import { z } from 'zod';
import { eventsOfEnvelope, parseDsn } from '@switchboard/shared';
import type { App } from './http/server.js';
import { AppError } from './http/errors.js';
import { errorTracker } from './error-tracking.js';

/** The envelope a browser may send through us: a few events, not a flood. */
const ENVELOPE_LIMIT = 256 * 1024;

/**
 * Error reports of the web app. `GET /api/error-reports/config` tells it the DSN (from the server's
 * configuration, not the build) and where to send; `POST /api/error-reports` takes a Sentry envelope
 * for that DSN, scrubs every event again and forwards it, so nothing unscrubbed leaves and the
 * browser needs no connection (or CSP entry) to the ingest.
 */
export function errorReportRoutes(app: App, environment: string): void {
  app.get(
    '/api/error-reports/config',
    {
      config: { public: true },
      schema: {
        tags: ['platform'],
        summary: 'Where the web app sends its error reports (dsn null = reporting off)',
        response: { 200: z.object({ dsn: z.string().nullable(), environment: z.string(), tunnel: z.string() }) },
      },
    },
    () => {
      const tracker = errorTracker();
      const dsn = tracker
        ? `${new URL(tracker.dsn.origin).protocol}//${tracker.dsn.publicKey}@${new URL(tracker.dsn.origin).host}/${tracker.dsn.projectId}`
        : null;
      return Promise.resolve({ dsn, environment, tunnel: '/api/error-reports' });
    },
  );

  app.post(
    '/api/error-reports',
    {
      config: { public: true },
      bodyLimit: ENVELOPE_LIMIT,
      schema: { tags: ['platform'], summary: 'A Sentry envelope from the web app, scrubbed and forwarded', hide: true },
    },
    async (req, reply) => {
      const tracker = errorTracker();
      if (!tracker) return reply.status(204).send();
      if (typeof req.body !== 'string') throw new AppError('unsupported_media_type', 'Send the envelope as text/plain');
      let parsed: ReturnType<typeof eventsOfEnvelope>;
      try {
        parsed = eventsOfEnvelope(req.body);
      } catch {
        throw new AppError('validation_failed', 'The body is not a Sentry envelope');
      }
      const dsn = typeof parsed.header.dsn === 'string' ? parseDsn(parsed.header.dsn) : undefined;
      if (!dsn || dsn.publicKey !== tracker.dsn.publicKey || dsn.projectId !== tracker.dsn.projectId) {
        throw new AppError('validation_failed', 'The envelope is not for this installation’s DSN');
      }
      tracker.forward(parsed.events.map((e) => ({ ...e, platform: 'javascript' })));
      return reply.status(202).send();
    },
  );
}
