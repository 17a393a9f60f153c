import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { closeServer, listenOnLoopback } from './fake-server.js';

/**
 * A stand-in for the Avito API (api.avito.ru) with the real shapes: OAuth `POST /token` (form body;
 * client_credentials, authorization_code, refresh_token with rotation; `{error, error_description}`
 * with 400/401), `/core/v1/accounts/self`, messenger chats v2, messages v3, send v1, read, webhook
 * v3 subscribe/unsubscribe, errors `{"error":{"code","message"}}`, 403 for an expired token. It
 * keeps chats and messages, delivers webhooks (own sends echo back, as Avito does), and can be
 * scripted to fail calls (429 with Retry-After, 503…) or to slow a route down.
 */

export type AvitoRoute = 'token' | 'self' | 'subscribe' | 'unsubscribe' | 'chats' | 'chat' | 'messages' | 'send' | 'read' | 'voice';

export interface AvitoCall {
  route: AvitoRoute | 'unknown';
  method: string;
  path: string;
  params: Record<string, unknown>;
  token: string | undefined;
  status: number;
  at: number;
}

export interface AvitoSentMessage {
  userId: number;
  chatId: string;
  text: string;
  id: string;
  at: number;
}

export interface FakeAvitoMessage {
  id: string;
  author_id: number;
  created: number;
  direction: 'in' | 'out';
  type: string;
  content: Record<string, unknown>;
  is_read: boolean;
}

interface Chat {
  id: string;
  created: number;
  updated: number;
  type: 'u2i' | 'u2u';
  item: { id: number; title: string; price_string: string; url: string } | null;
  customer: { id: number; name: string };
  messages: FakeAvitoMessage[];
}

interface Account {
  id: number;
  name: string;
  webhooks: string[];
  chats: Map<string, Chat>;
}

interface Failure {
  route: AvitoRoute;
  status: number;
  message: string;
  times: number;
  skip: number;
  retryAfter?: number;
  rateLimitReset?: number;
  /** Only calls about this chat. */
  chatId?: string;
  /** Only `/token` calls of this client. */
  clientId?: string;
}

export class FakeAvito {
  readonly calls: AvitoCall[] = [];
  readonly sent: AvitoSentMessage[] = [];
  readonly reads: { userId: number; chatId: string }[] = [];
  /** `/token` requests that issued a token: which grant, and the refresh token used. */
  readonly grants: { clientId: string; grantType: string; refreshToken?: string; issuedRefreshToken?: string }[] = [];
  /** Answer the messages list as `{messages: […]}` instead of a bare array (Avito does both). */
  messagesAsObject = false;
  /** Post own sent messages back to the account's webhooks (`author_id == user_id`), as Avito does. */
  echoSends = true;
  /** Added latency per route, ms. */
  readonly latency: Partial<Record<AvitoRoute, number>> = {};
  private readonly accounts = new Map<number, Account>();
  private readonly apps = new Map<string, { secret: string; userId: number }>();
  private readonly codes = new Map<string, { clientId: string; userId: number; redirectUri: string }>();
  private readonly tokens = new Map<string, { userId: number; expired: boolean }>();
  private readonly refreshTokens = new Map<string, { clientId: string; userId: number }>();
  private readonly failures: Failure[] = [];
  private readonly server: http.Server;
  private nextUserId = 90_000_001;
  private nextCustomerId = 50_000_001;
  url = '';

  constructor() {
    this.server = http.createServer((req, res) => void this.handle(req, res));
  }

  async start(): Promise<this> {
    this.url = await listenOnLoopback(this.server);
    return this;
  }

  async stop(): Promise<void> {
    await closeServer(this.server);
  }

  /** An Avito account with an API client (client credentials) of its own. */
  addAccount(name = 'Магазин'): { userId: number; clientId: string; clientSecret: string } {
    const userId = this.nextUserId++;
    this.accounts.set(userId, { id: userId, name, webhooks: [], chats: new Map() });
    const clientId = `cid_${randomBytes(8).toString('hex')}`;
    const clientSecret = `cs_${randomBytes(16).toString('hex')}`;
    this.apps.set(clientId, { secret: clientSecret, userId });
    return { userId, clientId, clientSecret };
  }

  /** An authorization code the account's owner granted to a client (single use). */
  issueCode(clientId: string, userId: number, redirectUri: string): string {
    const code = randomBytes(12).toString('base64url');
    this.codes.set(code, { clientId, userId, redirectUri });
    return code;
  }

  account(userId: number): Account {
    const a = this.accounts.get(userId);
    if (!a) throw new Error(`unknown Avito account ${userId}`);
    return a;
  }

