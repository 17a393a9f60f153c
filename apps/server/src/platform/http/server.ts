import type http from 'node:http';
import Fastify, { LogController, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import helmet from '@fastify/helmet';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import rateLimit from '@fastify/rate-limit';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { TrustProxy } from '../../config.js';
import { AppError } from './errors.js';
import { cleanDeep, findUnsafeText, TooDeeplyNested } from '../text.js';
import { httpDuration } from '../metrics.js';
import { traceRequests } from '../tracing.http.js';
import type { RedisLink } from '../redis.js';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
export const BODY_LIMIT = 1024 * 1024;
/** Uploaded files (documents, imports) stream past the JSON body limit up to this size. */
export const UPLOAD_LIMIT = 20 * 1024 * 1024;

export type App = FastifyInstance<http.Server, http.IncomingMessage, http.ServerResponse, Logger, ZodTypeProvider>;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Route needs no signed-in actor. */
    public?: boolean;
  }
}

export interface HttpOptions {
  logger: Logger;
  /** Which proxies' `X-Forwarded-For` to believe: none, the nearest N hops, or these addresses/CIDR ranges. */
  trustProxy: TrustProxy;
  apiRateLimitPerMin: number;
  publicUrl: string;
  /** Redis mode: the API rate-limit counters live there (while it is down, requests are not limited). */
  redis?: RedisLink | undefined;
}

/** Fastify with the platform's cross-cutting behaviour: ids, logs, errors, limits, headers, OpenAPI. */
export async function createHttpServer(opts: HttpOptions): Promise<App> {
  const app = Fastify({
    loggerInstance: opts.logger,
    bodyLimit: BODY_LIMIT,
    trustProxy: fastifyTrust(opts.trustProxy),
    // Our onResponse hook writes one line per request (route, status, ms) instead.
    logController: new LogController({ disableRequestLogging: true }),
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  traceRequests(app as unknown as FastifyInstance);
  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  app.addHook('preValidation', (req, _reply, done) => done(guardText(req)));
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    httpDuration.observe({ method: req.method, route, status_code: reply.statusCode }, reply.elapsedTime / 1000);
    const level = reply.statusCode >= 500 ? 'error' : 'info';
    req.log[level]({ method: req.method, route, status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
  });

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        upgradeInsecureRequests: opts.publicUrl.startsWith('https:') ? [] : null,
      },
    },
  });
  await app.register(cookie);
  await app.register(multipart, { limits: { fileSize: UPLOAD_LIMIT, files: 1, fields: 20, fieldSize: 64 * 1024 } });
  await app.register(rateLimit, {
    global: true,
    hook: 'preHandler',
    max: opts.apiRateLimitPerMin,
    timeWindow: '1 minute',
    ...(opts.redis ? { redis: opts.redis.commands, nameSpace: opts.redis.key('api-limit:'), skipOnError: true } : {}),
    // Per signed-in actor (session or token); provider webhooks and probes are not limited here.
    allowList: (req) => !req.url.startsWith('/api/'),
    keyGenerator: (req) => (req.actor ? `${req.actor.via}:${req.actor.sessionId ?? req.actor.tokenId}` : `ip:${req.ip}`),
    errorResponseBuilder: (_req, ctx) =>
      new AppError('rate_limited', `Too many requests; try again in ${Math.ceil(ctx.ttl / 1000)} s`, undefined, {
        'retry-after': String(Math.ceil(ctx.ttl / 1000)),
      }),
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Switchboard API', version: '1.0.0', description: 'Omnichannel inbox with an AI first line.' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'sb_session' },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ session: [] }, { bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });
  app.get('/api/openapi.json', { config: { public: true }, schema: { hide: true } }, () => Promise.resolve(app.swagger()));

  app.setErrorHandler((err: FastifyError | AppError, req, reply) => sendError(req, reply, err));
  app.setNotFoundHandler((req, reply) =>
    sendError(req, reply, new AppError('not_found', `No route ${req.method} ${req.url.split('?')[0]}`)),
  );
  return app;
}

/**
 * NULs and lone surrogates cannot be stored (see `platform/text.ts`): API requests carrying them are
 * refused; provider webhooks are cleaned instead, since the provider cannot change what a customer typed.
 */
function guardText(req: FastifyRequest): AppError | undefined {
  for (const part of ['body', 'query', 'params'] as const) {
    try {
      if (req.routeOptions.url?.startsWith('/webhooks/')) {
        req[part] = cleanDeep(req[part]);
        continue;
      }
      const at = findUnsafeText(req[part]);
      if (at)
        return new AppError('invalid_text', `Invalid ${part}: ${at} contains a NUL character or an unpaired surrogate`, [{ path: at }]);
    } catch (err) {
      if (err instanceof TooDeeplyNested)
        return new AppError('validation_failed', `Invalid ${part}: ${err.message}`, [{ path: err.path || '/' }]);
      throw err;
    }
  }
  return undefined;
}

function toAppError(err: FastifyError | AppError): AppError {
  if (err instanceof AppError) return err;
  if (hasZodFastifySchemaValidationErrors(err)) {
    const details = err.validation.map((v: { instancePath: string; message: string }) => ({
      path: v.instancePath || '/',
      message: v.message,
    }));
    return new AppError(
      'validation_failed',
      `Invalid ${err.validationContext ?? 'request'}: ${details.map((d) => `${d.path} ${d.message}`).join('; ')}`,
      details,
    );
  }
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('invalid_json', 'The request body is not valid JSON');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('payload_too_large', `The request body is larger than ${BODY_LIMIT} bytes`);
    case 'FST_REQ_FILE_TOO_LARGE':
      return new AppError('payload_too_large', `The file is larger than ${UPLOAD_LIMIT / 1024 / 1024} MB`);
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return new AppError('unsupported_media_type', 'Send the file as multipart/form-data');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('unsupported_media_type', 'Unsupported Content-Type; send application/json');
  }
  if (CONCURRENCY_SQLSTATES.has(sqlStateOf(err) ?? '')) {
    return new AppError('conflict', 'This collided with a concurrent change of the same data; try again');
  }
  if (isDatabaseUnavailable(err)) {
    return new AppError('service_unavailable', 'The database is unavailable; try again shortly', undefined, { 'retry-after': '5' });
  }
  if (err instanceof SyntaxError && err.statusCode === 400) return new AppError('invalid_json', 'The request body is not valid JSON');
  if (err.statusCode === 429) return new AppError('rate_limited', err.message);
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) return new AppError('bad_request', err.message);
  return new AppError('internal_error', 'Something went wrong on our side; the error was logged');
}

