import { execFileSync } from 'node:child_process';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from './errors.js';
import { AllowList, classifyAddress } from './outbound.address.js';
import { OutboundError, OutboundPolicy, type OutboundSettings, type Resolver } from './outbound.js';

/** A resolver answering from a table (no real DNS): unknown names do not resolve. */
function table(entries: Record<string, string[]>): Resolver {
  return (host) => {
    const addresses = entries[host];
    return addresses
      ? Promise.resolve(addresses.map((address) => ({ address, family: net.isIP(address) })))
      : Promise.reject(new Error('ENOTFOUND'));
  };
}

const strict: OutboundSettings = { allowlist: [], allowPrivate: false, allowHttp: true };
const policy = (settings: Partial<OutboundSettings> = {}, resolver: Resolver = table({})) =>
  new OutboundPolicy({ ...strict, ...settings }, resolver);

async function refusal(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

async function failure(p: Promise<unknown>): Promise<OutboundError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(OutboundError);
  return err as OutboundError;
}

describe('address classes', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['169.254.169.254', 'metadata'],
    ['::ffff:169.254.169.254', 'metadata'],
    ['64:ff9b::a9fe:a9fe', 'metadata'],
    ['100.100.100.200', 'metadata'],
    ['fd00:ec2::254', 'metadata'],
    ['169.254.10.1', 'link_local'],
    ['fe80::1', 'link_local'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['::7f00:1', 'reserved'],
    ['224.0.0.1', 'reserved'],
    ['255.255.255.255', 'reserved'],
    ['8.8.8.8', 'public'],
    ['2001:4860:4860::8888', 'public'],
  ])('%s is %s', (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });

  it('URL parsing already turns the other loopback spellings into 127.0.0.1', () => {
    for (const host of ['127.1', '2130706433', '0x7f000001', '0x7f.1', '017700000001', '127.0.1']) {
      expect(new URL(`http://${host}/`).hostname).toBe('127.0.0.1');
    }
    expect(new URL('http://[::ffff:127.0.0.1]/').hostname).toBe('[::ffff:7f00:1]');
  });

  it('validates allow-list entries', () => {
    for (const ok of ['127.0.0.1', '10.0.0.0/8', 'fd00::/8', 'ollama.lan', 'hooks.example.com'])
      expect(AllowList.isValidEntry(ok)).toBe(true);
    for (const bad of ['10.0.0.0/33', 'http://x', 'a b', '*.example.com']) expect(AllowList.isValidEntry(bad)).toBe(false);
  });
});

describe('checking a URL as it is saved', () => {
  it.each([
    'http://127.1/',
    'http://2130706433/',
    'http://0x7f.1/',
    'https://[::ffff:127.0.0.1]/',
    'https://[::1]/',
    'http://0.0.0.0:8080/',
    'https://169.254.169.254/latest/meta-data/',
    'http://metadata.google.internal/computeMetadata/v1/',
    'https://METADATA.google.internal./',
    'https://10.0.0.5/hook',
    'https://192.168.1.10/hook',
    'https://[fd00::1]/hook',
  ])('refuses %s (url_not_allowed)', async (url) => {
    const err = await refusal(policy().checkUrl(url, 'url'));
    expect(err.code).toBe('url_not_allowed');
    expect(err.status).toBe(422);
    expect(err.message).toMatch(/^\/url: /);
  });

  it('refuses a name that resolves to loopback, or to a public and a loopback address', async () => {
    const p = policy({}, table({ 'evil.example': ['127.0.0.1'], 'mixed.example': ['93.184.216.34', '::1'] }));
    expect((await refusal(p.checkUrl('https://evil.example/x', 'url'))).message).toContain('evil.example is a loopback address');
    expect((await refusal(p.checkUrl('https://mixed.example/x', 'url'))).code).toBe('url_not_allowed');
  });

  it('accepts public hosts, and a name that does not resolve yet (the call will report dns_failed)', async () => {
    const p = policy({}, table({ 'hooks.example.com': ['93.184.216.34'] }));
    expect(await p.checkUrl('https://hooks.example.com/in', 'url')).toBe('https://hooks.example.com/in');
    expect(await p.checkUrl('https://8.8.8.8/', 'url')).toBe('https://8.8.8.8/');
    expect(await p.checkUrl('https://not-yet.example/', 'url')).toBe('https://not-yet.example/');
  });

  it.each([
    'file:///etc/passwd',
    'ftp://example.com/',
    'gopher://127.0.0.1/',
    'https://user:pw@example.com/',
    'http://8.8.8.8:6000/',
    'not a url',
  ])('refuses %s as invalid (validation_failed)', async (url) => {
    expect((await refusal(policy().checkUrl(url, 'llm/baseUrl'))).code).toBe('validation_failed');
  });

  it('private ranges only with OUTBOUND_ALLOW_PRIVATE or when allow-listed; loopback and link-local only when listed', async () => {
    const resolver = table({ 'ollama.lan': ['192.168.1.20'], 'ci.internal': ['10.9.9.9'] });
    expect(await policy({ allowPrivate: true }, resolver).checkUrl('http://ollama.lan:11434/v1', 'u')).toBeTruthy();
    expect((await refusal(policy({ allowPrivate: true }).checkUrl('http://127.0.0.1/', 'u'))).code).toBe('url_not_allowed');
    expect((await refusal(policy({ allowPrivate: true }).checkUrl('http://169.254.1.1/', 'u'))).code).toBe('url_not_allowed');
    expect(await policy({ allowlist: ['192.168.0.0/16'] }, resolver).checkUrl('http://ollama.lan/', 'u')).toBeTruthy();
    expect(await policy({ allowlist: ['ci.internal'] }, resolver).checkUrl('http://ci.internal/', 'u')).toBeTruthy();
    expect((await refusal(policy({ allowlist: ['ci.internal'] }, resolver).checkUrl('http://ollama.lan/', 'u'))).code).toBe(
      'url_not_allowed',
    );
    expect(await policy({ allowlist: ['127.0.0.1'] }).checkUrl('http://127.0.0.1:8080/x', 'u')).toBeTruthy();
  });

  it('never allows a metadata service, even when listed', async () => {
    const listed = policy({ allowlist: ['169.254.0.0/16', 'metadata.google.internal'], allowPrivate: true });
    expect((await refusal(listed.checkUrl('http://169.254.169.254/', 'u'))).code).toBe('url_not_allowed');
    expect((await refusal(listed.checkUrl('http://metadata.google.internal/', 'u'))).code).toBe('url_not_allowed');
  });

  it('without OUTBOUND_ALLOW_HTTP, plain http only to allow-listed hosts', async () => {
    const p = policy({ allowHttp: false, allowlist: ['127.0.0.1'] }, table({ 'hooks.example.com': ['93.184.216.34'] }));
    expect((await refusal(p.checkUrl('http://hooks.example.com/', 'url'))).message).toContain('must use https');
    expect(await p.checkUrl('https://hooks.example.com/', 'url')).toBeTruthy();
    expect(await p.checkUrl('http://127.0.0.1:8080/', 'url')).toBeTruthy();
  });
});