  /** A chat of a customer about a listing (or none: a u2u chat). */
  addChat(
    userId: number,
    opts: { customerName?: string; item?: { title: string; price_string: string; url: string } | null } = {},
  ): { chatId: string; customerId: number } {
    const now = nowSec();
    const customerId = this.nextCustomerId++;
    const chatId = `u2i-${randomBytes(9).toString('base64url')}`;
    const item =
      opts.item === null
        ? null
        : {
            id: 3_000_000_000 + customerId,
            ...(opts.item ?? {
              title: 'Велосипед горный',
              price_string: '12 500 ₽',
              url: `https://www.avito.ru/moskva/velosipedy/${customerId}`,
            }),
          };
    this.account(userId).chats.set(chatId, {
      id: chatId,
      created: now,
      updated: now,
      type: item ? 'u2i' : 'u2u',
      item,
      customer: { id: customerId, name: opts.customerName ?? 'Покупатель' },
      messages: [],
    });
    return { chatId, customerId };
  }

  chat(userId: number, chatId: string): Chat {
    const chat = this.account(userId).chats.get(chatId);
    if (!chat) throw new Error(`unknown chat ${chatId}`);
    return chat;
  }

  /** The customer writes in a chat: kept for the lists; delivered to the webhooks unless `webhook: false`. */
  async customerWrites(userId: number, chatId: string, text: string, opts: { webhook?: boolean } = {}): Promise<FakeAvitoMessage> {
    const chat = this.chat(userId, chatId);
    const message = this.append(chat, { author_id: chat.customer.id, direction: 'in', content: { text } });
    if (opts.webhook !== false) await this.deliverToAll(userId, this.webhookPayload(userId, chatId, message));
    return message;
  }

  /** The body Avito posts to a webhook for one message. */
  webhookPayload(userId: number, chatId: string, m: FakeAvitoMessage): object {
    const chat = this.chat(userId, chatId);
    return {
      id: randomBytes(16).toString('hex'),
      version: 'v3.0.0',
      timestamp: nowSec(),
      payload: {
        type: 'message',
        value: {
          id: m.id,
          chat_id: chatId,
          user_id: userId,
          author_id: m.author_id,
          created: m.created,
          type: m.type,
          chat_type: chat.type,
          content: m.content,
          ...(chat.item ? { item_id: chat.item.id } : {}),
          published_at: new Date(m.created * 1000).toISOString(),
        },
      },
    };
  }

  /** Posts `body` to a webhook URL like Avito does; returns the HTTP status it got. */
  async deliver(url: string, body: object): Promise<number> {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    await res.arrayBuffer();
    return res.status;
  }

  async deliverToAll(userId: number, body: object): Promise<number[]> {
    return Promise.all(this.account(userId).webhooks.map((url) => this.deliver(url, body)));
  }

  /** Every access token of the account expires: Avito answers 403 to them from now on. */
  expireTokens(userId: number): void {
    for (const t of this.tokens.values()) if (t.userId === userId) t.expired = true;
  }

  /** Makes matching calls (of one chat, or any) fail: the first `skip` pass, then `times` fail with this status. */
  fail(
    route: AvitoRoute,
    status: number,
    message: string,
    opts: { times?: number; skip?: number; retryAfter?: number; rateLimitReset?: number; chatId?: string; clientId?: string } = {},
  ): void {
    this.failures.push({ ...opts, route, status, message, times: opts.times ?? 1, skip: opts.skip ?? 0 });
  }

  callsOf(route: AvitoRoute): AvitoCall[] {
    return this.calls.filter((c) => c.route === route);
  }

