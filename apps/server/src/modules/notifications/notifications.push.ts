import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../../config.js';
import type { OutboundPolicy } from '../../platform/http/outbound.js';

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
  subject: string;
}

const FILE = 'vapid.json';
let cached: Promise<VapidKeys> | undefined;
let cachedFor: string | undefined;

/**
 * The installation's VAPID keys: `VAPID_PUBLIC_KEY`/`VAPID_PRIVATE_KEY` when set, else a pair generated
 * once into `DATA_DIR/vapid.json` (kept across restarts: browsers' subscriptions are bound to the public
 * key, so a new pair would silence every subscribed browser until it subscribes again).
 */
export function vapidKeys(config: Pick<Config, 'dataDir' | 'vapid' | 'mailFrom' | 'publicUrl'>): Promise<VapidKeys> {
  if (cachedFor !== config.dataDir) {
    cachedFor = config.dataDir;
    cached = loadKeys(config);
    cached.catch(() => (cachedFor = undefined));
  }
  return cached!;
}

async function loadKeys(config: Pick<Config, 'dataDir' | 'vapid' | 'mailFrom' | 'publicUrl'>): Promise<VapidKeys> {
  const subject = config.vapid.subject ?? subjectOf(config);
  if (config.vapid.publicKey && config.vapid.privateKey) {
    return { publicKey: config.vapid.publicKey, privateKey: config.vapid.privateKey, subject };
  }
  const file = path.join(config.dataDir, FILE);
  if (existsSync(file)) {
    const stored = JSON.parse(await readFile(file, 'utf8')) as { publicKey: string; privateKey: string };
    return { ...stored, subject };
  }
  await mkdir(config.dataDir, { recursive: true });
  const { default: webPush } = await import('web-push'); // loaded on first use, not with every process
  const keys = webPush.generateVAPIDKeys();
  // Written aside and renamed: two processes starting together end with one pair, never a torn file.
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(keys), { mode: 0o600 });
  if (!existsSync(file)) await rename(tmp, file);
  const kept = JSON.parse(await readFile(file, 'utf8')) as { publicKey: string; privateKey: string };
  return { ...kept, subject };
}

function subjectOf(config: Pick<Config, 'mailFrom' | 'publicUrl'>): string {
  const address = /<([^>]+)>/.exec(config.mailFrom)?.[1] ?? config.mailFrom;
  if (address.includes('@') && !address.endsWith('@localhost')) return `mailto:${address.trim()}`;
  return config.publicUrl.startsWith('https://') ? config.publicUrl : 'mailto:switchboard@example.com';
}

export interface PushTarget {
  endpoint: string;
  p256dh: string;
  auth: string;
}

export type PushOutcome = { ok: true } | { ok: false; gone: boolean; error: string };

/**
 * Encrypts `payload` for one browser (RFC 8291, aes128gcm) and posts it to the browser's push service
 * through the outbound policy: the endpoint is a URL a browser gave us, so it gets the same checks as
 * any other URL from outside. 404/410 mean the subscription is gone (the caller forgets it).
 */
export async function sendPush(outbound: OutboundPolicy, keys: VapidKeys, target: PushTarget, payload: object): Promise<PushOutcome> {
  const { default: webPush } = await import('web-push');
  const details = webPush.generateRequestDetails(
    { endpoint: target.endpoint, keys: { p256dh: target.p256dh, auth: target.auth } },
    JSON.stringify(payload),
    { vapidDetails: keys, TTL: 4 * 3600, contentEncoding: 'aes128gcm', urgency: 'high' },
  );
  const res = await outbound.fetch(details.endpoint, {
    method: details.method,
    headers: details.headers as Record<string, string>,
    body: new Uint8Array(details.body),
    signal: AbortSignal.timeout(15_000),
  });
  await res.body?.cancel().catch(() => undefined);
  if (res.status >= 200 && res.status < 300) return { ok: true };
  return { ok: false, gone: res.status === 404 || res.status === 410, error: `push service answered ${res.status}` };
}
