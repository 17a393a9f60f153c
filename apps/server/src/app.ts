import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type pg from 'pg';
import type { Logger } from 'pino';
import { ConfigError, type Config } from './config.js';
import type { AppContext } from './context.js';
import { connectDatabase } from './platform/db/client.js';
import { observeDatabasePool, observeStorage } from './platform/metrics.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './platform/db/embedded.js';
import { runMigrations } from './platform/db/migrate.js';
import { generateSecretKey, randomToken, SecretBox } from './platform/crypto/secret-box.js';
import { EventBus } from './platform/events/bus.js';
import { RedisLink } from './platform/redis.js';
import { ReportsDatabase } from './platform/db/replica.js';
import { SharedCache } from './platform/redis.cache.js';
import { eventRoutes, SseHub } from './platform/events/events.routes.js';
import { JobQueue } from './platform/queue/queue.js';
import { startTracing } from './platform/tracing.js';
import { startErrorTracking } from './platform/error-tracking.js';
import { errorReportRoutes } from './platform/error-tracking.routes.js';
import { createHttpServer, type App } from './platform/http/server.js';
import { healthRoutes } from './platform/http/health.routes.js';
import { IdentityService } from './modules/identity/identity.service.js';
import { registerAuthentication } from './modules/identity/identity.auth.js';
import { passwordProblem } from './modules/identity/password-policy.js';
import { identityRoutes } from './modules/identity/identity.routes.js';
import { peopleRoutes } from './modules/identity/people.routes.js';
import { InvitationService } from './modules/identity/invitations.service.js';
import { MembersService } from './modules/identity/members.service.js';
import { PasswordResetService } from './modules/identity/password-reset.service.js';
import { ProfileService } from './modules/identity/profile.service.js';
import { ChannelRuntime } from './modules/channels/channels.runtime.js';
import { ChannelsService } from './modules/channels/channels.service.js';
import { channelRoutes } from './modules/channels/channels.routes.js';
import { channelWebhookRoutes } from './modules/channels/channels.webhooks.js';
import { ChannelPollers } from './modules/channels/channels.pollers.js';
import type { TelegramAdapter } from './modules/channels/telegram/telegram.adapter.js';
import { ConversationsService } from './modules/conversations/conversations.service.js';
import { conversationRoutes } from './modules/conversations/conversations.routes.js';
import type { DeliveryContext } from './modules/conversations/conversations.delivery.js';
import { jobs } from './jobs.js';
import { AiRuntime } from './modules/ai/ai.runtime.js';
import { OutboundPolicy } from './platform/http/outbound.js';
import { AiService } from './modules/ai/ai.service.js';
import { aiRoutes } from './modules/ai/ai.routes.js';
import { SuggestionsService } from './modules/assistant/assistant.suggestions.js';
import { assistantRoutes } from './modules/assistant/assistant.routes.js';
import { evaluationRoutes } from './modules/ai-evaluation/evaluation.routes.js';
import { EvaluationService } from './modules/ai-evaluation/evaluation.service.js';
import { KnowledgeService } from './modules/knowledge/knowledge.service.js';
import { knowledgeRoutes } from './modules/knowledge/knowledge.routes.js';
import { BridgeService } from './modules/bridge/bridge.service.js';
import { bridgeRoutes } from './modules/bridge/bridge.routes.js';
import { startBridge } from './modules/bridge/bridge.module.js';
import { AlertsService } from './modules/alerts/alerts.service.js';
import { alertRoutes } from './modules/alerts/alerts.routes.js';
import { checkChannelHealth } from './modules/alerts/alerts.job.js';
import { DeadLettersService } from './modules/dead-letters/dead-letters.service.js';
import { deadLetterRoutes } from './modules/dead-letters/dead-letters.routes.js';
import { WebhooksService } from './modules/webhooks/webhooks.service.js';
import { webhookRoutes } from './modules/webhooks/webhooks.routes.js';
import { WebhookFanout } from './modules/webhooks/webhooks.fanout.js';
import { verifySecretKey } from './platform/crypto/key-check.js';
import { BackupsService } from './modules/backups/backups.service.js';
import { backupRoutes } from './modules/backups/backups.routes.js';
import { bindBackupMetrics } from './modules/backups/backups.metrics.js';
import { bindAlertMetrics } from './modules/alerts/alerts.metrics.js';
import { PlatformService, type InviteToAccount } from './modules/accounts/accounts.service.js';
import { platformRoutes } from './modules/accounts/accounts.routes.js';
import { SignupService } from './modules/accounts/signup.service.js';
import { signupRoutes } from './modules/accounts/signup.routes.js';
import { RolesService } from './modules/access/roles.service.js';
import { accessRoutes } from './modules/access/access.routes.js';
import { recordRouteAccess } from './modules/access/route-access.js';
import { AuditService } from './modules/audit/audit.service.js';
import { auditRoutes } from './modules/audit/audit.routes.js';
import { ReportsService } from './modules/reports/reports.service.js';
import { reportRoutes } from './modules/reports/reports.routes.js';
import { ReportsProjector } from './modules/reports/reports.projector.js';
import { OnboardingService } from './modules/onboarding/onboarding.service.js';
import { onboardingRoutes } from './modules/onboarding/onboarding.routes.js';
import { NotificationsService } from './modules/notifications/notifications.service.js';
import { notificationRoutes } from './modules/notifications/notifications.routes.js';
import { NotificationsListener } from './modules/notifications/notifications.listener.js';
import { vapidKeys } from './modules/notifications/notifications.push.js';
import { ChatService } from './modules/chat/chat.service.js';
import { chatRoutes } from './modules/chat/chat.routes.js';
import { startTeamwork } from './modules/teams/teamwork.module.js';
import { ContactsService } from './modules/contacts/contacts.service.js';
import { ContactsCsv } from './modules/contacts/contacts.csv.js';
import { contactRoutes } from './modules/contacts/contacts.routes.js';
import { SearchService } from './modules/search/search.service.js';
import { searchRoutes } from './modules/search/search.routes.js';