  private append(chat: Chat, m: Pick<FakeAvitoMessage, 'author_id' | 'direction' | 'content'>): FakeAvitoMessage {
    const message: FakeAvitoMessage = {
      id: randomBytes(16).toString('hex'),
      created: nowSec(),
      type: 'text',
      is_read: m.direction === 'out',
      ...m,
    };
    chat.messages.push(message);
    chat.updated = message.created;
    return message;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const params = parseParams(req.headers['content-type'], Buffer.concat(chunks), url);
    const method = req.method ?? 'GET';
    const route = routeOf(method, url.pathname);
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ') ? auth.slice(7) : undefined;
    const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      this.calls.push({ route: route?.name ?? 'unknown', method, path: url.pathname, params, token, status, at: Date.now() });
      if (res.destroyed) return;
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    const error = (status: number, message: string, headers: Record<string, string> = {}) =>
      answer(status, { error: { code: status, message } }, headers);
    if (!route) return error(404, 'not found');
    const delay = this.latency[route.name];
    if (delay) await new Promise((r) => setTimeout(r, delay));

    const chatArg = route.args[1] !== undefined ? decodeURIComponent(route.args[1]) : undefined;
    const failure = this.failures.find(
      (f) =>
        f.route === route.name && f.times > 0 && (!f.chatId || f.chatId === chatArg) && (!f.clientId || f.clientId === params.client_id),
    );
    if (failure && failure.skip > 0) failure.skip--;
    else if (failure) {
      failure.times--;
      const headers: Record<string, string> = {};
      if (failure.retryAfter) headers['retry-after'] = String(failure.retryAfter);
      if (failure.rateLimitReset) headers['x-ratelimit-reset'] = String(failure.rateLimitReset);
      if (failure.status === 429) headers['x-ratelimit-remaining'] = '0';
      if (route.name === 'token') return answer(failure.status, { error: 'temporarily_unavailable', error_description: failure.message });
      return error(failure.status, failure.message, headers);
    }

    if (route.name === 'token') return this.token(params, answer);
    const holder = token ? this.tokens.get(token) : undefined;
    if (!holder || holder.expired) return error(403, 'Forbidden: invalid or expired access token');
    const account = this.account(holder.userId);
    const uid = route.args[0];
    if (uid !== undefined && Number(uid) !== account.id) return error(403, 'Forbidden: no access to this account');
    const chat = route.args[1] !== undefined ? account.chats.get(decodeURIComponent(route.args[1])) : undefined;
    if (route.args[1] !== undefined && !chat) return error(404, 'chat not found');

    switch (route.name) {
      case 'self':
        return answer(200, {
          id: account.id,
          name: account.name,
          email: 'shop@example.ru',
          phone: '79000000000',
          profile_url: 'https://avito.ru/user/x',
        });
      case 'subscribe': {
        const hook = str(params.url);
        if (!/^https?:\/\//.test(hook)) return error(400, 'url: invalid url');
        if (!account.webhooks.includes(hook)) account.webhooks.push(hook);
        return answer(200, { ok: true });
      }
      case 'unsubscribe': {
        account.webhooks = account.webhooks.filter((h) => h !== str(params.url));
        return answer(200, { ok: true });
      }
      case 'chats': {
        const types = str(params.chat_types || 'u2i').split(',');
        const unreadOnly = str(params.unread_only) === 'true';
        const limit = Math.min(100, Number(params.limit ?? 100));
        const offset = Number(params.offset ?? 0);
        if (offset > 1000) return error(400, 'offset: must be at most 1000');
        const chats = [...account.chats.values()]
          .filter((c) => types.includes(c.type) && (!unreadOnly || c.messages.some((m) => m.direction === 'in' && !m.is_read)))
          .sort((a, b) => b.updated - a.updated)
          .slice(offset, offset + limit);
        return answer(200, { chats: chats.map((c) => this.chatJson(account, c)) });
      }
      case 'chat':
        return answer(200, this.chatJson(account, chat!));
      case 'messages': {
        const limit = Math.min(100, Number(params.limit ?? 100));
        const offset = Number(params.offset ?? 0);
        const list = [...chat!.messages].reverse().slice(offset, offset + limit);
        return answer(200, this.messagesAsObject ? { messages: list } : list);
      }
      case 'send': {
        const message = params.message as { text?: unknown } | undefined;
        const text = typeof message?.text === 'string' ? message.text : '';
        if (params.type !== 'text' || !text.trim()) return error(400, 'message.text: must not be empty');
        if ([...text].length > 1000) return error(400, 'message.text: must be at most 1000 characters');
        const m = this.append(chat!, { author_id: account.id, direction: 'out', content: { text } });
        this.sent.push({ userId: account.id, chatId: chat!.id, text, id: m.id, at: Date.now() });
        answer(200, { id: m.id, created: m.created, direction: 'out', type: 'text', content: { text } });
        if (this.echoSends) {
          const body = this.webhookPayload(account.id, chat!.id, m);
          setTimeout(() => void this.deliverToAll(account.id, body).catch(() => undefined), 20);
        }
        return;
      }
      case 'read':
        for (const m of chat!.messages) if (m.direction === 'in') m.is_read = true;
        this.reads.push({ userId: account.id, chatId: chat!.id });
        return answer(200, { ok: true });
      case 'voice': {
        const id = str(params.voice_ids);
        return answer(200, { voices_urls: { [id]: `${this.url}/files/voice/${id}.mp4` } });
      }
      default:
        return error(404, 'not found');
    }
  }

  private token(params: Record<string, unknown>, answer: (status: number, body: unknown) => void): void {
    const clientId = str(params.client_id);
    const app = this.apps.get(clientId);
    if (!app || app.secret !== str(params.client_secret)) {
      return answer(401, {
        error: 'invalid_client',
        error_description: 'Client authentication failed: invalid client_id or client_secret',
      });
    }
    const grantType = str(params.grant_type);
    let userId = app.userId;
    let withRefresh = false;
    const usedRefresh = str(params.refresh_token) || undefined;
    if (grantType === 'authorization_code') {
      const code = this.codes.get(str(params.code));
      if (!code || code.clientId !== clientId || (params.redirect_uri !== undefined && str(params.redirect_uri) !== code.redirectUri)) {
        return answer(400, { error: 'invalid_grant', error_description: 'The authorization code is invalid, expired or already used' });
      }
      this.codes.delete(str(params.code));
      userId = code.userId;
      withRefresh = true;
    } else if (grantType === 'refresh_token') {
      const held = usedRefresh ? this.refreshTokens.get(usedRefresh) : undefined;
      if (!held || held.clientId !== clientId) {
        return answer(400, { error: 'invalid_grant', error_description: 'The refresh token is invalid or was already used' });
      }
      this.refreshTokens.delete(usedRefresh!); // rotation: a refresh token works once
      userId = held.userId;
      withRefresh = true;
    } else if (grantType !== 'client_credentials') {
      return answer(400, { error: 'unsupported_grant_type', error_description: `grant_type ${grantType} is not supported` });
    }
    const accessToken = randomBytes(24).toString('base64url');
    this.tokens.set(accessToken, { userId, expired: false });
    const refreshToken = withRefresh ? randomBytes(24).toString('base64url') : undefined;
    if (refreshToken) this.refreshTokens.set(refreshToken, { clientId, userId });
    this.grants.push({
      clientId,
      grantType,
      ...(usedRefresh ? { refreshToken: usedRefresh } : {}),
      ...(refreshToken ? { issuedRefreshToken: refreshToken } : {}),
    });
    answer(200, {
      access_token: accessToken,
      expires_in: 86400,
      token_type: 'Bearer',
      ...(refreshToken ? { refresh_token: refreshToken, scope: 'messenger:read,messenger:write,user:read' } : {}),
    });
  }

  private chatJson(account: Account, c: Chat): object {
    const last = c.messages[c.messages.length - 1];
    return {
      id: c.id,
      created: c.created,
      updated: c.updated,
      context: c.item ? { type: 'item', value: { ...c.item, status_id: 0, user_id: account.id, images: {} } } : { type: 'user', value: {} },
      ...(last
        ? {
            last_message: {
              id: last.id,
              author_id: last.author_id,
              created: last.created,
              direction: last.direction,
              type: last.type,
              content: last.content,
            },
          }
        : {}),
      users: [
        { id: account.id, name: account.name },
        { id: c.customer.id, name: c.customer.name },
      ],
    };
  }
}

const ROUTES: [string, AvitoRoute, RegExp][] = [
  ['POST', 'token', /^\/token\/?$/],
  ['GET', 'self', /^\/core\/v1\/accounts\/self$/],
  ['POST', 'subscribe', /^\/messenger\/v3\/webhook$/],
  ['POST', 'unsubscribe', /^\/messenger\/v1\/webhook\/unsubscribe$/],
  ['GET', 'chats', /^\/messenger\/v2\/accounts\/(\d+)\/chats$/],
  ['GET', 'chat', /^\/messenger\/v2\/accounts\/(\d+)\/chats\/([^/]+)$/],
  ['GET', 'messages', /^\/messenger\/v3\/accounts\/(\d+)\/chats\/([^/]+)\/messages\/?$/],
  ['POST', 'send', /^\/messenger\/v1\/accounts\/(\d+)\/chats\/([^/]+)\/messages$/],
  ['POST', 'read', /^\/messenger\/v1\/accounts\/(\d+)\/chats\/([^/]+)\/read$/],
  ['GET', 'voice', /^\/messenger\/v1\/accounts\/(\d+)\/getVoiceFiles$/],
];

function routeOf(method: string, path: string): { name: AvitoRoute; args: string[] } | undefined {
  for (const [m, name, re] of ROUTES) {
    const match = m === method ? re.exec(path) : null;
    if (match) return { name, args: match.slice(1) };
  }
  return undefined;
}

function parseParams(contentType: string | undefined, body: Buffer, url: URL): Record<string, unknown> {
  const query = Object.fromEntries(url.searchParams);
  if (body.length === 0) return query;
  if (contentType?.includes('application/json')) return { ...query, ...(JSON.parse(body.toString('utf8')) as Record<string, unknown>) };
  if (contentType?.includes('application/x-www-form-urlencoded'))
    return { ...query, ...Object.fromEntries(new URLSearchParams(body.toString('utf8'))) };
  return query;
}

const nowSec = () => Math.floor(Date.now() / 1000);

function str(v: unknown): string {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
}
