import dns from 'node:dns';
import net from 'node:net';
import { Agent, buildConnector, fetch as undiciFetch, type RequestInit as UndiciRequestInit } from 'undici';
import { AppError } from './errors.js';
import { AllowList, classifyAddress, isMetadataHost, normaliseHost, type AddressClass } from './outbound.address.js';

/** How an outbound call failed. Bodies are never part of it, and an open and a closed port look alike. */
export type OutboundFailure = 'blocked_address' | 'dns_failed' | 'connect_failed' | 'timeout' | 'tls_failed' | `http_${number}`;

export class OutboundError extends Error {
  constructor(
    readonly category: OutboundFailure,
    detail: string,
  ) {
    super(`${category}: ${detail}`);
    this.name = 'OutboundError';
  }
}

export interface OutboundSettings {
  /** Hosts, addresses and CIDR ranges reachable whatever their class (metadata services excepted). */
  allowlist: readonly string[];
  /** Private ranges (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7) reachable without listing them. */
  allowPrivate: boolean;
  /** Plain http to any host; otherwise only to allow-listed hosts. */
  allowHttp: boolean;
}

export interface ResolvedAddress {
  address: string;
  family: number;
}
export type Resolver = (host: string) => Promise<ResolvedAddress[]>;

const systemResolver: Resolver = (host) => dns.promises.lookup(host, { all: true, verbatim: true });

/** Ports fetch refuses to connect to (the WHATWG "bad port" list): a call there could never succeed. */
const BAD_PORTS = new Set([
  1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104, 109, 110, 111, 113, 115, 117,
  119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636,
  989, 990, 993, 995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
]);

const CLASS_NAMES: Record<AddressClass, string> = {
  public: 'a public address',
  private: 'a private address',
  loopback: 'a loopback address',
  unspecified: 'an unspecified address',
  link_local: 'a link-local address',
  metadata: 'a cloud metadata service',
  reserved: 'a reserved address',
};

/**
 * The one rule for every URL and host an account admin can set (webhooks, API-channel callbacks, the
 * LLM base URL, a Green-API host, mail servers): http(s) only, and only addresses of allowed classes.
 * The check runs when the setting is saved and again on every connection: the dispatcher resolves the
 * name, checks every address and connects to the checked one, so a name that changes its answer
 * (DNS rebinding) or a redirect cannot lead a call anywhere else.
 */
export class OutboundPolicy {
  private readonly allow: AllowList;
  /** For `fetch` and SDKs that accept an undici dispatcher. */
  readonly dispatcher: Agent;

  constructor(
    private readonly settings: OutboundSettings,
    private readonly resolver: Resolver = systemResolver,
  ) {
    this.allow = new AllowList(settings.allowlist);
    const connect = buildConnector({});
    this.dispatcher = new Agent({
      connect: (opts, callback) => {
        this.resolve(opts.hostname).then(
          ([first]) => connect({ ...opts, hostname: first!.address }, callback),
          (err: Error) => callback(err, null),
        );
      },
    });
  }

  /** The addresses `host` may be reached at; throws `blocked_address` or `dns_failed`. */
  async resolve(host: string): Promise<ResolvedAddress[]> {
    const name = normaliseHost(host);
    if (isMetadataHost(name)) throw blocked(host, 'metadata');
    let addresses: ResolvedAddress[];
    if (net.isIP(name)) addresses = [{ address: name, family: net.isIP(name) }];
    else {
      addresses = await this.resolver(name).catch(() => []);
      if (addresses.length === 0) throw new OutboundError('dns_failed', `${host} could not be resolved`);
    }
    const hostListed = this.allow.hasHost(name);
    for (const { address } of addresses) {
      const kind = classifyAddress(address);
      if (kind === 'metadata') throw blocked(host, kind);
      const allowed =
        kind === 'public' || hostListed || this.allow.hasAddress(address) || (kind === 'private' && this.settings.allowPrivate);
      if (!allowed) throw blocked(host, kind);
    }
    return addresses;
  }

