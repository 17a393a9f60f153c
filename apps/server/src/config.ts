import { z } from 'zod';
import path from 'node:path';
import ipaddr from 'ipaddr.js';
import { AllowList } from './platform/http/outbound.address.js';
import type { OutboundSettings } from './platform/http/outbound.js';
import type { S3Settings } from './modules/backups/backup.stores.js';
import type { RetentionPolicy } from './modules/backups/backup.retention.js';

const ROLES = ['api', 'worker', 'scheduler'] as const;
export type ProcessRole = (typeof ROLES)[number];

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');

/** Which proxies' `X-Forwarded-For` entries count: none, the nearest N hops, or these addresses/CIDR ranges. */
export type TrustProxy = false | number | string[];

/** `false`/`true` (= 1 hop), a hop count, or comma-separated IPs and CIDR ranges of the proxies. */
function parseTrustProxy(raw: string, ctx: z.RefinementCtx): TrustProxy {
  const v = raw.trim().toLowerCase();
  if (['false', 'no', '0', ''].includes(v)) return false;
  if (['true', 'yes'].includes(v)) return 1;
  if (/^\d+$/.test(v)) return Number(v);
  const entries = v
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  if (entries.every((x) => (x.includes('/') ? ipaddr.isValidCIDR(x) : ipaddr.isValid(x)))) return entries;
  ctx.addIssue({ code: 'custom', message: 'must be true, false, a hop count, or comma-separated proxy IP addresses or CIDR ranges' });
  return z.NEVER;
}

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  PUBLIC_URL: z.url().optional(),
  DATA_DIR: z.string().min(1).default('.data'),
  DATABASE_URL: z.url().optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(2).max(200).default(10),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1024).max(65535).default(54329),
  SECRET_KEY: z
    .string()
    .regex(/^[A-Za-z0-9+/=_-]{43,}$/, 'must be 32 random bytes, base64 or hex encoded')
    .optional(),
  /** During a key rotation: the former key(s), comma-separated, still accepted for reading. */
  SECRET_KEY_PREVIOUS: z
    .string()
    .regex(/^[A-Za-z0-9+/=_-]{43,}(,[A-Za-z0-9+/=_-]{43,})*$/, 'must be comma-separated keys of 32 random bytes, base64 or hex encoded')
    .optional(),
  /** Encrypted backups: a directory (`off` = none), S3-compatible storage, schedules and retention. */
  BACKUP_DIR: z.string().min(1).optional(),
  BACKUP_S3_BUCKET: z.string().min(1).optional(),
  BACKUP_S3_PREFIX: z.string().default('switchboard/'),
  BACKUP_S3_ENDPOINT: z.url().optional(),
  BACKUP_S3_REGION: z.string().min(1).default('us-east-1'),
  BACKUP_S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  BACKUP_S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  BACKUP_S3_FORCE_PATH_STYLE: bool.optional(),
  BACKUP_SCHEDULE: z.string().min(1).default('30 2 * * *'),
  BACKUP_DRILL_SCHEDULE: z.string().min(1).default('30 4 * * 0'),
  BACKUP_KEEP_DAILY: z.coerce.number().int().min(0).max(1000).default(7),
  BACKUP_KEEP_WEEKLY: z.coerce.number().int().min(0).max(1000).default(4),
  BACKUP_KEEP_MONTHLY: z.coerce.number().int().min(0).max(1000).default(6),
  BACKUP_MAX_AGE_HOURS: z.coerce.number().positive().default(26),
  /** Directory of pg_dump/pg_restore of the server's major version (found automatically otherwise). */
  PG_BIN_DIR: z.string().min(1).optional(),
  ADMIN_EMAIL: z.email().default('admin@example.com'),
  ADMIN_PASSWORD: z.string().min(10, 'must be at least 10 characters').optional(),
  ACCOUNT_NAME: z.string().min(1).default('My company'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TELEGRAM_API_ROOT: z.url().default('https://api.telegram.org'),
  AVITO_API_ROOT: z.url().default('https://api.avito.ru'),
  WHATSAPP_API_ROOT: z.url().default('https://graph.facebook.com/v21.0'),
  GREENAPI_API_ROOT: z.url().default('https://api.green-api.com'),
  SESSION_IDLE_HOURS: z.coerce
    .number()
    .positive()
    .default(24 * 7),
  SESSION_ABSOLUTE_DAYS: z.coerce.number().positive().default(30),
  API_RATE_LIMIT_PER_MIN: z.coerce.number().int().positive().default(600),
  LOGIN_RATE_LIMIT_PER_MIN: z.coerce.number().int().positive().default(10),
  LOGIN_IP_LIMIT_PER_MIN: z.coerce.number().int().positive().default(30),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  AI_ANALYSIS_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  SEND_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  SEND_RETRY_DELAY_SECONDS: z.coerce.number().int().min(1).max(3600).default(2),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  WEBHOOK_RETRY_DELAYS: z
    .string()
    .regex(/^\d+(\.\d+)?(,\d+(\.\d+)?)*$/, 'must be comma-separated seconds, e.g. 60,300,1800')
    .default('60,300,1800,7200,21600'),
  WEBHOOK_WINDOW_SECONDS: z.coerce.number().positive().default(86_400),
  /** Comma-separated hosts, addresses and CIDR ranges outbound calls may reach whatever their class. */
  OUTBOUND_ALLOWLIST: z
    .string()
    .refine(
      (v) => v.split(',').every((e) => !e.trim() || AllowList.isValidEntry(e)),
      'must be comma-separated host names, IP addresses or CIDR ranges',
    )
    .optional(),
  OUTBOUND_ALLOW_PRIVATE: bool.default(false),
  OUTBOUND_ALLOW_HTTP: bool.optional(),
  /** The former name of OUTBOUND_ALLOW_HTTP, still read. */
  WEBHOOK_ALLOW_HTTP: bool.optional(),
  /** The installation's mail server (`smtp://user:pass@host:587`, `smtps://…:465`): invitations, password resets, alerts. */
  SMTP_URL: z.url().optional(),
  MAIL_FROM: z.string().min(3).optional(),
  /** Former names of SMTP_URL and MAIL_FROM, still read when the new ones are unset. */
  ALERT_SMTP_URL: z.url().optional(),
  ALERT_EMAIL_FROM: z.string().min(3).optional(),
  /** Web Push (VAPID) keys; unset = a pair generated once into DATA_DIR/vapid.json. Give both to share them across machines. */
  VAPID_PUBLIC_KEY: z.string().min(40).optional(),
  VAPID_PRIVATE_KEY: z.string().min(20).optional(),
  /** The contact push services may use (`mailto:` or an https URL); default `mailto:` + MAIL_FROM's address. */
  VAPID_SUBJECT: z.string().min(6).optional(),
  TRUST_PROXY: z.string().default('false').transform(parseTrustProxy),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  SERVE_WEB: bool.default(true),
  /** Self-service sign-up of new accounts (e-mail verified, rate limited); off by default. */
  SIGNUP_ENABLED: bool.default(false),
  /** Comma-separated roles of this process (api, worker, scheduler); `--roles=` wins. Default: all three. */
  PROCESS_ROLES: z.string().optional(),
  /** OTLP/HTTP collector base URL (`/v1/traces` is appended); unset = no tracing. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  /** `key=value,key2=value2` headers sent to the collector (a hosted backend's API key). */
  OTEL_EXPORTER_OTLP_HEADERS: z.string().optional(),
  OTEL_SERVICE_NAME: z.string().min(1).default('switchboard'),
  /** Share of new traces recorded, 0..1 (a trace started upstream follows the caller's decision). */
  OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).default(1),
  /** Sentry-compatible DSN for error reports of the server and the web app; unset = none sent. */
  SENTRY_DSN: z.url().optional(),
  SENTRY_ENVIRONMENT: z.string().min(1).optional(),
  /** Redis for cross-process live events, rate-limit counters and caches; unset = PostgreSQL does it all. */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
    .optional(),
  /** Prefix of every Redis key and channel (installations sharing one Redis each take their own). */
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[\w:.-]{1,64}$/, 'must be 1–64 letters, digits, ":", ".", "_" or "-"')
    .default('switchboard:'),
  /** A read replica for reports and analytics; unset = they read the primary. */
  DATABASE_REPLICA_URL: z.url().optional(),
  /** Reports read the primary while the replica is further behind than this. */
  REPLICA_MAX_LAG_SECONDS: z.coerce.number().min(0).default(30),
});