/** Two requests racing for one unique key (a double click), a deadlock or a serialization failure: the client may retry. */
const CONCURRENCY_SQLSTATES = new Set(['23505', '40P01', '40001']);

function sqlStateOf(err: unknown): string | undefined {
  let e: unknown = err;
  for (let depth = 0; e instanceof Error && depth < 3; depth++, e = e.cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', '08000', '08001', '08003', '08006', '55000']);

/** Connection-level failures (not bad queries): the client should retry, and Telegram will. */
function isDatabaseUnavailable(err: unknown): boolean {
  let e: unknown = err;
  for (let depth = 0; e instanceof Error && depth < 3; depth++, e = e.cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (UNAVAILABLE_SQLSTATES.has(code) || code === 'ECONNREFUSED' || code === 'ECONNRESET')) return true;
    if (/Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/.test(e.message))
      return true;
  }
  return false;
}

export function sendError(req: FastifyRequest, reply: FastifyReply, raw: FastifyError | AppError): FastifyReply {
  const err = toAppError(raw);
  if (err.code === 'internal_error' || err.code === 'service_unavailable') {
    req.log.error({ err: raw, method: req.method, route: req.routeOptions.url ?? 'unmatched' }, err.message);
  } else if (err.code === 'conflict' && !(raw instanceof AppError)) req.log.warn({ err: raw }, err.message);
  if (err.headers) void reply.headers(err.headers);
  return reply.status(err.status).send({
    error: { code: err.code, message: err.message, requestId: req.id, ...(err.details === undefined ? {} : { details: err.details }) },
  });
}

/** Fastify trusts nothing when given a number: a hop count becomes a function trusting the nearest N hops. */
function fastifyTrust(trust: TrustProxy): false | string[] | ((address: string, hop: number) => boolean) {
  return typeof trust === 'number' ? (_address, hop) => hop < trust : trust;
}
