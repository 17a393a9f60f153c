import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './server.js';

export interface Check {
  metric: string;
  measured: number | string;
  /** e.g. `>= 1000`; empty for informative rows. */
  target?: string;
  pass?: boolean;
}

export const atLeast = (metric: string, measured: number, min: number, unit = ''): Check => ({
  metric,
  measured,
  target: `>= ${min}${unit}`,
  pass: measured >= min,
});

export const below = (metric: string, measured: number, max: number, unit = ''): Check => ({
  metric,
  measured,
  target: `< ${max}${unit}`,
  pass: measured < max,
});

export const info = (metric: string, measured: number | string): Check => ({ metric, measured });

export function printChecks(title: string, checks: Check[]): void {
  console.log(`\n${title}`);
  console.table(
    checks.map((c) => ({
      metric: c.metric,
      measured: c.measured,
      target: c.target ?? '',
      result: c.pass === undefined ? '' : c.pass ? 'PASS' : 'FAIL',
    })),
  );
}

export function environment(extra: Record<string, unknown> = {}) {
  return {
    node: process.version,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memTotalMb: Math.round(os.totalmem() / 2 ** 20),
    platform: `${os.platform()} ${os.release()}`,
    ...extra,
  };
}

export async function writeResult(name: string, result: object): Promise<string> {
  const dir = path.join(ROOT, 'bench/results');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${name}.json`);
  await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}

/** Integer env setting with a default. */
export function envInt(name: string, fallback: number): number {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
}