describe('calls through the policy', () => {
  let server: http.Server;
  let port = 0;
  const seen: string[] = [];
  const auth: string[] = [];
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      seen.push(`${req.headers.host} ${req.url}`);
      auth.push(`${req.method} ${req.url} ${req.headers.authorization ?? '-'}`);
      const to = new URL(req.url!, 'http://x').searchParams;
      if (to.has('location')) return void res.writeHead(Number(to.get('status') ?? 302), { location: to.get('location')! }).end();
      if (req.url === '/redirect') return void res.writeHead(302, { location: `http://127.0.0.2:${port}/elsewhere` }).end();
      res.writeHead(200, { 'content-type': 'text/plain' }).end('internal answer');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('connects to the address it checked, sending the name as the Host', async () => {
    const p = policy({ allowlist: ['receiver.test'] }, table({ 'receiver.test': ['127.0.0.1'] }));
    const res = await p.fetch(`http://receiver.test:${port}/hello`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('internal answer');
    expect(seen).toContain(`receiver.test:${port} /hello`);
  });

  it('checks again at connect time: a name that resolved to a public address when saved and to loopback now is refused', async () => {
    let answers = 0;
    const rebinding: Resolver = () => Promise.resolve([{ address: answers++ === 0 ? '93.184.216.34' : '127.0.0.1', family: 4 }]);
    const p = policy({}, rebinding);
    await p.checkUrl(`http://rebind.test:${port}/x`, 'url'); // saved: looked public
    const before = seen.length;
    const err = await failure(p.fetch(`http://rebind.test:${port}/x`));
    expect(err.category).toBe('blocked_address');
    expect(seen.length).toBe(before); // the server never saw the request
  });

  it('refuses loopback literals, file: URLs and redirects to a refused address', async () => {
    const p = policy({ allowlist: ['receiver.test'] }, table({ 'receiver.test': ['127.0.0.1'] }));
    expect((await failure(p.fetch(`http://127.1:${port}/`))).category).toBe('blocked_address');
    expect((await failure(p.fetch('file:///etc/passwd'))).category).toBe('blocked_address');
    const before = seen.length;
    expect((await failure(p.fetch(`http://receiver.test:${port}/redirect`))).category).toBe('blocked_address');
    expect(seen.length).toBe(before + 1); // the redirect itself, not its target
  });

  it('an open port that speaks something else and a closed port fail alike (connect_failed)', async () => {
    const sockets: net.Socket[] = [];
    const banner = net.createServer((socket) => void sockets.push(socket.end('SSH-2.0-OpenSSH_9.2\r\n')));
    await new Promise<void>((resolve) => banner.listen(0, '127.0.0.1', resolve));
    const open = (banner.address() as AddressInfo).port;
    const closedServer = net.createServer();
    await new Promise<void>((resolve) => closedServer.listen(0, '127.0.0.1', resolve));
    const closed = (closedServer.address() as AddressInfo).port;
    await new Promise((r) => closedServer.close(r));
    try {
      const p = policy({ allowlist: ['127.0.0.1'] });
      const a = await failure(p.fetch(`http://127.0.0.1:${open}/`, { method: 'POST', body: '{}' }));
      const b = await failure(p.fetch(`http://127.0.0.1:${closed}/`, { method: 'POST', body: '{}' }));
      expect(a.message).toBe(b.message);
      expect(a.category).toBe('connect_failed');
    } finally {
      banner.close();
      for (const socket of sockets) socket.destroy();
    }
  });

  it('names the other failures by category', async () => {
    const p = policy({ allowlist: ['127.0.0.1'] });
    expect((await failure(p.fetch('https://does-not-resolve.test/'))).category).toBe('dns_failed');
    expect((await failure(p.fetch(`https://127.0.0.1:${port}/`))).category).toBe('tls_failed'); // plain http behind https
    const silent = net.createServer(() => undefined); // accepts and never answers
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/`;
      expect((await failure(p.fetch(url, { signal: AbortSignal.timeout(200) }))).category).toBe('timeout');
    } finally {
      silent.close();
    }
  });

  it('pins mail servers to their checked address and keeps the name for the certificate', async () => {
    const p = policy({ allowlist: ['mail.test'] }, table({ 'mail.test': ['127.0.0.1'], 'evil.test': ['169.254.169.254'] }));
    expect(await p.pin('mail.test')).toEqual({ address: '127.0.0.1', servername: 'mail.test' });
    expect((await failure(p.pin('evil.test'))).category).toBe('blocked_address');
    // A host is not a URL: the system resolver reads numeric spellings, and what it answers is checked.
    const system = new OutboundPolicy(strict);
    for (const host of ['127.1', '2130706433', 'localhost', '0.0.0.0'])
      expect((await failure(system.pin(host))).category).toBe('blocked_address');
  });

  it('follows a redirect only where the first URL could go: no blocked port, no https→http downgrade', async () => {
    const p = policy({ allowlist: ['127.0.0.1'] });
    const blockedPort = `http://127.0.0.1:${port}/?location=${encodeURIComponent('http://127.0.0.1:6000/')}`;
    expect((await failure(p.fetch(blockedPort))).category).toBe('blocked_address');
    const toFile = `http://127.0.0.1:${port}/?location=${encodeURIComponent('file:///etc/passwd')}`;
    expect((await failure(p.fetch(toFile))).category).toBe('blocked_address');

    const tls = await httpsServer((_req, res) => void res.writeHead(302, { location: `http://127.0.0.1:${port}/downgraded` }).end());
    try {
      const before = seen.length;
      expect((await failure(p.fetch(`https://127.0.0.1:${tls.port}/`))).category).toBe('blocked_address');
      expect(seen.length).toBe(before); // the plain-http target never saw the request
    } finally {
      await tls.close();
    }
  });

  it('follows allowed redirects like fetch: 303 turns a POST into a GET, credentials stay within the origin', async () => {
    const p = policy({ allowlist: ['127.0.0.1', 'receiver.test'] }, table({ 'receiver.test': ['127.0.0.1'] }));
    const same = `http://127.0.0.1:${port}/?status=303&location=/same`;
    const res = await p.fetch(same, {
      method: 'POST',
      body: '{}',
      headers: { authorization: 'Bearer k', 'content-type': 'application/json' },
    });
    expect(await res.text()).toBe('internal answer');
    expect(auth.slice(-1)).toEqual(['GET /same Bearer k']);
    const other = `http://127.0.0.1:${port}/?status=307&location=${encodeURIComponent(`http://receiver.test:${port}/other`)}`;
    expect((await p.fetch(other, { method: 'POST', body: '{}', headers: { authorization: 'Bearer k' } })).status).toBe(200);
    expect(auth.slice(-1)).toEqual(['POST /other -']);
    // The caller may still ask to see the redirect itself.
    expect((await p.fetch(same, { redirect: 'manual' })).status).toBe(303);
  });
});

/** An https server with a throwaway self-signed certificate (trusted only while the test runs). */
async function httpsServer(handler: http.RequestListener): Promise<{ port: number; close(): Promise<void> }> {
  const pem = execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      '-',
      '-out',
      '-',
      '-subj',
      '/CN=127.0.0.1',
      '-days',
      '1',
    ],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  ).toString();
  const key = pem.slice(pem.indexOf('-----BEGIN PRIVATE KEY-----'), pem.indexOf('-----END PRIVATE KEY-----') + 25);
  const cert = pem.slice(pem.indexOf('-----BEGIN CERTIFICATE-----'));
  const server = https.createServer({ key, cert }, handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const previous = process.env.NODE_TLS_REJECT_UNAUTHORIZED;
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
  return {
    port: (server.address() as AddressInfo).port,
    async close() {
      if (previous === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
      else process.env.NODE_TLS_REJECT_UNAUTHORIZED = previous;
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
