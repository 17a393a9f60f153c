import { createHmac, randomBytes } from 'node:crypto';
import http from 'node:http';
import { closeServer, listenOnLoopback, takeToken } from './fake-server.js';

/**
 * A stand-in for Meta's WhatsApp Cloud API (Graph API `<root>/v21.0/...`) and for Meta's side of the
 * webhook: it answers with the real shapes (`{"messages":[{"id":"wamid…"}]}`, errors as
 * `{"error":{message,type,code,error_subcode,error_data,fbtrace_id}}`), checks Bearer tokens (an
 * expired token gets 401 / code 190), enforces the 80 msg/s throughput (130429) and the pair rate
 * (a 45-message burst refilled at one per 6 s: 131056), reports messages to customers whose 24-hour
 * window is closed as failed with 131047 (asynchronously, in a status webhook, as Meta does), and
 * signs webhook deliveries with `X-Hub-Signature-256` over the exact bytes it sends (non-ASCII
 * escaped as \uXXXX and `/` as `\/`, like Meta, so a re-serialised body would not verify).
 */

export interface WhatsappNumber {
  phoneNumberId: string;
  displayPhoneNumber: string;
  verifiedName: string;
  accessToken: string;
  appSecret: string;
  tokenExpired: boolean;
  /** Set when the admin "saves" the callback URL in the dashboard (see `configureWebhook`). */
  webhook?: { url: string };
  /** wa_id → when the customer last wrote (the customer service window). */
  windows: Map<string, number>;
}

export interface WhatsappSent {
  phoneNumberId: string;
  to: string;
  text: string;
  id: string;
  at: number;
}

export interface WhatsappCall {
  method: string;
  path: string;
  body: unknown;
  status: number;
  at: number;
}

interface Failure {
  op: 'messages' | 'phone' | 'media';
  phoneNumberId?: string;
  httpStatus: number;
  code?: number;
  message: string;
  details?: string;
  retryAfter?: number;
  times: number;
}

const VERSION = 'v21.0';
const DAY_MS = 24 * 3600_000;

export class FakeWhatsApp {
  readonly calls: WhatsappCall[] = [];
  readonly sent: WhatsappSent[] = [];
  private readonly numbers = new Map<string, WhatsappNumber>();
  private readonly media = new Map<string, { content: Buffer; mimeType: string; downloadUrl?: string }>();
  private readonly failures: Failure[] = [];
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly server: http.Server;
  private nextNumber = 100000000000001;
  url = '';

  constructor() {
    this.server = http.createServer((req, res) => void this.handle(req, res));
  }

  /** The Graph API root adapters are configured with (`WHATSAPP_API_ROOT`). */
  get apiRoot(): string {
    return `${this.url}/${VERSION}`;
  }

  async start(): Promise<this> {
    this.url = await listenOnLoopback(this.server);
    return this;
  }

  async stop(): Promise<void> {
    await closeServer(this.server);
  }

  /** A business number of a Meta app, with a working access token and the app's secret. */
  addNumber(verifiedName = 'Shop'): WhatsappNumber {
    const id = String(this.nextNumber++);
    const number: WhatsappNumber = {
      phoneNumberId: id,
      displayPhoneNumber: `+1 555-01${id.slice(-2)}`,
      verifiedName,
      accessToken: `EAAG${randomBytes(30).toString('base64url')}`,
      appSecret: randomBytes(16).toString('hex'),
      tokenExpired: false,
      windows: new Map(),
    };
    this.numbers.set(id, number);
    return number;
  }

  number(phoneNumberId: string): WhatsappNumber {
    const n = this.numbers.get(phoneNumberId);
    if (!n) throw new Error(`unknown number ${phoneNumberId}`);
    return n;
  }

  /** Makes the next `times` calls of an operation fail with this Graph error. */
  fail(op: Failure['op'], f: Omit<Failure, 'op' | 'times'> & { times?: number }): void {
    this.failures.push({ ...f, op, times: f.times ?? 1 });
  }

  /** As if 24 hours passed since this customer last wrote. */
  closeWindow(phoneNumberId: string, waId: string): void {
    this.number(phoneNumberId).windows.set(waId, Date.now() - DAY_MS - 1000);
  }

  /** A stored file; `downloadUrl` replaces the download link Graph answers with (default: this server). */
  addMedia(content: Buffer, mimeType: string, downloadUrl?: string): string {
    const id = String(1_000_000_000_000 + this.media.size);
    this.media.set(id, { content, mimeType, downloadUrl });
    return id;
  }