  /** Why a URL may not be called at all (scheme, credentials, port, plain http), or undefined. */
  urlProblem(url: URL): string | undefined {
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an http(s) URL';
    if (url.username || url.password) return 'must not contain credentials';
    if (url.port && BAD_PORTS.has(Number(url.port))) return `must not use port ${url.port} (blocked for HTTP clients)`;
    const listed = this.allow.hasHost(url.hostname) || (net.isIP(normaliseHost(url.hostname)) > 0 && this.allow.hasAddress(url.hostname));
    if (url.protocol === 'http:' && !this.settings.allowHttp && !listed) {
      return 'must use https (plain http only to hosts in OUTBOUND_ALLOWLIST, or with OUTBOUND_ALLOW_HTTP=true)';
    }
    return undefined;
  }

  /**
   * Checks a URL as it is saved: malformed or not http(s) is `validation_failed`; a host that resolves
   * to a refused address is `url_not_allowed`. A name that does not resolve yet is accepted (the call
   * will say `dns_failed`). Returns the normalised URL.
   */
  async checkUrl(raw: string, field: string): Promise<string> {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw invalid(field, 'must be an absolute http(s) URL');
    }
    const problem = this.urlProblem(url);
    if (problem) throw invalid(field, problem);
    await this.checkHost(url.hostname, field);
    return url.toString();
  }

  /** Checks a host name as it is saved (a mail server): `url_not_allowed` when it resolves to a refused address. */
  async checkHost(host: string, field: string): Promise<void> {
    try {
      await this.resolve(host);
    } catch (err) {
      if (err instanceof OutboundError && err.category === 'blocked_address') throw notAllowed(field, err);
    }
  }

  /** Where a non-HTTP client (IMAP, SMTP) connects: the checked address, and the name its TLS certificate must carry. */
  async pin(host: string): Promise<{ address: string; servername: string | undefined }> {
    const [first] = await this.resolve(host);
    const name = normaliseHost(host);
    return { address: first!.address, servername: net.isIP(name) ? undefined : name };
  }

  /**
   * `fetch` through the policy. Failures throw `OutboundError` with a category and no detail of the
   * other side; a response of any status is returned (the caller decides what its body may show).
   * Redirects are followed here, not by undici, so every hop passes the same URL rule as the first
   * (no https→http downgrade, no blocked port) and credentials never follow to another origin.
   */
  async fetch(input: string | URL, init: RequestInit = {}): Promise<Response> {
    let url = this.callableUrl(input);
    let request: RequestInit = { ...init, headers: new Headers(init.headers) };
    for (let hops = 0; ; hops++) {
      const res = await this.send(url, request);
      const location = REDIRECTS.has(res.status) && init.redirect !== 'manual' ? res.headers.get('location') : null;
      if (location === null) return res;
      await res.body?.cancel().catch(() => undefined);
      if (init.redirect === 'error' || hops >= MAX_REDIRECTS) throw httpFailure(res.status);
      const next = this.callableUrl(new URL(location, url), 'a redirect');
      if (url.protocol === 'https:' && next.protocol !== 'https:') {
        throw new OutboundError('blocked_address', 'a redirect from https to plain http is not followed');
      }
      request = redirected(request, res.status, url.origin !== next.origin);
      url = next;
    }
  }

  /** A URL that passes `urlProblem`, or `blocked_address`. */
  private callableUrl(input: string | URL, what = 'the URL'): URL {
    let url: URL;
    try {
      url = new URL(input);
    } catch {
      throw new OutboundError('blocked_address', `${what} is not an absolute URL`);
    }
    const problem = this.urlProblem(url);
    if (problem) throw new OutboundError('blocked_address', `${what} ${problem}`);
    return url;
  }

  private async send(url: URL, init: RequestInit): Promise<Response> {
    try {
      const res = await undiciFetch(url, { ...(init as UndiciRequestInit), redirect: 'manual', dispatcher: this.dispatcher });
      return res as unknown as Response;
    } catch (err) {
      throw toOutboundError(err);
    }
  }

  /** A fetch function with the policy applied, for SDKs that take one (the LLM client). */
  readonly fetcher = (input: string | URL | Request, init?: RequestInit): Promise<Response> =>
    input instanceof Request ? this.fetch(input.url, { ...requestInit(input), ...init }) : this.fetch(input, init);
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 5;

