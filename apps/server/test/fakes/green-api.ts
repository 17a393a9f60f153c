import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { closeServer, listenOnLoopback, takeToken } from './fake-server.js';

/**
 * A stand-in for Green-API (`{apiUrl}/waInstance{idInstance}/{method}/{apiTokenInstance}`):
 * `getStateInstance`, `setSettings` (webhook URL and `webhookUrlToken`), `sendMessage` →
 * `{idMessage}`, the notification queue (`receiveNotification` long poll → `{receiptId, body}` or
 * null, `DELETE deleteNotification/{token}/{receiptId}`), `downloadFile`, `readChat`. Notifications
 * go to the webhook URL when one is set (with `Authorization: Bearer <webhookUrlToken>`), otherwise
 * into the queue. It enforces the per-instance rate limits with 429 (sendMessage 50/s, settings and
 * state 1/s with a small burst), the Developer plan's chat quota with 466, a revoked token with 401,
 * and can be scripted to fail the next calls of a method.
 */

export interface GreenInstance {
  idInstance: string;
  apiTokenInstance: string;
  state: string;
  settings: Record<string, string>;
  queue: { receiptId: number; body: object }[];
  revoked: boolean;
  /** Developer plan: at most this many distinct chats per month. */
  correspondents?: { limit: number; chats: Set<string> };
}

export interface GreenCall {
  idInstance: string;
  method: string;
  body: unknown;
  status: number;
  at: number;
}

export interface GreenSent {
  idInstance: string;
  chatId: string;
  message: string;
  idMessage: string;
  at: number;
}

interface Failure {
  method: string;
  idInstance?: string;
  status: number;
  body: object | string;
  retryAfter?: number;
  times: number;
}

export class FakeGreenApi {
  readonly calls: GreenCall[] = [];
  readonly sent: GreenSent[] = [];
  private readonly instances = new Map<string, GreenInstance>();
  private readonly files = new Map<string, { content: Buffer; mimeType: string }>();
  private readonly failures: Failure[] = [];
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly waiters = new Map<string, Set<() => void>>();
  private readonly server: http.Server;
  private nextInstance = 1101000001;
  private nextReceipt = 1;
  url = '';

  constructor() {
    this.server = http.createServer((req, res) => void this.handle(req, res));
  }

  async start(): Promise<this> {
    this.url = await listenOnLoopback(this.server);
    return this;
  }

  async stop(): Promise<void> {
    for (const set of this.waiters.values()) for (const wake of set) wake();
    await closeServer(this.server);
  }

  addInstance(state = 'authorized'): GreenInstance {
    const instance: GreenInstance = {
      idInstance: String(this.nextInstance++),
      apiTokenInstance: randomBytes(25).toString('hex'),
      state,
      settings: {},
      queue: [],
      revoked: false,
    };
    this.instances.set(instance.idInstance, instance);
    return instance;
  }

  /** Makes the next `times` calls of `method` fail with this status and body. */
  fail(method: string, f: { status: number; body?: object | string; times?: number; retryAfter?: number; idInstance?: string }): void {
    this.failures.push({ ...f, method, body: f.body ?? '', times: f.times ?? 1 });
  }

  callsOf(method: string, idInstance?: string): GreenCall[] {
    return this.calls.filter((c) => c.method === method && (!idInstance || c.idInstance === idInstance));
  }

  /** An `incomingMessageReceived` text notification from a private chat. */
  incomingText(i: GreenInstance, m: { chatId: string; text: string; senderName?: string; idMessage?: string }): object {
    return this.incoming(i, m.chatId, m.senderName ?? 'Anna', m.idMessage ?? messageId(), {
      typeMessage: 'textMessage',
      textMessageData: { textMessage: m.text },
    });
  }

  incoming(i: GreenInstance, chatId: string, senderName: string, idMessage: string, messageData: object): object {
    return {
      typeWebhook: 'incomingMessageReceived',
      instanceData: { idInstance: Number(i.idInstance), wid: '79990000000@c.us', typeInstance: 'whatsapp' },
      timestamp: Math.floor(Date.now() / 1000),
      idMessage,
      senderData: { chatId, chatName: senderName, sender: chatId, senderName, senderContactName: '' },
      messageData,
    };
  }

  outgoingStatus(i: GreenInstance, s: { chatId: string; idMessage: string; status: string; description?: string }): object {
    return {
      typeWebhook: 'outgoingMessageStatus',
      chatId: s.chatId,
      instanceData: { idInstance: Number(i.idInstance), wid: '79990000000@c.us', typeInstance: 'whatsapp' },
      timestamp: Math.floor(Date.now() / 1000),
      idMessage: s.idMessage,
      status: s.status,
      ...(s.description ? { description: s.description } : {}),
      sendByApi: true,
    };
  }

  /** Puts a notification in the instance's queue (HTTP API technology); returns its receipt id. */
  enqueue(i: GreenInstance, body: object): number {
    const receiptId = this.nextReceipt++;
    i.queue.push({ receiptId, body });
    for (const wake of this.waiters.get(i.idInstance) ?? []) wake();
    return receiptId;
  }

  /**
   * Sends a notification to the instance's webhook URL like Green-API does (`token` overrides the
   * `webhookUrlToken`, null sends no Authorization header); returns the HTTP status it got.
   */
  async deliver(i: GreenInstance, body: object, opts: { token?: string | null } = {}): Promise<number> {
    const url = i.settings.webhookUrl;
    if (!url) throw new Error('no webhook URL set for this instance');
    const token = opts.token === undefined ? i.settings.webhookUrlToken : opts.token;
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    await res.arrayBuffer();
    return res.status;
  }

