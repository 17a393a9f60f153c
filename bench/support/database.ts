import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../apps/server/src/platform/db/embedded.js';
import { createLogger } from '../../apps/server/src/platform/logging.js';

/** A PostgreSQL cluster for one benchmark run and the fresh databases made in it. */
export interface BenchPostgres {
  /** `external` (BENCH_DATABASE_URL) or `embedded` (the product's bundled PostgreSQL in a temp dir). */
  kind: 'external' | 'embedded';
  version: string;
  /** The postmaster's pid when it runs here (embedded), to account its CPU; undefined for an external server. */
  postmasterPid: number | undefined;
  /** Creates an empty database, dropped again by `stop()`. */
  createDatabase(prefix: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * `BENCH_DATABASE_URL` (a user that may create databases) when set, else an embedded PostgreSQL in
 * a temporary directory: the same server and settings a default install runs on.
 */
export async function startBenchPostgres(): Promise<BenchPostgres> {
  const external = process.env.BENCH_DATABASE_URL;
  let adminUrl: string;
  let stopCluster: () => Promise<void> = () => Promise.resolve();
  let postmasterPid: number | undefined;
  if (external) {
    adminUrl = external;
  } else {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'switchboard-bench-pg-'));
    await chmod(dir, 0o755); // as root, PostgreSQL runs as `postgres` and must enter it
    const db = await startEmbeddedPostgres(dir, await freePort(), createLogger('warn'));
    adminUrl = db.url;
    postmasterPid = Number((await readFile(path.join(dir, 'pg', 'postmaster.pid'), 'utf8')).split('\n')[0]) || undefined;
    stopCluster = async () => {
      await db.stop();
      await rm(dir, { recursive: true, force: true });
    };
  }
  const created: string[] = [];
  const admin = async <T>(fn: (c: pg.Client) => Promise<T>): Promise<T> => {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    try {
      return await fn(c);
    } finally {
      await c.end();
    }
  };
  const version = await admin(async (c) => (await c.query<{ server_version: string }>('show server_version')).rows[0]!.server_version);
  return {
    kind: external ? 'external' : 'embedded',
    version,
    postmasterPid,
    async createDatabase(prefix) {
      const name = `${prefix}_${randomBytes(5).toString('hex')}`;
      await admin((c) => c.query(`create database ${name}`));
      created.push(name);
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      return url.toString();
    },
    async stop() {
      await admin(async (c) => {
        for (const name of created) await c.query(`drop database if exists ${name} with (force)`);
      }).catch((err: unknown) => console.error('could not drop the benchmark databases:', err));
      await stopCluster();
    },
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}