export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  publicUrl: string;
  dataDir: string;
  databaseUrl: string | undefined;
  databasePoolSize: number;
  embeddedPgPort: number;
  secretKey: string | undefined;
  secretKeyPrevious: string[];
  backup: BackupConfig;
  adminEmail: string;
  adminPassword: string | undefined;
  accountName: string;
  logLevel: string;
  telegramApiRoot: string;
  avitoApiRoot: string;
  whatsappApiRoot: string;
  greenApiRoot: string;
  sessionIdleMs: number;
  sessionAbsoluteMs: number;
  apiRateLimitPerMin: number;
  /** Sign-in attempts a minute per (address, IP) pair, and per IP whatever the address. */
  loginRateLimitPerMin: number;
  loginIpRateLimitPerMin: number;
  shutdownTimeoutMs: number;
  /** Time limit of one text's AI analysis in the analysis thread (index builds get three times as much). */
  aiAnalysisTimeoutMs: number;
  sendMaxAttempts: number;
  sendRetryDelaySeconds: number;
  /** Outbound webhooks: per-attempt timeout, retry delays (the last repeats), total window. */
  webhookTimeoutMs: number;
  webhookRetryDelaysMs: number[];
  webhookRetryWindowMs: number;
  /** The policy for every URL and host an account admin sets (platform/http/outbound.ts). */
  outbound: OutboundSettings;
  /** SMTP server for every e-mail the product sends itself (unset = links are shown instead of mailed). */
  smtpUrl: string | undefined;
  mailFrom: string;
  /** Web Push keys from the environment (else generated into the data directory). */
  vapid: { publicKey: string | undefined; privateKey: string | undefined; subject: string | undefined };
  trustProxy: TrustProxy;
  /** Bearer token `/metrics` requires; unset = only loopback and private-network scrapers. */
  metricsToken: string | undefined;
  serveWeb: boolean;
  signupEnabled: boolean;
  tracing: { endpoint: string | undefined; headers: Record<string, string>; serviceName: string; sampleRatio: number };
  sentry: { dsn: string | undefined; environment: string };
  redis: { url: string | undefined; keyPrefix: string };
  replica: { url: string | undefined; maxLagSeconds: number };
  roles: ProcessRole[];
}