export interface Running {
  http: App;
  ctx: DeliveryContext;
  services: {
    identity: IdentityService;
    channels: ChannelsService;
    conversations: ConversationsService;
    knowledge: KnowledgeService;
    invitations: InvitationService;
  };
  /** Runs the channel health check now (scheduled every minute on scheduler processes). */
  checkChannelHealth(now?: Date): Promise<{ opened: number; resolved: number }>;
  pollers: ChannelPollers | undefined;
  /** Owner credentials created on first boot (password only when generated). */
  bootstrap: { email: string; generatedPassword?: string } | undefined;
  stop(): Promise<void>;
}

/** Open event streams of a revoked session or token end within this long. */
const SSE_RECHECK_MS = 5_000;

export interface StartOptions {
  /** Telegram `getUpdates` long-poll timeout (tests shorten it). */
  poller?: { longPollSeconds: number };
}

/** Boot: database → migrations → queue → services → HTTP → workers/schedulers, by role. */
export async function startApp(config: Config, log: Logger, opts: StartOptions = {}): Promise<Running> {
  const stopTracing = startTracing({ ...config.tracing, roles: config.roles });
  const stopErrorTracking = startErrorTracking(config.sentry);
  let embedded: EmbeddedDatabase | undefined;
  if (!config.databaseUrl) {
    embedded = await startEmbeddedPostgres(config.dataDir, config.embeddedPgPort, log);
    config = { ...config, databaseUrl: embedded.url };
  }
  const databaseUrl = config.databaseUrl!;
  await runMigrations(databaseUrl);

  const database = connectDatabase(databaseUrl, config.databasePoolSize);
  observeDatabasePool('primary', database.pool);
  observeStorage(config.dataDir, async () => {
    const { rows } = await database.pool.query<{ size: number }>('select pg_database_size(current_database())::float8 as size');
    return rows[0]!.size;
  });
  const secrets = new SecretBox(await secretKey(config, log), config.secretKeyPrevious);
  // A wrong SECRET_KEY stops the boot here, before anything reads (or writes) a secret with it.
  const keyCheck = await verifySecretKey(database.pool, secrets).catch(async (err: unknown) => {
    await database.close();
    await embedded?.stop();
    throw err;
  });
  if (keyCheck === 'previous') log.warn('SECRET_KEY rotation under way: run `switchboard rotate-secret` to re-seal every secret');
  const queue = new JobQueue(databaseUrl, log);
  await queue.start(jobs, {
    'message.send': { retryLimit: config.sendMaxAttempts - 1, retryDelay: config.sendRetryDelaySeconds },
  });
  const redis = config.redis.url ? new RedisLink(config.redis.url, config.redis.keyPrefix, log) : undefined;
  await redis?.start();
  const bus = new EventBus(databaseUrl, database.pool, log, redis);
  bus.onChannel(JobQueue.wakeChannel, (payload) => {
    for (const name of JSON.parse(payload) as string[]) queue.wake(name);
  });
  queue.announce = (name) => bus.notifier.send(JobQueue.wakeChannel, JSON.stringify(name));
  await bus.start();

  const outbound = new OutboundPolicy(config.outbound);
  const reports = ReportsDatabase.connect(database.db, config.replica, Math.max(2, Math.ceil(config.databasePoolSize / 2)), log);
  const base: AppContext = {
    config,
    log,
    pool: database.pool,
    db: database.db,
    queue,
    bus,
    secrets,
    ai: new AiRuntime(database.db, secrets, log, outbound, { analysisTimeoutMs: config.aiAnalysisTimeoutMs }),
    outbound,
    redis,
    reports,
    cache: new SharedCache(redis, log),
    hooks: {},
  };
  const runtime = new ChannelRuntime(base);
  if (opts.poller) runtime.typed<TelegramAdapter>('telegram').longPollSeconds = opts.poller.longPollSeconds;
  const ctx: DeliveryContext = { ...base, channels: runtime };
  const identity = new IdentityService(ctx);
  const channels = new ChannelsService(ctx, runtime);
  const conversations = new ConversationsService(ctx);
  const invitations = new InvitationService(ctx, identity);
  const knowledge = new KnowledgeService(ctx);
  const ai = new AiService(ctx);
  const suggestions = new SuggestionsService(ctx, conversations);
  const bridge = startBridge(ctx, runtime, conversations, { outbox: config.roles.includes('scheduler') });
  const bootstrap = await bootstrapOwner(config, identity, database.pool);

  const hub = new SseHub({ stillValid: (actors) => identity.stillValid(actors), everyMs: SSE_RECHECK_MS, log });
  // Live pushes may have been missed: open streams end, and browsers reconnect and replay from Last-Event-ID.
  bus.onGap(() => hub.closeAll());
  const http = await createHttpServer({
    logger: log,
    trustProxy: config.trustProxy,
    apiRateLimitPerMin: config.apiRateLimitPerMin,
    publicUrl: config.publicUrl,
    redis,
  });
  recordRouteAccess(http);
  registerAuthentication(http, identity);
  healthRoutes(
    http,
    [
      { name: 'database', check: async () => void (await database.pool.query('select 1')) },
      { name: 'queue', check: () => queue.ping() },
      // Not critical: without Redis, webhooks are still stored and jobs run; only live pushes and shared limits degrade.
      ...(redis ? [{ name: 'redis', check: () => redis.ping(), critical: false }] : []),
    ],
    () => queue.refreshDepthMetric(),
    { token: config.metricsToken },
  );
  identityRoutes(http, ctx, identity);
  peopleRoutes(http, ctx, {
    identity,
    invitations,
    members: new MembersService(ctx, (tx, accountId, id, from) => conversations.returnedToQueue(tx, accountId, id, from)),
    resets: new PasswordResetService(ctx),
    profile: new ProfileService(ctx, identity.twoFactor),
  });
  accessRoutes(http, new RolesService(ctx));
  auditRoutes(http, new AuditService(ctx));
  channelRoutes(http, channels);
  conversationRoutes(http, conversations, ctx);
  contactRoutes(http, new ContactsService(ctx), new ContactsCsv(ctx));
  searchRoutes(http, new SearchService(ctx));
  knowledgeRoutes(http, knowledge);
  aiRoutes(http, ai, suggestions);
  assistantRoutes(http, conversations.learning);
  evaluationRoutes(http, new EvaluationService(ctx));
  alertRoutes(http, new AlertsService(ctx));
  deadLetterRoutes(http, new DeadLettersService(ctx));
  bridgeRoutes(http, new BridgeService(ctx));
  webhookRoutes(http, new WebhooksService(ctx));
  backupRoutes(http, new BackupsService(ctx));
  reportRoutes(http, new ReportsService(ctx));
  onboardingRoutes(http, new OnboardingService(ctx));
  notificationRoutes(http, new NotificationsService(ctx));
  chatRoutes(http, new ChatService(ctx));
  bindBackupMetrics(database.db);
  bindAlertMetrics(database.db);
  const inviteOwner: InviteToAccount = (tx, input) => invitations.inviteToAccount(tx, input);
  platformRoutes(http, new PlatformService(ctx, inviteOwner));
  signupRoutes(http, ctx, identity, new SignupService(ctx, identity));
  eventRoutes(http, bus, hub);
  await startTeamwork(http, ctx, conversations, hub, { scheduler: config.roles.includes('scheduler'), queue });
  errorReportRoutes(http, config.sentry.environment);
  channelWebhookRoutes(http, ctx, runtime);
  if (config.serveWeb) await serveWebApp(http);
  http.addHook('onClose', (_instance, done) => {
    hub.closeAll();
    done();
  });

  if (config.roles.includes('worker')) await queue.work(jobs, ctx);
  let pollers: ChannelPollers | undefined;
  let fanout: WebhookFanout | undefined;
  let projector: ReportsProjector | undefined;
  let notificationsListener: NotificationsListener | undefined;
  // Generated (once, into the data directory) at boot rather than on the first push.
  await vapidKeys(config);
  if (config.roles.includes('scheduler')) {
    await queue.boss.schedule('maintenance.prune', '17 * * * *', {});
    await queue.boss.schedule('channels.health', '* * * * *', {});
    await scheduleBackups(queue, config);
    pollers = new ChannelPollers(ctx, runtime);
    await pollers.start();
    fanout = new WebhookFanout(ctx);
    fanout.start();
    await queue.boss.schedule('reports.weekly', '0 6 * * 1', {});
    projector = new ReportsProjector(ctx);
    projector.start();
    await queue.boss.schedule('notifications.waiting', '* * * * *', {});
    notificationsListener = new NotificationsListener(ctx);
    notificationsListener.start();
  }
  await http.ready();

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      hub.closeAll();
      await pollers?.stop();
      await bridge.stop();
      await fanout?.stop();
      await projector?.stop();
      await notificationsListener?.stop();
      await http.close();
      await queue.stop(config.shutdownTimeoutMs);
      await outbound.dispatcher.destroy();
      await bus.stop();
      await redis?.stop();
      await reports.close();
      await database.close();
      await embedded?.stop();
      await stopErrorTracking();
      await stopTracing();
    })());
  return {
    http,
    ctx,
    services: { identity, channels, conversations, knowledge, invitations },
    checkChannelHealth: (now) => checkChannelHealth(ctx, runtime, now),
    pollers,
    bootstrap,
    stop,
  };
}

