import { spawnSync } from 'node:child_process';
import { main } from '../../src/cli.js';

/** Runs `switchboard <args>` in this process (the same code the binary runs), capturing what it prints. */
export async function runSwitchboard(args: string[], env: Record<string, string>): Promise<{ code: number; out: string }> {
  let out = '';
  const capture = (chunk: string | Uint8Array) => {
    out += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  };
  const stdout = process.stdout.write.bind(process.stdout);
  const stderr = process.stderr.write.bind(process.stderr);
  process.stdout.write = capture;
  process.stderr.write = capture;
  try {
    const code = await main(args, { LOG_LEVEL: 'silent', ...env });
    return { code, out };
  } finally {
    process.stdout.write = stdout;
    process.stderr.write = stderr;
  }
}

/** Runs the real command-line entry in a child process. */
export function spawnSwitchboard(args: string[], env: Record<string, string>): { code: number | null; out: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'apps/server/src/cli.ts', ...args], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'silent', ...env },
    encoding: 'utf8',
    timeout: 240_000,
  });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}