/** Where and when backups are made and how many are kept (modules/backups). */
export interface BackupConfig {
  /** Directory for backup files; undefined = none (S3 only). */
  dir: string | undefined;
  s3: S3Settings | undefined;
  /** pg-boss cron (UTC) of backups and restore drills; undefined = not scheduled. */
  schedule: string | undefined;
  drillSchedule: string | undefined;
  keep: RetentionPolicy;
  /** The last good backup older than this opens a `backup_stale` alert. */
  maxAgeHours: number;
  pgBinDir: string | undefined;
}

export class ConfigError extends Error {}

/** Parses the environment (and the `--roles=` argument, else PROCESS_ROLES). The only reader of process.env. */
export function loadConfig(env: Record<string, string | undefined> = process.env, argv: string[] = process.argv.slice(2)): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const rolesArg = argv.find((a) => a.startsWith('--roles='))?.slice('--roles='.length) ?? e.PROCESS_ROLES;
  const roles = rolesArg ? rolesArg.split(',').map((r) => r.trim()) : [...ROLES];
  const unknown = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
  if (e.BACKUP_DIR === 'off' && !e.BACKUP_S3_BUCKET) {
    throw new ConfigError('Invalid configuration:\n  BACKUP_DIR: is off and BACKUP_S3_BUCKET is unset; backups need one of them');
  }
  if (unknown.length > 0 || roles.length === 0) {
    throw new ConfigError(
      `Invalid configuration:\n  --roles / PROCESS_ROLES: unknown role(s) ${unknown.join(', ')}; use ${ROLES.join(',')}`,
    );
  }
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    dataDir: path.resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    embeddedPgPort: e.EMBEDDED_PG_PORT,
    secretKey: e.SECRET_KEY,
    secretKeyPrevious: (e.SECRET_KEY_PREVIOUS ?? '').split(',').filter(Boolean),
    backup: {
      dir: e.BACKUP_DIR === 'off' ? undefined : path.resolve(e.BACKUP_DIR ?? path.join(e.DATA_DIR, 'backups')),
      s3: e.BACKUP_S3_BUCKET
        ? {
            bucket: e.BACKUP_S3_BUCKET,
            prefix: e.BACKUP_S3_PREFIX,
            endpoint: e.BACKUP_S3_ENDPOINT,
            region: e.BACKUP_S3_REGION,
            accessKeyId: e.BACKUP_S3_ACCESS_KEY_ID,
            secretAccessKey: e.BACKUP_S3_SECRET_ACCESS_KEY,
            forcePathStyle: e.BACKUP_S3_FORCE_PATH_STYLE ?? Boolean(e.BACKUP_S3_ENDPOINT),
          }
        : undefined,
      schedule: e.BACKUP_SCHEDULE === 'off' ? undefined : e.BACKUP_SCHEDULE,
      drillSchedule: e.BACKUP_DRILL_SCHEDULE === 'off' ? undefined : e.BACKUP_DRILL_SCHEDULE,
      keep: { daily: e.BACKUP_KEEP_DAILY, weekly: e.BACKUP_KEEP_WEEKLY, monthly: e.BACKUP_KEEP_MONTHLY },
      maxAgeHours: e.BACKUP_MAX_AGE_HOURS,
      pgBinDir: e.PG_BIN_DIR,
    },
    adminEmail: e.ADMIN_EMAIL.toLowerCase(),
    adminPassword: e.ADMIN_PASSWORD,
    accountName: e.ACCOUNT_NAME,
    logLevel: e.LOG_LEVEL,
    telegramApiRoot: e.TELEGRAM_API_ROOT.replace(/\/+$/, ''),
    avitoApiRoot: e.AVITO_API_ROOT.replace(/\/+$/, ''),
    whatsappApiRoot: e.WHATSAPP_API_ROOT.replace(/\/+$/, ''),
    greenApiRoot: e.GREENAPI_API_ROOT.replace(/\/+$/, ''),
    sessionIdleMs: e.SESSION_IDLE_HOURS * 3600_000,
    sessionAbsoluteMs: e.SESSION_ABSOLUTE_DAYS * 86400_000,
    apiRateLimitPerMin: e.API_RATE_LIMIT_PER_MIN,
    loginRateLimitPerMin: e.LOGIN_RATE_LIMIT_PER_MIN,
    loginIpRateLimitPerMin: e.LOGIN_IP_LIMIT_PER_MIN,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    aiAnalysisTimeoutMs: e.AI_ANALYSIS_TIMEOUT_MS,
    sendMaxAttempts: e.SEND_MAX_ATTEMPTS,
    sendRetryDelaySeconds: e.SEND_RETRY_DELAY_SECONDS,
    webhookTimeoutMs: e.WEBHOOK_TIMEOUT_MS,
    webhookRetryDelaysMs: e.WEBHOOK_RETRY_DELAYS.split(',').map((s) => Math.round(Number(s) * 1000)),
    webhookRetryWindowMs: Math.round(e.WEBHOOK_WINDOW_SECONDS * 1000),
    outbound: {
      allowlist: (e.OUTBOUND_ALLOWLIST ?? '')
        .split(',')
        .map((h) => h.trim())
        .filter(Boolean),
      allowPrivate: e.OUTBOUND_ALLOW_PRIVATE,
      // Plain http only outside production, unless allowed (allow-listed hosts may always use it).
      allowHttp: e.OUTBOUND_ALLOW_HTTP ?? e.WEBHOOK_ALLOW_HTTP ?? e.NODE_ENV !== 'production',
    },
    smtpUrl: e.SMTP_URL ?? e.ALERT_SMTP_URL,
    mailFrom: e.MAIL_FROM ?? e.ALERT_EMAIL_FROM ?? 'Switchboard <switchboard@localhost>',
    vapid: { publicKey: e.VAPID_PUBLIC_KEY, privateKey: e.VAPID_PRIVATE_KEY, subject: e.VAPID_SUBJECT },
    trustProxy: e.TRUST_PROXY,
    metricsToken: e.METRICS_TOKEN,
    serveWeb: e.SERVE_WEB,
    signupEnabled: e.SIGNUP_ENABLED,
    tracing: {
      endpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT,
      headers: parseHeaderPairs(e.OTEL_EXPORTER_OTLP_HEADERS ?? ''),
      serviceName: e.OTEL_SERVICE_NAME,
      sampleRatio: e.OTEL_TRACES_SAMPLER_ARG,
    },
    sentry: { dsn: e.SENTRY_DSN, environment: e.SENTRY_ENVIRONMENT ?? e.NODE_ENV },
    redis: { url: e.REDIS_URL, keyPrefix: e.REDIS_KEY_PREFIX },
    replica: { url: e.DATABASE_REPLICA_URL, maxLagSeconds: e.REPLICA_MAX_LAG_SECONDS },
    roles: roles as ProcessRole[],
  };
}

/** `a=1,b=2` (values URL-encoded, as OpenTelemetry's own variables are) into a header map. */
function parseHeaderPairs(raw: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of raw.split(',')) {
    const at = pair.indexOf('=');
    if (at > 0) out[pair.slice(0, at).trim()] = decodeURIComponent(pair.slice(at + 1).trim());
  }
  return out;
}