  addFile(chatId: string, idMessage: string, content: Buffer, mimeType: string): void {
    this.files.set(`${chatId}/${idMessage}`, { content, mimeType });
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: Record<string, unknown> = {};
    try {
      body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    } catch {
      // Green-API answers 400 to bodies it cannot parse; sendMessage checks its fields below.
    }
    const download = /^\/download\/(.+)$/.exec(url.pathname);
    if (download) {
      const file = this.files.get(decodeURIComponent(download[1]!));
      if (!file) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': file.mimeType, 'content-length': String(file.content.length) });
      return void res.end(file.content);
    }
    const match = /^\/waInstance(\d+)\/([A-Za-z]+)\/([^/]+)(?:\/([^/]+))?$/.exec(url.pathname);
    const idInstance = match?.[1] ?? '';
    const method = match?.[2] ?? '';
    const answer = (status: number, payload: object | string | null, headers: Record<string, string> = {}) => {
      this.calls.push({ idInstance, method, body, status, at: Date.now() });
      if (res.destroyed) return;
      const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
      res.writeHead(status, { 'content-type': typeof payload === 'string' ? 'text/plain' : 'application/json', ...headers });
      res.end(text);
    };
    const instance = this.instances.get(idInstance);
    if (!match || !instance || instance.apiTokenInstance !== match[3] || instance.revoked) return answer(401, 'Unauthorized');
    const failure = this.failures.find((f) => f.method === method && f.times > 0 && (!f.idInstance || f.idInstance === idInstance));
    if (failure) {
      failure.times--;
      return answer(failure.status, failure.body, failure.retryAfter ? { 'retry-after': String(failure.retryAfter) } : {});
    }
    const perSecond = { getStateInstance: 1, setSettings: 1, sendMessage: 50 }[method];
    if (perSecond && this.take(`${idInstance}:${method}`, Math.max(2, perSecond), perSecond) > 0) return answer(429, 'Too Many Requests');

    switch (method) {
      case 'getStateInstance':
        return answer(200, { stateInstance: instance.state });
      case 'setSettings':
        for (const [k, v] of Object.entries(body)) instance.settings[k] = String(v);
        return answer(200, { saveSettings: true });
      case 'sendMessage':
        return this.sendMessage(instance, body, answer);
      case 'receiveNotification':
        return this.receive(instance, Number(url.searchParams.get('receiveTimeout') ?? 5), req, answer);
      case 'deleteNotification': {
        if (req.method !== 'DELETE') return answer(405, 'Method Not Allowed');
        const before = instance.queue.length;
        instance.queue = instance.queue.filter((n) => n.receiptId !== Number(match[4]));
        return answer(200, { result: instance.queue.length < before });
      }
      case 'readChat':
        return answer(200, { setRead: true });
      case 'downloadFile': {
        const key = `${String(body.chatId)}/${String(body.idMessage)}`;
        if (!this.files.has(key)) return answer(400, { message: 'File not found' });
        return answer(200, { downloadUrl: `${this.url}/download/${encodeURIComponent(key)}` });
      }
      default:
        return answer(404, 'Not Found');
    }
  }

  private sendMessage(i: GreenInstance, body: Record<string, unknown>, answer: (status: number, payload: object) => void): void {
    const chatId = typeof body.chatId === 'string' ? body.chatId : '';
    const message = typeof body.message === 'string' ? body.message : '';
    if (!/^\d{5,20}@(c|g)\.us$/.test(chatId)) {
      return answer(400, { code: 400, message: 'Validation failed. Details: chatId is invalid' });
    }
    if (!message.trim()) return answer(400, { code: 400, message: 'Validation failed. Details: message is required' });
    if (message.length > 20_000) return answer(400, { code: 400, message: 'Validation failed. Details: message is too long' });
    const quota = i.correspondents;
    if (quota && !quota.chats.has(chatId) && quota.chats.size >= quota.limit) {
      return answer(466, {
        correspondentsStatus: {
          method: 'correspondents',
          used: String(quota.chats.size),
          total: String(quota.limit),
          status: 'QUOTE_EXCEEDED',
          description: `Monthly quota has been exceeded: messages can be sent to ${quota.limit} chats only. Upgrade the plan to remove the limit`,
        },
      });
    }
    quota?.chats.add(chatId);
    const idMessage = messageId();
    this.sent.push({ idInstance: i.idInstance, chatId, message, idMessage, at: Date.now() });
    answer(200, { idMessage });
  }

  private async receive(
    i: GreenInstance,
    seconds: number,
    req: http.IncomingMessage,
    answer: (status: number, payload: object | null) => void,
  ): Promise<void> {
    if (i.queue.length === 0) {
      const timeoutMs = Math.min(Math.max(seconds, 5), 60) * 1000;
      await new Promise<void>((resolve) => {
        const set = this.waiters.get(i.idInstance) ?? new Set<() => void>();
        this.waiters.set(i.idInstance, set);
        const done = () => {
          clearTimeout(timer);
          set.delete(done);
          resolve();
        };
        const timer = setTimeout(done, timeoutMs);
        set.add(done);
        req.socket.once('close', done);
      });
    }
    const head = i.queue[0];
    answer(200, head ? { receiptId: head.receiptId, body: head.body } : null);
  }

  /** Token bucket; returns seconds until a token is available (0 = taken now). */
  private take(key: string, capacity: number, perSecond: number): number {
    return takeToken(this.buckets, key, capacity, perSecond);
  }
}

function messageId(): string {
  return randomBytes(8).toString('hex').toUpperCase();
}