  /**
   * The admin saves the callback URL and verify token in the Meta app dashboard: Meta checks it with
   * a `hub.challenge` GET and keeps the URL only if the challenge comes back.
   */
  async configureWebhook(phoneNumberId: string, url: string, verifyToken: string): Promise<{ status: number; text: string }> {
    const result = await this.verify(url, verifyToken);
    if (result.status === 200 && result.text === result.challenge) this.number(phoneNumberId).webhook = { url };
    return result;
  }

  async verify(url: string, verifyToken: string, mode = 'subscribe'): Promise<{ status: number; text: string; challenge: string }> {
    const challenge = String(Math.floor(Math.random() * 1e9));
    const q = new URLSearchParams({ 'hub.mode': mode, 'hub.verify_token': verifyToken, 'hub.challenge': challenge });
    const res = await fetch(`${url}?${q}`);
    return { status: res.status, text: await res.text(), challenge };
  }

  /** A customer's text message as Meta posts it; opens the customer's 24-hour window. */
  textMessage(n: WhatsappNumber, m: { from: string; text: string; name?: string; id?: string }): object {
    n.windows.set(m.from, Date.now());
    return this.messagesChange(n, {
      contacts: [{ profile: { name: m.name ?? 'Anna' }, wa_id: m.from }],
      messages: [
        { from: m.from, id: m.id ?? wamid(), timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: m.text } },
      ],
    });
  }

  /** Any `messages` change value (media, location, several messages…) wrapped like Meta does. */
  messagesChange(n: WhatsappNumber, value: Record<string, unknown>): object {
    return {
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '102290129340398',
          changes: [
            {
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: n.displayPhoneNumber.replace(/\D/g, ''), phone_number_id: n.phoneNumberId },
                ...value,
              },
              field: 'messages',
            },
          ],
        },
      ],
    };
  }

  statusUpdate(n: WhatsappNumber, s: { id: string; status: string; recipient: string; errors?: object[] }): object {
    return this.messagesChange(n, {
      statuses: [
        {
          id: s.id,
          status: s.status,
          timestamp: String(Math.floor(Date.now() / 1000)),
          recipient_id: s.recipient,
          ...(s.errors ? { errors: s.errors } : {}),
        },
      ],
    });
  }

  /** Meta's byte form of a webhook body: non-ASCII as \uXXXX and `/` escaped. */
  serialise(body: object): string {
    return JSON.stringify(body)
      .replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
      .replace(/\//g, '\\/');
  }

  signature(appSecret: string, raw: string | Buffer): string {
    return `sha256=${createHmac('sha256', appSecret).update(raw).digest('hex')}`;
  }

  /**
   * Posts a body to the number's webhook (or `opts.url`), signed with the app secret unless told
   * otherwise (`signature: null` sends none); returns the HTTP status Meta would see.
   */
  async deliver(
    n: WhatsappNumber,
    body: object,
    opts: { url?: string; signature?: string | null; appSecret?: string } = {},
  ): Promise<number> {
    const url = opts.url ?? n.webhook?.url;
    if (!url) throw new Error('no webhook configured for this number');
    const raw = this.serialise(body);
    const signature = opts.signature === undefined ? this.signature(opts.appSecret ?? n.appSecret, raw) : opts.signature;
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(signature ? { 'x-hub-signature-256': signature } : {}) },
      body: raw,
    });
    await res.arrayBuffer();
    return res.status;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = raw;
    }
    const answer = (status: number, payload: object, headers: Record<string, string> = {}) => {
      this.calls.push({ method: req.method ?? 'GET', path: url.pathname, body, status, at: Date.now() });
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(payload));
    };
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];

    const download = /^\/media-download\/(\d+)$/.exec(url.pathname);
    if (download) {
      const file = this.media.get(download[1]!);
      if (!this.tokenValid(token)) return answer(401, graphError(190, 'Invalid OAuth access token - Cannot parse access token'));
      if (!file) return answer(404, graphError(100, 'Not found'));
      this.calls.push({ method: 'GET', path: url.pathname, body: undefined, status: 200, at: Date.now() });
      res.writeHead(200, { 'content-type': file.mimeType, 'content-length': String(file.content.length) });
      return void res.end(file.content);
    }

    const match = new RegExp(`^/${VERSION.replace('.', '\\.')}/(\\d+)(/messages)?$`).exec(url.pathname);
    if (!match) return answer(404, graphError(100, 'Unknown path components'));
    const [, id, messages] = match as unknown as [string, string, string | undefined];
    const number = this.numbers.get(id);

    if (!number && !messages && this.media.has(id)) {
      if (!this.tokenValid(token)) return answer(401, graphError(190, 'Invalid OAuth access token - Cannot parse access token'));
      const failure = this.takeFailure('media', undefined);
      if (failure) return answer(failure.httpStatus, graphError(failure.code, failure.message, failure.details));
      const file = this.media.get(id)!;
      return answer(200, {
        messaging_product: 'whatsapp',
        url: file.downloadUrl ?? `${this.url}/media-download/${id}`,
        mime_type: file.mimeType,
        sha256: 'x',
        file_size: file.content.length,
        id,
      });
    }
    if (!number) {
      return answer(
        400,
        graphError(
          100,
          `Unsupported get request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
          undefined,
          33,
        ),
      );
    }
    if (token !== number.accessToken) return answer(401, graphError(190, 'Invalid OAuth access token - Cannot parse access token'));
    if (number.tokenExpired) {
      return answer(
        401,
        graphError(190, 'Error validating access token: Session has expired on Tuesday, 01-Jul-25 10:00:00 PDT.', undefined, 463),
      );
    }
    const failure = this.takeFailure(messages ? 'messages' : 'phone', id);
    if (failure) {
      return answer(
        failure.httpStatus,
        graphError(failure.code, failure.message, failure.details),
        failure.retryAfter ? { 'retry-after': String(failure.retryAfter) } : {},
      );
    }
    if (!messages) {
      if (req.method !== 'GET') return answer(400, graphError(100, 'Unsupported post request'));
      return answer(200, { display_phone_number: number.displayPhoneNumber, verified_name: number.verifiedName, id });
    }
    return this.sendMessage(number, body, answer);
  }

  private sendMessage(n: WhatsappNumber, body: unknown, answer: (status: number, payload: object) => void): void {
    const b = (body ?? {}) as { messaging_product?: string; to?: string; type?: string; text?: { body?: string } };
    if (b.messaging_product !== 'whatsapp') return answer(400, graphError(100, '(#100) The parameter messaging_product is required.'));
    if (!b.to || !/^\d{6,20}$/.test(b.to)) return answer(400, graphError(100, '(#100) Invalid parameter', 'Invalid recipient'));
    if (b.type !== 'text' || !b.text?.body?.trim())
      return answer(400, graphError(100, '(#100) Invalid parameter', 'text.body is required'));
    if (b.text.body.length > 4096) return answer(400, graphError(100, '(#100) Invalid parameter', 'text.body is too long'));
    if (this.take(`tput:${n.phoneNumberId}`, 80, 80) > 0) {
      return answer(400, graphError(130429, '(#130429) Rate limit hit', 'Cloud API message throughput has been reached.'));
    }
    if (this.take(`pair:${n.phoneNumberId}:${b.to}`, 45, 1 / 6) > 0) {
      return answer(
        400,
        graphError(
          131056,
          '(#131056) (Business Account, Consumer Account) pair rate limit hit',
          'Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time.',
        ),
      );
    }
    const id = wamid();
    this.sent.push({ phoneNumberId: n.phoneNumberId, to: b.to, text: b.text.body, id, at: Date.now() });
    answer(200, { messaging_product: 'whatsapp', contacts: [{ input: b.to, wa_id: b.to }], messages: [{ id }] });
    const opened = n.windows.get(b.to);
    if (n.webhook && (opened === undefined || Date.now() - opened > DAY_MS)) {
      // Meta accepts the request and reports the closed window afterwards, in a status webhook.
      const failed = this.statusUpdate(n, {
        id,
        status: 'failed',
        recipient: b.to,
        errors: [
          {
            code: 131047,
            title: 'Re-engagement message',
            message: 'Re-engagement message',
            error_data: {
              details: 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
            },
          },
        ],
      });
      setTimeout(() => void this.deliver(n, failed).catch(() => undefined), 50);
    }
  }

  private tokenValid(token: string | undefined): boolean {
    return [...this.numbers.values()].some((n) => n.accessToken === token && !n.tokenExpired);
  }

  private takeFailure(op: Failure['op'], phoneNumberId: string | undefined): Failure | undefined {
    const f = this.failures.find((x) => x.op === op && x.times > 0 && (!x.phoneNumberId || x.phoneNumberId === phoneNumberId));
    if (f) f.times--;
    return f;
  }

  /** Token bucket; returns seconds until a token is available (0 = taken now). */
  private take(key: string, capacity: number, perSecond: number): number {
    return takeToken(this.buckets, key, capacity, perSecond);
  }
}

function graphError(code: number | undefined, message: string, details?: string, subcode?: number): object {
  return {
    error: {
      message,
      type: code === 190 ? 'OAuthException' : code === 100 ? 'GraphMethodException' : 'OAuthException',
      ...(code === undefined ? {} : { code }),
      ...(subcode ? { error_subcode: subcode } : {}),
      ...(details ? { error_data: { messaging_product: 'whatsapp', details } } : {}),
      fbtrace_id: randomBytes(8).toString('base64url'),
    },
  };
}

function wamid(): string {
  return `wamid.${randomBytes(24).toString('base64')}`;
}
