import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config.js';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../../../..');
const read = (file: string) => readFile(path.join(ROOT, file), 'utf8');

interface Instruction {
  op: string;
  args: string;
  line: number;
}

/** Dockerfile instructions with their arguments, continuation lines joined and comments dropped. */
export function dockerfileInstructions(text: string): Instruction[] {
  const out: Instruction[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let line = lines[i]!;
    if (/^\s*(#|$)/.test(line)) continue;
    while (line.trimEnd().endsWith('\\') && i + 1 < lines.length) {
      line = line.trimEnd().slice(0, -1) + ' ' + lines[++i]!.trim();
    }
    const m = /^\s*([A-Za-z]+)\s+(.*)$/.exec(line);
    if (m) out.push({ op: m[1]!.toUpperCase(), args: m[2]!.trim(), line: start + 1 });
  }
  return out;
}

/** A ${VAR:-default} / ${VAR:?message} / ${VAR} value as compose would give it with `given` set. */
function interpolate(value: string, given: Record<string, string>): string {
  return value.replace(/\$\{(\w+)(?::?([-?])([^}]*))?\}/g, (_m, name: string, kind?: string, rest?: string) => {
    if (given[name] !== undefined) return given[name];
    if (kind === '-') return rest ?? '';
    if (kind === '?') throw new Error(`${name} is required: ${rest}`);
    return '';
  });
}

describe('the Dockerfile (hadolint-style checks, since Docker cannot run here)', () => {
  it('builds in stages on Node 24 and runs as a non-root user with a health check and exec-form entrypoint', async () => {
    const ins = dockerfileInstructions(await read('Dockerfile'));
    const arg = ins.find((i) => i.op === 'ARG' && i.args.startsWith('NODE_IMAGE='));
    expect(arg?.args).toMatch(/^NODE_IMAGE=node:24(\.\d+)*-[a-z]+-slim$/);
    const froms = ins.filter((i) => i.op === 'FROM');
    expect(froms.length).toBeGreaterThanOrEqual(2);
    for (const f of froms) expect(f.args, 'no :latest, no untagged image').toMatch(/^(\$\{NODE_IMAGE\}|[\w./-]+:[\w.-]+)( AS \w+)?$/);
    // Every stage is named, and the final stage copies from the build stage.
    expect(froms[0]!.args).toMatch(/ AS build$/);
    expect(ins.some((i) => i.op === 'COPY' && i.args.includes('--from=build'))).toBe(true);

    const finalStage = ins.slice(ins.lastIndexOf(froms.at(-1)!));
    const users = finalStage.filter((i) => i.op === 'USER');
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)!.args).not.toMatch(/^(root|0)(:|$)/);
    expect(finalStage.find((i) => i.op === 'HEALTHCHECK')?.args).toMatch(/CMD \[.*\/health/);
    for (const op of ['ENTRYPOINT', 'CMD']) {
      const i = finalStage.filter((x) => x.op === op).at(-1);
      expect(i, op).toBeDefined();
      expect(() => JSON.parse(i!.args) as unknown, `${op} in exec form (JSON array) so signals reach node`).not.toThrow();
    }
    expect(JSON.parse(finalStage.filter((x) => x.op === 'ENTRYPOINT').at(-1)!.args)).toContain('/usr/bin/tini');
  });

  it('installs OCR (tesseract with Russian and English data, poppler) and the PostgreSQL 17 client the way hadolint wants', async () => {
    const ins = dockerfileInstructions(await read('Dockerfile'));
    const runs = ins.filter((i) => i.op === 'RUN');
    const apt = runs.filter((r) => r.args.includes('apt-get install'));
    expect(apt.length).toBeGreaterThan(0);
    for (const r of apt) {
      expect(r.args, `line ${r.line}: update and install in one layer (DL3009)`).toMatch(/apt-get update.*&&.*apt-get install/);
      expect(r.args, `line ${r.line}: DL3015`).toContain('--no-install-recommends');
      expect(r.args, `line ${r.line}: -y`).toMatch(/apt-get install -y/);
      expect(r.args, `line ${r.line}: lists removed in the same layer`).toContain('rm -rf /var/lib/apt/lists/*');
    }
    const packages = apt.map((r) => r.args).join(' ');
    for (const p of ['tesseract-ocr', 'tesseract-ocr-rus', 'tesseract-ocr-eng', 'poppler-utils', 'postgresql-client-17', 'tini']) {
      expect(packages).toMatch(new RegExp(`(^|\\s)${p}(\\s|$)`));
    }
    for (const r of runs) {
      expect(r.args, `line ${r.line}: no sudo (DL3004)`).not.toMatch(/\bsudo\b/);
      expect(r.args, `line ${r.line}: npm ci, not npm install`).not.toMatch(/\bnpm (i|install)\b/);
      expect(r.args, `line ${r.line}: no cd, use WORKDIR (DL3003)`).not.toMatch(/(^|&&\s*)cd\s/);
    }
    for (const w of ins.filter((i) => i.op === 'WORKDIR')) expect(w.args, 'absolute WORKDIR (DL3000)').toMatch(/^\//);
    expect(
      ins.some((i) => i.op === 'ADD'),
      'COPY, not ADD (DL3020)',
    ).toBe(false);
    expect(ins.filter((i) => i.op === 'RUN' && i.args.includes('npm ci')).length).toBe(1);
  });

  it('copies only files that exist and runs what the build produces', async () => {
    const ins = dockerfileInstructions(await read('Dockerfile'));
    for (const c of ins.filter((i) => i.op === 'COPY' && !i.args.includes('--from='))) {
      const parts = c.args.split(/\s+/).filter((p) => !p.startsWith('--'));
      for (const src of parts.slice(0, -1)) if (src !== '.') expect(existsSync(path.join(ROOT, src)), `COPY ${src}`).toBe(true);
    }
    // The bundle's entry points include the server and the CLI the image's `switchboard` command runs.
    const entries = await read('apps/server/entry-points.mjs');
    expect(entries).toMatch(/main: 'src\/main\.ts'/);
    expect(entries).toMatch(/cli: 'src\/cli\.ts'/);
    expect(await read('deploy/docker/switchboard.sh')).toContain('/app/apps/server/dist/cli.js');
    const ignore = (await read('.dockerignore')).split('\n');
    for (const p of ['node_modules', '.git', '.data']) expect(ignore).toContain(p);
  });

  describe('the entrypoint', () => {
    /** Runs deploy/docker/entrypoint.sh with a stand-in `node` that records its arguments and exits `nodeExit`. */
    async function entrypoint(env: Record<string, string>, nodeExit = 0) {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'entrypoint-'));
      const calls = path.join(dir, 'calls');
      await writeFile(path.join(dir, 'node'), `#!/bin/sh\necho "node $*" >> ${calls}\nexit ${nodeExit}\n`);
      await chmod(path.join(dir, 'node'), 0o755);
      try {
        const r = await run('sh', [path.join(ROOT, 'deploy/docker/entrypoint.sh'), 'sh', '-c', `echo "command ran" >> ${calls}`], {
          env: { PATH: `${dir}:/usr/bin:/bin`, ...env },
        }).then(
          () => 0,
          (err: { code?: number }) => err.code ?? 1,
        );
        const log = existsSync(calls) ? (await readFile(calls, 'utf8')).trim().split('\n') : [];
        return { code: r, log };
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }

    it('applies the migrations once, then runs the command', async () => {
      const r = await entrypoint({ DATABASE_URL: 'postgres://db/x' });
      expect(r.code).toBe(0);
      expect(r.log).toEqual(['node /app/apps/server/dist/main.js --migrate-only', 'command ran']);
    });

    it('skips them with MIGRATE=false (the worker, the scheduler, the Helm chart after its migration job)', async () => {
      expect((await entrypoint({ DATABASE_URL: 'postgres://db/x', MIGRATE: 'false' })).log).toEqual(['command ran']);
    });

    it('leaves the embedded database to the server (no DATABASE_URL)', async () => {
      expect((await entrypoint({})).log).toEqual(['command ran']);
    });

    it('does not start the server when the migrations fail', async () => {
      const r = await entrypoint({ DATABASE_URL: 'postgres://db/x' }, 3);
      expect(r.code).not.toBe(0);
      expect(r.log).toEqual(['node /app/apps/server/dist/main.js --migrate-only']);
    });
  });
});