/**
 * The request for the next hop, as fetch builds it: 303 (and 301/302 after a POST) become a bodiless
 * GET; 307/308 repeat method and body (a stream body cannot be sent twice, so that redirect fails);
 * credentials are dropped when the hop leaves the origin.
 */
function redirected(init: RequestInit, status: number, crossOrigin: boolean): RequestInit {
  const headers = new Headers(init.headers);
  const method = (init.method ?? 'GET').toUpperCase();
  let next: RequestInit = { ...init, headers };
  if ((status === 303 && method !== 'HEAD') || ((status === 301 || status === 302) && method === 'POST')) {
    next = { ...next, method: 'GET', body: undefined };
    for (const name of ['content-type', 'content-length', 'content-encoding', 'content-language']) headers.delete(name);
  } else if (init.body instanceof ReadableStream) {
    throw httpFailure(status);
  }
  if (crossOrigin) for (const name of ['authorization', 'cookie', 'proxy-authorization']) headers.delete(name);
  return next;
}

/** Maps whatever a call threw to a failure category; the cause chain is read, never echoed. */
export function toOutboundError(err: unknown): OutboundError {
  const chain: unknown[] = [];
  for (let e: unknown = err; e && chain.length < 5; e = (e as { cause?: unknown }).cause) chain.push(e);
  const own = chain.find((e): e is OutboundError => e instanceof OutboundError);
  if (own) return own;
  const names = chain.map((e) => (e as { name?: unknown }).name);
  const codes = chain.map((e) => (e as { code?: unknown }).code).filter((c): c is string => typeof c === 'string');
  const timedOut = names.includes('TimeoutError') || names.includes('AbortError');
  if (timedOut || codes.some((c) => /TIMEOUT|ETIMEDOUT/.test(c))) return new OutboundError('timeout', 'no answer in time');
  if (codes.some((c) => /TLS|SSL|CERT|EPROTO|SELF_SIGNED|UNABLE_TO_VERIFY/.test(c))) {
    return new OutboundError('tls_failed', 'the TLS handshake or certificate check failed');
  }
  return new OutboundError('connect_failed', 'could not connect, or the connection failed');
}

/** `http_<status>: answered HTTP <status>`: what a non-2xx answer is reported as (never its body). */
export function httpFailure(status: number): OutboundError {
  return new OutboundError(`http_${status}`, `answered HTTP ${status}`);
}

function blocked(host: string, kind: AddressClass): OutboundError {
  const listable = kind === 'metadata' ? '' : ' (see OUTBOUND_ALLOWLIST)';
  return new OutboundError('blocked_address', `${host} is ${CLASS_NAMES[kind]}, which outbound calls may not reach${listable}`);
}

function invalid(field: string, message: string): AppError {
  return new AppError('validation_failed', `Invalid body: /${field} ${message}`, [{ path: `/${field}`, message }]);
}

/** `url_not_allowed` (422) for a setting whose host the policy refuses. */
export function notAllowed(field: string, err: OutboundError): AppError {
  const message = err.message.replace(/^blocked_address: /, '');
  return new AppError('url_not_allowed', `/${field}: ${message}`, [{ path: `/${field}`, message, category: err.category }]);
}

function requestInit(req: Request): RequestInit {
  return {
    method: req.method,
    headers: req.headers,
    body: req.body,
    signal: req.signal,
    redirect: req.redirect,
    duplex: 'half',
  } as RequestInit;
}
