import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { eventually, startTestApp, type TestApp } from '../support/harness.js';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../../../..');
const RULES = path.join(ROOT, 'deploy/prometheus/alerts.yml');
const RULE_TESTS = path.join(ROOT, 'deploy/prometheus/alerts.test.yml');
const DASHBOARD = path.join(ROOT, 'deploy/grafana/switchboard.json');

/** Series Prometheus makes itself (not scraped from /metrics). */
const SYNTHETIC = new Set(['up']);
const PROMQL_WORDS = new Set(['and', 'or', 'unless', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'offset']);

/** The metric names a PromQL expression reads: identifiers that are not functions, keywords, labels or durations. */
export function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""') // label values
    .replace(/\{[^}]*\}/g, '') // label matchers
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '') // grouping labels
    .replace(/\[[^\]]*\]/g, '') // range durations
    .replace(/\$\w+|\$\{[^}]*\}/g, ''); // dashboard variables
  const names = new Set<string>();
  for (const m of bare.matchAll(/[A-Za-z_:][A-Za-z0-9_:]*/g)) {
    const after = bare.slice(m.index + m[0].length).trimStart();
    if (after.startsWith('(') || PROMQL_WORDS.has(m[0]) || /^\d/.test(m[0])) continue;
    if (/^(e\d+|Inf|NaN)$/i.test(m[0])) continue;
    names.add(m[0]);
  }
  return [...names];
}

/** Metric families a /metrics page declares, with the series names a histogram or summary adds. */
function declaredSeries(page: string): Set<string> {
  const names = new Set<string>();
  for (const [, name, type] of page.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    names.add(name!);
    if (type === 'histogram') for (const s of ['_bucket', '_count', '_sum']) names.add(name! + s);
    if (type === 'summary') for (const s of ['_count', '_sum']) names.add(name! + s);
  }
  return names;
}

interface RuleFile {
  groups: {
    name: string;
    rules: { alert: string; expr: string; for?: string; labels: Record<string, string>; annotations: Record<string, string> }[];
  }[];
}

async function alertRules() {
  return (parse(await readFile(RULES, 'utf8')) as RuleFile).groups.flatMap((g) => g.rules);
}

interface Dashboard {
  uid: string;
  panels: { id: number; title: string; targets: { expr: string; refId: string }[] }[];
}

