import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { cp, mkdtemp, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { entryPoints } from '../../apps/server/entry-points.mjs';
import { freePort } from './database.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const OWNER = { email: 'owner@example.com', password: 'correct-horse-battery' };
const SECRET_KEY = Buffer.alloc(32, 7).toString('base64');

/** The server in its own process, so its RSS and CPU are its own (not the load generator's). */
export interface ServerProcess {
  url: string;
  pid: number;
  /** `bundle` (esbuild, like `npm run build`; the default) or `tsx` (sources through the tsx loader). */
  mode: string;
  stop(): Promise<void>;
  /** Sends a signal (e.g. SIGKILL for a crash) and resolves when the process has exited. */
  kill(signal: NodeJS.Signals): Promise<void>;
}

let sharedBundle: Promise<{ entry: string; cleanup(): Promise<void> }> | undefined;

/** One bundle for every server process of a run (a chaos run restarts servers), removed when the run exits. */
function bundleOnce() {
  sharedBundle ??= bundleServer().then((b) => {
    process.once('exit', () => rmSync(path.dirname(path.dirname(b.entry)), { recursive: true, force: true }));
    return { entry: b.entry, cleanup: () => Promise.resolve() };
  });
  return sharedBundle;
}

/**
 * Bundles apps/server like `apps/server/build.mjs` does, but into a temporary directory (with a
 * `node_modules` link to the repository's), so it runs as production does: `node main.js`.
 */
async function bundleServer(): Promise<{ entry: string; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'switchboard-bench-build-'));
  await build({
    // main.js and its worker threads' files, as `npm run build` makes them.
    entryPoints: Object.fromEntries(Object.entries(entryPoints).map(([name, source]) => [name, path.join(ROOT, 'apps/server', source)])),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    outdir: path.join(dir, 'server'),
    packages: 'external',
    alias: { '@switchboard/shared': path.join(ROOT, 'packages/shared/src/index.ts') },
    logLevel: 'error',
  });
  // migrate.ts looks for `../drizzle` next to the bundle.
  await cp(path.join(ROOT, 'apps/server/drizzle'), path.join(dir, 'drizzle'), { recursive: true });
  await symlink(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return { entry: path.join(dir, 'server/main.js'), cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export async function startServer(opts: {
  databaseUrl: string;
  telegramApiRoot: string;
  env?: Record<string, string>;
  /** A given port (to restart a killed process where its clients expect it); a free one otherwise. */
  port?: number;
  /** Several processes of one run share one bundle. */
  sharedBundle?: boolean;
}): Promise<ServerProcess> {
  const mode = process.env.BENCH_SERVER_MODE === 'tsx' ? 'tsx' : 'bundle';
  const port = opts.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'switchboard-bench-data-'));
  const bundle = mode === 'bundle' ? await (opts.sharedBundle ? bundleOnce() : bundleServer()) : undefined;
  // BENCH_NODE_ARGS: extra node flags for the server, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` (written on exit).
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const args = [...nodeArgs, ...(bundle ? [bundle.entry] : ['--import', 'tsx', path.join(ROOT, 'apps/server/src/main.ts')])];
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: url,
      DATA_DIR: dataDir,
      DATABASE_URL: opts.databaseUrl,
      SECRET_KEY,
      ADMIN_EMAIL: OWNER.email,
      ADMIN_PASSWORD: OWNER.password,
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
      TELEGRAM_API_ROOT: opts.telegramApiRoot,
      SERVE_WEB: 'false',
      API_RATE_LIMIT_PER_MIN: '10000000',
      SHUTDOWN_TIMEOUT_MS: '5000',
      // The providers' fakes listen on plain-HTTP loopback addresses, which the outbound policy refuses by default.
      OUTBOUND_ALLOWLIST: '127.0.0.1',
      ...opts.env,
    },
  });
  // Keep the tail of the server's output for error reports; warnings are echoed as they come.
  const tail: string[] = [];
  const keep = (prefix: string) => (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      tail.push(line);
      if (tail.length > 50) tail.shift();
      if (/"level":(40|50|60)/.test(line) || prefix === 'stderr') process.stderr.write(`[server ${prefix}] ${line.slice(0, 600)}\n`);
    }
  };
  child.stdout!.on('data', keep('stdout'));
  child.stderr!.on('data', keep('stderr'));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const deadline = Date.now() + 90_000;
  let dead = false;
  void exited.then(() => (dead = true));
  for (;;) {
    const failure = dead
      ? `the server exited during start-up:\n${tail.join('\n')}`
      : Date.now() > deadline
        ? `the server did not become ready in 90 s:\n${tail.join('\n')}`
        : undefined;
    if (failure) {
      child.kill('SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
      await bundle?.cleanup();
      throw new Error(failure);
    }
    const ok = await fetch(`${url}/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    await sleep(200);
  }

  return {
    url,
    pid: child.pid!,
    mode,
    async kill(signal) {
      if (!dead) child.kill(signal);
      await exited;
    },
    async stop() {
      if (!dead) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }
      await rm(dataDir, { recursive: true, force: true });
      await bundle?.cleanup();
    },
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
