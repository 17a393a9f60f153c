import pino, { type Logger } from 'pino';

/** Secrets never reach the log, whatever object they hide in. */
const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'req.headers["x-telegram-bot-api-secret-token"]',
  '*.botToken',
  '*.password',
  '*.token',
  '*.secret',
];

export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: { paths: REDACT, censor: '[redacted]' },
    base: { pid: process.pid },
    serializers: { err: serializeError },
  });
}

/** The standard error serializer, minus the connection objects database errors drag along. */
function serializeError(err: Error): object {
  const out = pino.stdSerializers.err(err) as unknown as Record<string, unknown>;
  delete out.client;
  return out;
}