describe('alert rules', () => {
  it('pass promtool check rules and their unit tests (promtool test rules)', async () => {
    const promtool = await run('promtool', ['--version']).catch(() => undefined);
    expect(promtool, 'promtool is not installed: apt-get install -y prometheus (.ci/run does)').toBeDefined();
    const check = await run('promtool', ['check', 'rules', RULES]);
    expect(check.stdout + check.stderr).toMatch(/SUCCESS: \d+ rules found/);
    const tests = await run('promtool', ['test', 'rules', RULE_TESTS]);
    expect(tests.stdout + tests.stderr).toContain('SUCCESS');
  });

  it('promtool refuses a broken rule, so the check above can fail', async () => {
    const { writeFile, mkdtemp } = await import('node:fs/promises');
    const dir = await mkdtemp(path.join((await import('node:os')).tmpdir(), 'rules-'));
    const bad = path.join(dir, 'bad.yml');
    await writeFile(bad, 'groups:\n  - name: x\n    rules:\n      - alert: Broken\n        expr: sum(rate(x[5m]) >\n');
    await expect(run('promtool', ['check', 'rules', bad])).rejects.toThrow();
  });

  it('cover what an operator must hear about, each with a severity and a runbook link', async () => {
    const rules = await alertRules();
    const names = rules.map((r) => r.alert);
    for (const needed of [
      'SwitchboardInstanceDown',
      'SwitchboardHigh5xxRate',
      'SwitchboardSlowRequests',
      'SwitchboardQueueBacklog',
      'SwitchboardQueueStalled',
      'SwitchboardDeadLettersGrowing',
      'SwitchboardChannelAuthFailed',
      'SwitchboardPollerLagging',
      'SwitchboardDbPoolSaturated',
      'SwitchboardBackupTooOld',
      'SwitchboardDiskAlmostFull',
    ]) {
      expect(names).toContain(needed);
    }
    const runbook = await readFile(path.join(ROOT, 'docs/OPERATIONS.md'), 'utf8');
    const anchors = new Set(
      [...runbook.matchAll(/^#+ (.+)$/gm)].map(([, h]) =>
        h!
          .toLowerCase()
          .replace(/[^a-z0-9 -]/g, '')
          .replace(/ /g, '-'),
      ),
    );
    for (const r of rules) {
      expect(['critical', 'warning'], r.alert).toContain(r.labels.severity);
      const link = /docs\/OPERATIONS\.md#([\w-]+)/.exec(r.annotations.description ?? '')?.[1];
      expect(link, `${r.alert} links the runbook`).toBeDefined();
      expect(anchors, `${r.alert} → #${link}`).toContain(link);
    }
  });
});

describe('the metrics the rules and the dashboard read', () => {
  let t: TestApp;
  let page: string;
  // API only: no workers take jobs, so a job sent here waits and the queue gauges move.
  beforeAll(async () => {
    t = await startTestApp({ roles: 'api', env: { DATABASE_POOL_SIZE: '7' } });
    page = await (await fetch(`${t.url}/metrics`)).text();
  });
  afterAll(async () => await t?.stop());

  it('finds the metric names inside PromQL', () => {
    expect(metricNames('sum by (queue) (increase(job_dead_lettered_total{queue=~"a|b"}[30m])) > 0').sort()).toEqual([
      'job_dead_lettered_total',
    ]);
    expect(metricNames('(db_pool_connections - db_pool_idle) / db_pool_max >= 0.9 and on(instance) up == 1e3').sort()).toEqual([
      'db_pool_connections',
      'db_pool_idle',
      'db_pool_max',
      'up',
    ]);
  });

  it('every metric an alert rule uses is served on /metrics', async () => {
    const served = declaredSeries(page);
    const used = new Set((await alertRules()).flatMap((r) => metricNames(r.expr)));
    expect(used.size).toBeGreaterThan(10);
    const missing = [...used].filter((m) => !served.has(m) && !SYNTHETIC.has(m));
    expect(missing).toEqual([]);
  });

  it('the dashboard is valid JSON whose panels each query metrics served on /metrics', async () => {
    const dashboard = JSON.parse(await readFile(DASHBOARD, 'utf8')) as Dashboard;
    expect(dashboard.uid).toBe('switchboard');
    const ids = dashboard.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    const titles = dashboard.panels.map((p) => p.title.toLowerCase()).join(' | ');
    for (const topic of ['messages', 'latency', 'queue', 'errors', 'auto-answer', 'sse', 'pool']) expect(titles).toContain(topic);
    const served = declaredSeries(page);
    for (const panel of dashboard.panels) {
      expect(panel.targets.length, panel.title).toBeGreaterThan(0);
      for (const target of panel.targets) {
        const missing = metricNames(target.expr).filter((m) => !served.has(m) && !SYNTHETIC.has(m));
        expect(missing, `${panel.title}: ${target.expr}`).toEqual([]);
      }
    }
  });

  it('reports the database pool, the disk and the database size', async () => {
    const body = await (await fetch(`${t.url}/metrics`)).text();
    expect(body).toMatch(/^db_pool_max\{pool="primary"\} 7$/m);
    const total = Number(/^db_pool_connections\{pool="primary"\} (\d+)$/m.exec(body)?.[1]);
    const idle = Number(/^db_pool_idle\{pool="primary"\} (\d+)$/m.exec(body)?.[1]);
    expect(total).toBeGreaterThanOrEqual(1);
    expect(idle).toBeLessThanOrEqual(total);
    expect(body).toMatch(/^db_pool_waiting\{pool="primary"\} 0$/m);
    expect(Number(/^data_dir_free_bytes (\S+)$/m.exec(body)?.[1])).toBeGreaterThan(0);
    expect(Number(/^data_dir_size_bytes (\S+)$/m.exec(body)?.[1])).toBeGreaterThan(Number(/^data_dir_free_bytes (\S+)$/m.exec(body)?.[1]));
    expect(Number(/^database_size_bytes (\S+)$/m.exec(body)?.[1])).toBeGreaterThan(1_000_000);
  });

  it('a due job nobody takes shows in the queue depth and in the age of the oldest job', async () => {
    const gauge = async (name: string) => {
      const body = await (await fetch(`${t.url}/metrics`)).text();
      return Number(new RegExp(`^${name}\\{queue="maintenance\\.prune"\\} (\\S+)$`, 'm').exec(body)?.[1]);
    };
    expect(await gauge('job_queue_depth')).toBe(0);
    expect(await gauge('job_queue_oldest_age_seconds')).toBe(0);
    // Not yet due: counted in the depth, but it is not late.
    await t.running.ctx.queue.boss.send('maintenance.prune', {}, { startAfter: 3600 });
    expect(await gauge('job_queue_depth')).toBe(1);
    expect(await gauge('job_queue_oldest_age_seconds')).toBe(0);
    await t.running.ctx.queue.boss.send('maintenance.prune', {});
    expect(await gauge('job_queue_depth')).toBe(2);
    await eventually(async () => (await gauge('job_queue_oldest_age_seconds')) > 0.5, 10_000, 'the waiting job to age');
  });

  it('counts cache lookups by cache and result', async () => {
    const count = async (result: string) => {
      const body = await (await fetch(`${t.url}/metrics`)).text();
      return Number(new RegExp(`^cache_lookups_total\\{cache="channels",result="${result}"\\} (\\S+)$`, 'm').exec(body)?.[1] ?? 0);
    };
    const before = await count('miss');
    await t.running.ctx.channels.loadForWebhook(randomUUID());
    expect(await count('miss')).toBe(before + 1);
  });
});

describe('job metrics on a worker', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp({ roles: 'api,worker' })));
  afterAll(async () => await t?.stop());

  it('times each job by queue and outcome', async () => {
    const completed = async () => {
      const body = await (await fetch(`${t.url}/metrics`)).text();
      return Number(/^job_duration_seconds_count\{queue="maintenance\.prune",outcome="completed"\} (\S+)$/m.exec(body)?.[1] ?? 0);
    };
    expect(await completed()).toBe(0);
    await t.running.ctx.queue.boss.send('maintenance.prune', {});
    t.running.ctx.queue.wake('maintenance.prune');
    await eventually(async () => (await completed()) === 1, 20_000, 'the job to be timed');
  });
});