/** Backups, restore drills (UTC cron, `off` = none) and the freshness check every 15 minutes. */
async function scheduleBackups(queue: JobQueue, config: Config): Promise<void> {
  const { schedule, drillSchedule } = config.backup;
  if (schedule) await queue.boss.schedule('backup.run', schedule, { trigger: 'schedule' });
  else await queue.boss.unschedule('backup.run');
  if (drillSchedule) await queue.boss.schedule('backup.drill', drillSchedule, {});
  else await queue.boss.unschedule('backup.drill');
  if (schedule) await queue.boss.schedule('backup.watch', '*/15 * * * *', {});
  else await queue.boss.unschedule('backup.watch');
}

/** `SECRET_KEY`, or a key generated once into the data directory (the embedded default). */
async function secretKey(config: Config, log: Logger): Promise<string> {
  if (config.secretKey) return config.secretKey;
  const file = path.join(config.dataDir, 'secret.key');
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  await mkdir(config.dataDir, { recursive: true });
  const key = generateSecretKey();
  await writeFile(file, key, { mode: 0o600 });
  log.warn({ file }, 'generated a new SECRET_KEY; back this file up with the database');
  return key;
}

/** Creates the first account and its owner on an empty database (once, across racing processes). */
async function bootstrapOwner(config: Config, identity: IdentityService, pool: pg.Pool): Promise<Running['bootstrap']> {
  const client = await pool.connect();
  let lost = false;
  const onError = () => (lost = true); // a lost connection fails the next query instead of crashing
  client.on('error', onError);
  try {
    await client.query('select pg_advisory_lock(7220002)');
    if (await identity.hasAnyAccount()) return undefined;
    const problem = config.adminPassword ? await passwordProblem(config.adminPassword, config.adminEmail) : null;
    if (problem) throw new ConfigError(`Invalid configuration:\n  ADMIN_PASSWORD: ${problem}`);
    const generated = config.adminPassword ? undefined : randomToken(12);
    await identity.createAccountWithOwner({
      accountName: config.accountName,
      email: config.adminEmail,
      name: 'Owner',
      password: config.adminPassword ?? generated!,
      platformAdmin: true,
    });
    return { email: config.adminEmail, ...(generated ? { generatedPassword: generated } : {}) };
  } finally {
    await client.query('select pg_advisory_unlock(7220002)').catch(() => (lost = true));
    client.removeListener('error', onError);
    client.release(lost);
  }
}

