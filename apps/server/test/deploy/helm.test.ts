import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config.js';
import { helmTemplate, HelmRenderer, loadChart, TemplateError } from '../support/helm-render.js';

// The `helm` binary is in neither Debian's packages nor npm, so this test renders the chart with a
// renderer of the template subset the chart uses (test/support/helm-render.ts) and validates the result.
const CHART = path.resolve(import.meta.dirname, '../../../../deploy/helm/switchboard');
const REQUIRED = { secretKey: Buffer.alloc(32, 3).toString('base64'), database: { url: 'postgres://sb:pw@db.internal:5432/sb' } };

type K8s = Record<string, any>;

const ofKind = (ms: K8s[], kind: string) => ms.filter((m) => m.kind === kind);
const named = (ms: K8s[], kind: string, name: string) => {
  const found = ms.find((m) => m.kind === kind && m.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in ${ms.map((m) => `${m.kind}/${m.metadata.name}`).join(', ')}`);
  return found;
};
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

describe('the test renderer follows Go templates and Sprig', () => {
  const render = (src: string, values: Record<string, unknown> = {}) =>
    new HelmRenderer(new Map([['t.yaml', src]])).render('t.yaml', { Values: values, Release: { Name: 'r' }, Chart: { Name: 'c' } });

  it('trims around {{- and -}}, drops comments, branches and loops like Go', () => {
    expect(render('a:\n  {{- /* note */}}\n  {{- if .Values.on }} yes{{ else }} no{{ end }}', { on: true })).toBe('a: yes');
    expect(render('{{ if .Values.x }}x{{ else if .Values.y }}y{{ else }}z{{ end }}', { y: 1 })).toBe('y');
    expect(render('{{ range $k, $v := .Values.m }}{{ $k }}={{ $v }};{{ end }}', { m: { b: 2, a: 1 } })).toBe('a=1;b=2;');
    expect(render('{{ range .Values.l }}[{{ . }}]{{ else }}none{{ end }}', { l: [] })).toBe('none');
    expect(render('{{ with .Values.w }}{{ .x }}{{ end }}|{{ with .Values.none }}never{{ end }}', { w: { x: 5 } })).toBe('5|');
  });

  it('pipes, includes defined templates and indents', () => {
    const r = new HelmRenderer(
      new Map([
        ['_h.tpl', '{{- define "lbl" -}}\na: {{ .Release.Name }}\nb: {{ .Values.x | default "d" | quote }}\n{{- end -}}'],
        ['t.yaml', 'labels:\n  {{- include "lbl" . | nindent 2 }}\nn: {{ printf "%s-%s" "a" "b" | trunc 2 }}'],
      ]),
    );
    expect(r.render('t.yaml', { Values: {}, Release: { Name: 'rel' } })).toBe('labels:\n  a: rel\n  b: "d"\nn: a-');
  });

  it('fails loudly on a missing required value, an unknown function or an unclosed block', () => {
    expect(() => render('{{ required "x is required" .Values.x }}')).toThrow(/x is required/);
    expect(() => render('{{ .Values.x | frobnicate }}')).toThrow(TemplateError);
    expect(() => render('{{ if .Values.x }}open')).toThrow(/missing \{\{end\}\}/);
  });
});

describe('the Helm chart', () => {
  it('is a valid v2 chart whose templates only read values that values.yaml declares', async () => {
    const { chart, values, templates } = await loadChart(CHART);
    expect(chart).toMatchObject({ apiVersion: 'v2', name: 'switchboard' });
    expect(chart.version).toMatch(/^\d+\.\d+\.\d+$/);
    const declared = (obj: unknown, keys: string[]): boolean => {
      let v: unknown = obj;
      for (const k of keys) {
        if (!v || typeof v !== 'object' || !(k in v)) return false;
        v = (v as Record<string, unknown>)[k];
      }
      return true;
    };
    const used = new Set<string>();
    for (const src of templates.values()) for (const [, ref] of src.matchAll(/\.Values\.([\w.]+)/g)) used.add(ref!);
    expect(used.size).toBeGreaterThan(20);
    for (const ref of used) expect(declared(values, ref.split('.')), `.Values.${ref}`).toBe(true);
    // The role blocks are read through `index $.Values $role`.
    for (const role of ['api', 'worker', 'scheduler']) expect(values[role]).toBeDefined();
  });

  it('refuses to render without a secret key or a database, naming what is missing', async () => {
    await expect(helmTemplate(CHART, { database: REQUIRED.database })).rejects.toThrow(/secretKey is required/);
    await expect(helmTemplate(CHART, { secretKey: REQUIRED.secretKey })).rejects.toThrow(/database\.url is required/);
    // With a Secret of one's own, neither is needed here.
    await expect(helmTemplate(CHART, { existingSecret: 'mine' })).resolves.toBeDefined();
  });

  it('renders api, worker and scheduler deployments that roll without losing capacity, probed on /health and /ready', async () => {
    const { manifests } = await helmTemplate(CHART, REQUIRED);
    const deployments = ofKind(manifests, 'Deployment').filter((d) => d.metadata.labels['app.kubernetes.io/component'] !== 'redis');
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual([
      'sb-switchboard-api',
      'sb-switchboard-scheduler',
      'sb-switchboard-worker',
    ]);
    for (const d of deployments) {
      const role = d.metadata.labels['app.kubernetes.io/component'] as string;
      expect(d.apiVersion).toBe('apps/v1');
      expect(d.spec.selector.matchLabels).toEqual(d.spec.template.metadata.labels);
      expect(d.spec.strategy.type).toBe('RollingUpdate');
      expect(d.spec.strategy.rollingUpdate).toEqual(
        role === 'scheduler' ? { maxSurge: 0, maxUnavailable: 1 } : { maxSurge: '25%', maxUnavailable: 0 },
      );
      const pod = d.spec.template.spec;
      expect(pod.securityContext.runAsNonRoot).toBe(true);
      expect(pod.terminationGracePeriodSeconds).toBe(30);
      const [c] = pod.containers;
      expect(c.image).toBe('switchboard:0.1.0');
      expect(c.env).toEqual([
        { name: 'PROCESS_ROLES', value: role },
        { name: 'MIGRATE', value: 'false' },
      ]);
      expect(c.ports).toEqual([{ name: 'http', containerPort: 3000, protocol: 'TCP' }]);
      expect(c.livenessProbe.httpGet).toEqual({ path: '/health', port: 'http' });
      expect(c.readinessProbe.httpGet).toEqual({ path: '/ready', port: 'http' });
      expect(c.startupProbe.httpGet).toEqual({ path: '/health', port: 'http' });
      expect(c.resources.limits.memory).toMatch(/^\d+(Mi|Gi)$/);
      expect(c.resources.requests.cpu).toBeDefined();
      expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
      expect(c.envFrom).toEqual([{ configMapRef: { name: 'sb-switchboard' } }, { secretRef: { name: 'sb-switchboard' } }]);
      expect(d.spec.template.metadata.annotations['checksum/config']).toMatch(/^[0-9a-f]{64}$/);
      expect(d.spec.template.metadata.annotations['checksum/secret']).toMatch(/^[0-9a-f]{64}$/);
      // The role really is one the server accepts.
      expect(loadConfig({ PROCESS_ROLES: role }, []).roles).toEqual([role]);
    }
    // Autoscaled deployments leave the replica count to their HPA; the single scheduler is fixed.
    expect(named(manifests, 'Deployment', 'sb-switchboard-api').spec.replicas).toBeUndefined();
    expect(named(manifests, 'Deployment', 'sb-switchboard-scheduler').spec.replicas).toBe(1);
    expect(named(manifests, 'Deployment', 'sb-switchboard-api').spec.template.spec.containers[0].lifecycle.preStop.exec.command).toEqual([
      'sleep',
      '5',
    ]);
  });

  it('autoscales and protects the api and the workers', async () => {
    const { manifests } = await helmTemplate(CHART, REQUIRED);
    const hpas = ofKind(manifests, 'HorizontalPodAutoscaler');
    expect(hpas.map((h) => h.metadata.name).sort()).toEqual(['sb-switchboard-api', 'sb-switchboard-worker']);
    for (const h of hpas) {
      expect(h.apiVersion).toBe('autoscaling/v2');
      expect(named(manifests, 'Deployment', h.spec.scaleTargetRef.name)).toBeDefined();
      expect(h.spec.minReplicas).toBeGreaterThanOrEqual(2);
      expect(h.spec.maxReplicas).toBeGreaterThan(h.spec.minReplicas);
      expect(h.spec.metrics[0].resource).toMatchObject({ name: 'cpu', target: { type: 'Utilization' } });
    }
    const pdbs = ofKind(manifests, 'PodDisruptionBudget');
    expect(pdbs.map((p) => p.metadata.name).sort()).toEqual(['sb-switchboard-api', 'sb-switchboard-worker']);
    for (const p of pdbs) {
      expect(p.apiVersion).toBe('policy/v1');
      const target = named(manifests, 'Deployment', p.metadata.name);
      expect(p.spec.selector.matchLabels).toEqual(target.spec.template.metadata.labels);
      expect(p.spec.minAvailable).toBe(1);
    }
    // Without autoscaling the replicas are set, and no HPA fights them.
    const fixed = await helmTemplate(CHART, { ...REQUIRED, api: { autoscaling: { enabled: false }, replicas: 3 } });
    expect(named(fixed.manifests, 'Deployment', 'sb-switchboard-api').spec.replicas).toBe(3);
    expect(ofKind(fixed.manifests, 'HorizontalPodAutoscaler').map((h) => h.metadata.name)).toEqual(['sb-switchboard-worker']);
  });

  it('keeps secrets in a Secret (or yours), settings in a ConfigMap the server accepts, and migrates in a hook job', async () => {
    const { manifests } = await helmTemplate(CHART, {
      ...REQUIRED,
      env: { BACKUP_S3_BUCKET: 'backups' },
      metricsToken: 'metrics-token-0123456789',
    });
    const secret = named(manifests, 'Secret', 'sb-switchboard');
    expect(secret.stringData).toEqual({
      SECRET_KEY: REQUIRED.secretKey,
      DATABASE_URL: REQUIRED.database.url,
      REDIS_URL: 'redis://sb-switchboard-redis:6379',
      METRICS_TOKEN: 'metrics-token-0123456789',
    });
    const config = named(manifests, 'ConfigMap', 'sb-switchboard').data as Record<string, string>;
    for (const v of Object.values(config)) expect(typeof v).toBe('string');
    expect(config.BACKUP_S3_BUCKET).toBe('backups');
    expect(config.SHUTDOWN_TIMEOUT_MS).toBe('20000');
    const parsed = loadConfig({ ...config, ...secret.stringData, PROCESS_ROLES: 'api' }, []);
    expect(parsed).toMatchObject({ port: 3000, env: 'production', databaseUrl: REQUIRED.database.url, trustProxy: 1, roles: ['api'] });

    const job = named(manifests, 'Job', 'sb-switchboard-migrate');
    expect(job.metadata.annotations['helm.sh/hook']).toBe('pre-install,pre-upgrade');
    expect(Number(secret.metadata.annotations['helm.sh/hook-weight'])).toBeLessThan(
      Number(job.metadata.annotations['helm.sh/hook-weight']),
    );
    const [c] = job.spec.template.spec.containers;
    expect(c.args).toEqual(['node', 'apps/server/dist/main.js', '--migrate-only']);
    expect(c.env).toContainEqual({ name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 'sb-switchboard', key: 'DATABASE_URL' } } });
    expect(job.spec.template.spec.restartPolicy).toBe('Never');

    const own = await helmTemplate(CHART, { existingSecret: 'switchboard-prod' });
    expect(ofKind(own.manifests, 'Secret')).toEqual([]);
    const api = named(own.manifests, 'Deployment', 'sb-switchboard-api');
    expect(api.spec.template.spec.containers[0].envFrom).toContainEqual({ secretRef: { name: 'switchboard-prod' } });
    expect(api.spec.template.metadata.annotations['checksum/secret']).toBeUndefined();
  });

  it('runs its own Redis by default, or uses an external one, or none', async () => {
    const bundled = await helmTemplate(CHART, REQUIRED);
    const redis = named(bundled.manifests, 'Deployment', 'sb-switchboard-redis');
    expect(redis.spec.template.spec.containers[0].readinessProbe.exec.command).toEqual(['redis-cli', 'ping']);
    expect(named(bundled.manifests, 'Service', 'sb-switchboard-redis').spec.ports[0].port).toBe(6379);

    const external = await helmTemplate(CHART, { ...REQUIRED, redis: { enabled: false, url: 'rediss://cache.internal:6380' } });
    expect(ofKind(external.manifests, 'Deployment').map((d) => d.metadata.name)).not.toContain('sb-switchboard-redis');
    expect(named(external.manifests, 'Secret', 'sb-switchboard').stringData.REDIS_URL).toBe('rediss://cache.internal:6380');

    const none = await helmTemplate(CHART, { ...REQUIRED, redis: { enabled: false } });
    expect(named(none.manifests, 'Secret', 'sb-switchboard').stringData.REDIS_URL).toBeUndefined();
  });

  it('exposes the API through a Service and, when enabled, an Ingress with TLS', async () => {
    const off = await helmTemplate(CHART, REQUIRED);
    expect(ofKind(off.manifests, 'Ingress')).toEqual([]);
    const svc = named(off.manifests, 'Service', 'sb-switchboard');
    expect(svc.spec.selector).toEqual(named(off.manifests, 'Deployment', 'sb-switchboard-api').spec.template.metadata.labels);
    expect(svc.spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }]);

    const on = await helmTemplate(CHART, { ...REQUIRED, ingress: { enabled: true, className: 'nginx', host: 'desk.example.org' } });
    const ing = named(on.manifests, 'Ingress', 'sb-switchboard');
    expect(ing.apiVersion).toBe('networking.k8s.io/v1');
    expect(ing.spec.ingressClassName).toBe('nginx');
    expect(ing.spec.tls).toEqual([{ hosts: ['desk.example.org'], secretName: 'switchboard-tls' }]);
    const backend = ing.spec.rules[0].http.paths[0].backend.service;
    expect(backend).toEqual({ name: svc.metadata.name, port: { name: 'http' } });
  });

  it('names and labels every object as Kubernetes requires, for any release name', async () => {
    // Helm allows release names of up to 53 characters.
    for (const release of ['sb', 'switchboard', 'a-long-release-name-of-fifty-three-characters-exactly']) {
      expect(release.length).toBeLessThanOrEqual(53);
      const { manifests, notes } = await helmTemplate(CHART, REQUIRED, { name: release, namespace: 'support' });
      expect(notes).toContain('Switchboard 0.1.0 is installed');
      for (const m of manifests) {
        expect(m.apiVersion, String(m.kind)).toBeTruthy();
        expect(m.metadata.name.length, m.metadata.name).toBeLessThanOrEqual(63);
        expect(m.metadata.name).toMatch(DNS_LABEL);
        for (const v of Object.values(m.metadata.labels ?? {}))
          expect(String(v)).toMatch(/^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/);
      }
      expect(new Set(manifests.map((m) => `${String(m.kind)}/${String(m.metadata.name)}`)).size).toBe(manifests.length);
    }
  });

  it('the values file documents itself in YAML that parses', async () => {
    const text = await readFile(path.join(CHART, 'values.yaml'), 'utf8');
    expect(() => parse(text) as unknown).not.toThrow();
    expect(text).toMatch(/secretKey: ''/);
  });
});
