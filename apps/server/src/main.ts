import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './platform/logging.js';
import { startApp } from './app.js';
import { runMigrations } from './platform/db/migrate.js';
import { startProbeServer } from './platform/http/probe.server.js';
import { stopAllThreads } from './platform/threads.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const log = createLogger(config.logLevel);
  if (process.argv.includes('--migrate-only')) return migrateOnly(config.databaseUrl);
  const running = await startApp(config, log);
  // A worker or scheduler answers only the probes and /metrics on PORT (for orchestrators and Prometheus).
  // Another process on the same machine may hold PORT (an API beside its worker): then it goes without.
  const probes = config.roles.includes('api')
    ? undefined
    : await startProbeServer(running.http, config.port, config.host).catch((err: unknown) => {
        log.warn({ err, port: config.port }, 'health and metrics are not served by this process: PORT is taken; give it its own PORT');
        return null;
      });
  if (probes === undefined) await running.http.listen({ port: config.port, host: config.host });

  const banner = [`Switchboard is running at ${config.publicUrl}`, `  roles: ${config.roles.join(',')}`];
  if (running.bootstrap) {
    banner.push(`  owner login: ${running.bootstrap.email}`);
    banner.push(
      running.bootstrap.generatedPassword
        ? `  password (shown once): ${running.bootstrap.generatedPassword}`
        : '  password: from ADMIN_PASSWORD',
    );
  }
  process.stdout.write(`\n${banner.join('\n')}\n\n`);

  let exiting = false;
  const shutdown = (signal: string) => {
    if (exiting) return;
    exiting = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      log.error('shutdown took too long; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs + 5_000);
    force.unref();
    // Work in worker threads (parses, analysis, training) gets the jobs' grace, then is ended: a task never
    // yields, so nothing else would stop it before the forced exit.
    setTimeout(() => void stopAllThreads(), config.shutdownTimeoutMs).unref();
    probes?.close();
    running.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

/**
 * Applies the migrations and exits: the deployment's one-off step (compose's `migrate` service, the Helm
 * chart's pre-upgrade job) before the processes start, which then find nothing left to apply.
 */
async function migrateOnly(databaseUrl: string | undefined): Promise<void> {
  if (!databaseUrl) {
    process.stderr.write('--migrate-only needs DATABASE_URL (the embedded database is migrated when the server starts)\n');
    process.exit(1);
  }
  await runMigrations(databaseUrl);
  process.stdout.write('migrations applied\n');
  process.exit(0);
}

main().catch((err: unknown) => {
  // A wrong key or setting is the operator's to fix: the message says how, a stack trace would only hide it.
  const plain = err instanceof ConfigError || (err instanceof Error && err.name === 'WrongSecretKeyError');
  process.stderr.write(
    `Switchboard failed to start: ${err instanceof Error ? (plain ? err.message : (err.stack ?? err.message)) : String(err)}\n`,
  );
  process.exit(1);
});