interface ComposeService {
  image?: string;
  build?: unknown;
  restart?: string;
  ports?: string[];
  environment?: Record<string, string>;
  healthcheck?: { test: string[] | string; interval?: string };
  depends_on?: Record<string, { condition: string }>;
  deploy?: { resources?: { limits?: { cpus?: string; memory?: string } } };
}

describe('docker-compose.yml', () => {
  const load = async () => parse(await read('docker-compose.yml'), { merge: true }) as { services: Record<string, ComposeService> };

  it('has PostgreSQL, Redis, the API, a worker and a scheduler, each restarting, health-checked and limited', async () => {
    const { services } = await load();
    expect(Object.keys(services).sort()).toEqual(['api', 'postgres', 'redis', 'scheduler', 'worker']);
    for (const [name, s] of Object.entries(services)) {
      expect(s.restart, name).toMatch(/^(unless-stopped|always)$/);
      expect(s.healthcheck?.test, `${name} healthcheck`).toBeDefined();
      expect(s.deploy?.resources?.limits?.cpus, `${name} cpu limit`).toMatch(/^\d+(\.\d+)?$/);
      expect(s.deploy?.resources?.limits?.memory, `${name} memory limit`).toMatch(/^\d+[mg]$/);
    }
  });

  it('publishes only the API: the database and Redis are reachable on the compose network alone', async () => {
    const { services } = await load();
    const published = Object.entries(services)
      .filter(([, s]) => (s.ports ?? []).length > 0)
      .map(([n]) => n);
    expect(published).toEqual(['api']);
  });

  it('starts the app after its dependencies are healthy; only the API migrates, the others wait for it', async () => {
    const { services } = await load();
    for (const name of ['api', 'worker', 'scheduler']) {
      const s = services[name]!;
      for (const [dep, { condition }] of Object.entries(s.depends_on ?? {})) {
        expect(services[dep], `${name} → ${dep}`).toBeDefined();
        expect(condition).toBe('service_healthy');
        expect(services[dep]!.healthcheck).toBeDefined();
      }
      expect(Object.keys(s.depends_on ?? {})).toEqual(expect.arrayContaining(['postgres', 'redis']));
    }
    expect(services.api!.environment!.MIGRATE).toBe('true');
    expect(services.worker!.environment!.MIGRATE).toBe('false');
    expect(services.scheduler!.environment!.MIGRATE).toBe('false');
    expect(services.worker!.depends_on!.api).toEqual({ condition: 'service_healthy' });
  });

  it('gives each app process a configuration the server accepts, with its own role, and requires the secrets', async () => {
    const { services } = await load();
    const given = { POSTGRES_PASSWORD: 'pw', SECRET_KEY: Buffer.alloc(32, 1).toString('base64') };
    const roles: string[][] = [];
    for (const name of ['api', 'worker', 'scheduler']) {
      const env = Object.fromEntries(Object.entries(services[name]!.environment!).map(([k, v]) => [k, interpolate(String(v), given)]));
      const config = loadConfig(env, []);
      roles.push(config.roles);
      expect(config.databaseUrl).toBe('postgres://switchboard:pw@postgres:5432/switchboard');
      expect(env.REDIS_URL).toBe('redis://redis:6379');
      expect(env.NODE_OPTIONS ?? '', 'a heap flag would override the worker threads’ own limits').not.toContain('max-old-space-size');
    }
    expect(roles).toEqual([['api'], ['worker'], ['scheduler']]);
    const env = services.api!.environment!;
    expect(() => interpolate(env.SECRET_KEY!, { POSTGRES_PASSWORD: 'pw' })).toThrow(/SECRET_KEY is required/);
    expect(() => interpolate(env.DATABASE_URL!, { SECRET_KEY: 'x' })).toThrow(/POSTGRES_PASSWORD is required/);
  });
});

describe('Node.js 24', () => {
  it('npm scripts (and so this test) run on the Node 24 that `npm ci` brings', async () => {
    expect(process.versions.node.split('.')[0]).toBe('24');
    const pkg = JSON.parse(await read('package.json')) as {
      engines: { node: string };
      devDependencies: Record<string, string>;
      allowScripts: Record<string, boolean>;
    };
    expect(pkg.engines.node).toBe('>=24.11');
    expect(pkg.devDependencies.node).toMatch(/^\^24\./);
    expect(pkg.allowScripts.node).toBe(true);
    expect(pkg.devDependencies['@types/node']).toMatch(/^\^24\./);
    expect(await read('.ci/run')).toContain('npm ci');
  });
});