/**
 * Hashed build assets never change under their name: cached for a year. Everything else (index.html,
 * which names the current assets) is revalidated on every load.
 */
export function cacheControlFor(relativePath: string): string {
  return relativePath.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
}

/** Serves the built operator app, with the SPA's index.html for its client-side routes. */
async function serveWebApp(http: App): Promise<void> {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const root = [path.resolve(here, '../../web/dist'), path.resolve(here, '../web')].find((p) => existsSync(path.join(p, 'index.html')));
  if (!root) return;
  await http.register(fastifyStatic, {
    root,
    wildcard: false,
    index: false,
    // The build writes .br and .gz beside each asset; they are sent to browsers that accept them.
    preCompressed: true,
    cacheControl: false,
    setHeaders: (res, file) => {
      res.setHeader('cache-control', cacheControlFor(path.relative(root, file)));
    },
  });
  const spa = (_req: unknown, reply: { sendFile(f: string): unknown }) => reply.sendFile('index.html');
  http.get('/', { config: { public: true }, schema: { hide: true } }, spa as never);
  http.get('/*', { config: { public: true }, schema: { hide: true } }, async (req, reply) => {
    const file = req.url.split('?')[0]!.slice(1);
    if (file.startsWith('api/') || file.startsWith('webhooks/')) return reply.callNotFound();
    if (file && existsSync(path.join(root, file)) && !file.includes('..')) return reply.sendFile(file);
    return reply.sendFile('index.html');
  });
}
