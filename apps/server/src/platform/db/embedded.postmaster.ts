import { existsSync, readFileSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { Logger } from 'pino';

/**
 * A Switchboard process killed without its shutdown (kill -9, OOM killer, power to the container
 * cut) leaves its embedded PostgreSQL running with nobody to stop it, or a `postmaster.pid` naming a
 * process that is gone or, after a reboot, is some other program. PostgreSQL then refuses to start.
 * Before starting, this finds out which it is: a leftover server is stopped (we start our own, so
 * its logs and its shutdown are ours again), a stale lock file is removed, and a server still owned
 * by a running Switchboard is left alone with a message saying so.
 */
export async function clearLeftoverPostmaster(dataDir: string, databaseDir: string, log: Logger): Promise<void> {
  const lockFile = path.join(databaseDir, 'postmaster.pid');
  const pid = existsSync(lockFile) ? Number((await readFile(lockFile, 'utf8')).split('\n')[0]) : NaN;
  if (!Number.isInteger(pid) || pid <= 0) return;

  const postmaster = processInfo(pid);
  if (!postmaster || !/postgres/.test(postmaster.command) || !postmaster.command.includes(databaseDir)) {
    log.warn({ postgresPid: pid, lockFile }, 'removing the lock file of an embedded PostgreSQL that is no longer running');
    await rm(lockFile, { force: true });
    return;
  }
  const owner = await readOwner(dataDir);
  if (owner && owner !== process.pid && /node|switchboard/i.test(processInfo(owner)?.command ?? '')) {
    throw new Error(
      `The embedded PostgreSQL in ${databaseDir} belongs to another running Switchboard process (pid ${owner}). ` +
        'Stop that process first, or give this one its own DATA_DIR (or a DATABASE_URL).',
    );
  }
  log.warn({ postgresPid: pid }, 'stopping the embedded PostgreSQL left running by a Switchboard process that did not shut down');
  await stopPostmaster(pid);
}

/** Marks this process as the one running the embedded PostgreSQL of `dataDir`. */
export const claimOwnership = (dataDir: string): Promise<void> => writeFile(ownerFile(dataDir), `${process.pid}\n`);
export const releaseOwnership = (dataDir: string): Promise<void> => rm(ownerFile(dataDir), { force: true });

const ownerFile = (dataDir: string) => path.join(dataDir, 'embedded-pg.owner');

async function readOwner(dataDir: string): Promise<number | undefined> {
  const text = await readFile(ownerFile(dataDir), 'utf8').catch(() => '');
  const pid = Number(text.trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** Fast shutdown (SIGINT: clients disconnected, data flushed), then immediate (SIGQUIT) if it hangs. */
async function stopPostmaster(pid: number): Promise<void> {
  for (const [signal, waitMs] of [
    ['SIGINT', 30_000],
    ['SIGQUIT', 10_000],
  ] as const) {
    try {
      process.kill(pid, signal);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ESRCH') return;
      throw new Error(`Cannot stop the leftover embedded PostgreSQL (pid ${pid}): ${(err as Error).message}. Stop it by hand.`);
    }
    for (const deadline = Date.now() + waitMs; Date.now() < deadline;) {
      if (!processInfo(pid)) return;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`The leftover embedded PostgreSQL (pid ${pid}) did not stop; stop it by hand (kill ${pid}) and start again.`);
}

/** A running (not zombie) process's command line, or undefined: /proc on Linux, `ps` elsewhere. */
function processInfo(pid: number): { command: string } | undefined {
  if (existsSync('/proc/self/stat')) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
      if (state === 'Z' || state === 'X') return undefined;
      return { command: readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim() };
    } catch {
      return undefined;
    }
  }
  const ps = spawnSync('ps', ['-o', 'stat=,command=', '-p', String(pid)], { encoding: 'utf8' });
  const m = /^\s*(\S+)\s+(.*)$/.exec(ps.stdout ?? '');
  return ps.status === 0 && m && !m[1]!.startsWith('Z') ? { command: m[2]! } : undefined;
}
