import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** Linux /proc readings: a process's resident memory and the CPU time of it, PostgreSQL and the box. */

const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

/** VmRSS of a process in MB (undefined once it is gone). */
export function rssMb(pid: number): number | undefined {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** user+system CPU seconds a process has used so far. */
export function cpuSeconds(pid: number | 'self'): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state); utime and stime are fields 14 and 15.
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return 0;
  }
}

/**
 * CPU seconds used by PostgreSQL: the postmaster `postmasterPid` and its children (backends, WAL
 * writer, checkpointer…), or, without a pid (an external server), every `postgres` process here.
 */
export function postgresCpuSeconds(postmasterPid?: number): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    try {
      if (postmasterPid !== undefined) {
        if (pid !== postmasterPid && parentOf(pid) !== postmasterPid) continue;
      } else if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== 'postgres') continue;
    } catch {
      continue;
    }
    total += cpuSeconds(pid);
  }
  return total;
}

function parentOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

/** Busy and total CPU seconds of the whole machine (all cores). */
export function machineCpuSeconds(): { busy: number; total: number; steal: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = (v[3] ?? 0) + (v[4] ?? 0);
  const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: (total - idle) / CLK_TCK, total: total / CLK_TCK, steal: (v[7] ?? 0) / CLK_TCK };
}

export interface CpuReport {
  /** Percent of one core. */
  serverPct: number;
  benchProcessPct: number;
  postgresPct: number;
  /** Percent of the whole machine (all cores). */
  machineBusyPct: number;
  /** Percent of the machine's CPU time the hypervisor gave to other guests (a noisy neighbour). */
  machineStealPct: number;
  cores: number;
}

/**
 * Samples the server's RSS every `everyMs` and, at `stop()`, the CPU each party used meanwhile.
 * PostgreSQL backends that exit during the window are missed, so `postgresPct` is a lower bound.
 * `machineBusyPct` counts everything on the machine, including other workloads.
 */
export function startSampler(serverPid: number, postmasterPid: number | undefined, everyMs = 200) {
  const rss: number[] = [];
  const t0 = process.hrtime.bigint();
  const cpu0 = {
    server: cpuSeconds(serverPid),
    self: cpuSeconds('self'),
    pg: postgresCpuSeconds(postmasterPid),
    machine: machineCpuSeconds(),
  };
  const take = () => {
    const v = rssMb(serverPid);
    if (v !== undefined) rss.push(v);
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    stop(): { rssMaxMb: number; rssAvgMb: number; cpu: CpuReport } {
      clearInterval(timer);
      take();
      const wall = Number(process.hrtime.bigint() - t0) / 1e9;
      const m = machineCpuSeconds();
      const pct = (s: number) => round((s / wall) * 100, 0);
      return {
        rssMaxMb: round(Math.max(...rss), 1),
        rssAvgMb: round(rss.reduce((a, b) => a + b, 0) / rss.length, 1),
        cpu: {
          serverPct: pct(cpuSeconds(serverPid) - cpu0.server),
          benchProcessPct: pct(cpuSeconds('self') - cpu0.self),
          postgresPct: pct(postgresCpuSeconds(postmasterPid) - cpu0.pg),
          machineBusyPct: round(((m.busy - cpu0.machine.busy) / (m.total - cpu0.machine.total)) * 100, 0),
          machineStealPct: round(((m.steal - cpu0.machine.steal) / (m.total - cpu0.machine.total)) * 100, 1),
          cores: Math.round((m.total - cpu0.machine.total) / wall),
        },
      };
    },
  };
}

export function round(v: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

/** How busy the machine is (all cores, %) over `ms`: other workloads skew every number here. */
export async function machineBusyPct(ms: number): Promise<number> {
  const a = machineCpuSeconds();
  await new Promise((r) => setTimeout(r, ms));
  const b = machineCpuSeconds();
  return round(((b.busy - a.busy) / (b.total - a.total)) * 100, 0);
}
