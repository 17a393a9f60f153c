import http from 'node:http';
import { closeServer, listenOnLoopback, takeToken } from './fake-server.js';

/**
 * A stand-in for the Telegram Bot API (`<root>/bot<token>/<method>`), answering with the real
 * response shapes: `{"ok":true,"result":…}` or `{"ok":false,"error_code","description","parameters"?}`.
 * It keeps webhook registrations (and can deliver updates to them the way Telegram does, with the
 * secret-token header), queues updates for `getUpdates`, records every call, enforces Telegram's
 * send limits (≈1 msg/s per chat with a small burst, 30 msg/s per bot) with 429 `retry_after`, and
 * can be scripted to fail the next calls of a method.
 */

export interface TelegramCall {
  token: string;
  method: string;
  params: Record<string, unknown>;
  at: number;
  /** HTTP status the fake answered with. */
  status: number;
}

export interface SentMessage {
  token: string;
  chatId: string;
  text: string;
  messageId: number;
  at: number;
  /** `reply_parameters.message_id` (or the older `reply_to_message_id`) when the message answers another. */
  replyTo?: number;
  /** Forum topic (`message_thread_id`) it was sent to. */
  threadId?: number;
}

export interface ForumTopic {
  token: string;
  chatId: string;
  threadId: number;
  name: string;
}

interface Failure {
  method: string;
  token?: string;
  status: number;
  description: string;
  retryAfter?: number;
  times: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

interface Bot {
  token: string;
  id: number;
  username: string;
  webhook?: { url: string; secret?: string };
  updates: object[];
  nextUpdateId: number;
  nextMessageId: number;
  waiters: Set<() => void>;
}

export interface FakeTelegramOptions {
  /** Enforce Telegram's flood limits with 429s (default true). */
  enforceLimits?: boolean;
  /** Added latency per request, ms. */
  latencyMs?: number;
}

export class FakeTelegram {
  readonly calls: TelegramCall[] = [];
  readonly sent: SentMessage[] = [];
  readonly topics: ForumTopic[] = [];
  /** Group chats with topics enabled (`createForumTopic` works there only). */
  private readonly forums = new Set<string>();
  private readonly bots = new Map<string, Bot>();
  private readonly failures: Failure[] = [];
  private readonly files = new Map<string, { path: string; content: Buffer }>();
  private readonly buckets = new Map<string, Bucket>();
  private readonly server: http.Server;
  private nextBotId = 700000001;
  url = '';

  constructor(private readonly opts: FakeTelegramOptions = {}) {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 60_000;
  }

  async start(): Promise<this> {
    this.url = await listenOnLoopback(this.server);
    return this;
  }

  async stop(): Promise<void> {
    for (const bot of this.bots.values()) for (const wake of bot.waiters) wake();
    await closeServer(this.server);
  }

  /** Registers a bot and returns its token (a token Telegram would accept). */
  addBot(username = `shop${this.nextBotId}_bot`): string {
    const id = this.nextBotId++;
    const token = `${id}:AAH${Buffer.from(username).toString('base64url').padEnd(32, 'x')}`;
    this.bots.set(token, { token, id, username, updates: [], nextUpdateId: 100000, nextMessageId: 1, waiters: new Set() });
    return token;
  }

  bot(token: string): Bot {
    const bot = this.bots.get(token);
    if (!bot) throw new Error(`unknown bot ${token}`);
    return bot;
  }

  /** Makes the next `times` calls of `method` (of one bot, or any) fail with this Bot API error. */
  fail(method: string, status: number, description: string, opts: { times?: number; retryAfter?: number; token?: string } = {}): void {
    this.failures.push({
      method,
      status,
      description,
      times: opts.times ?? 1,
      ...(opts.token ? { token: opts.token } : {}),
      ...(opts.retryAfter ? { retryAfter: opts.retryAfter } : {}),
    });
  }

  /** Ends every scripted failure (an outage is over). */
  recover(): void {
    this.failures.length = 0;
  }

  /** Turns topics on for a group chat (a forum supergroup). */
  addForum(chatId: number | string): void {
    this.forums.add(String(chatId));
  }

  /** The message a reply quotes, as Telegram embeds it (`reply_to_message`), from what the bot sent. */
  private quoted(bot: Bot, chat: object, messageId: number): object {
    const sent = this.sent.find((s) => s.token === bot.token && s.messageId === messageId);
    return {
      message_id: messageId,
      from: { id: bot.id, is_bot: true, first_name: bot.username, username: bot.username },
      chat,
      date: Math.floor((sent?.at ?? Date.now()) / 1000),
      ...(sent ? { text: sent.text } : {}),
    };
  }

  /**
   * A message in a group (a forum supergroup when `threadId` is given: the message is then inside
   * that topic and, like Telegram does, quotes the topic's opening message unless it replies to another).
   */
  groupUpdate(
    token: string,
    m: { chatId: number; fromId: number; text: string; firstName?: string; username?: string; threadId?: number; replyTo?: number },
  ): { update_id: number; message: object } {
    const bot = this.bot(token);
    const chat = { id: m.chatId, title: 'Operators', type: 'supergroup', ...(this.forums.has(String(m.chatId)) ? { is_forum: true } : {}) };
    const replyTo = m.replyTo ?? m.threadId;
    return {
      update_id: bot.nextUpdateId++,
      message: {
        message_id: bot.nextMessageId++,
        from: {
          id: m.fromId,
          is_bot: false,
          first_name: m.firstName ?? 'Oleg',
          ...(m.username ? { username: m.username } : {}),
          language_code: 'ru',
        },
        chat,
        date: Math.floor(Date.now() / 1000),
        text: m.text,
        ...(m.threadId ? { message_thread_id: m.threadId, is_topic_message: true } : {}),
        ...(replyTo ? { reply_to_message: this.quoted(bot, chat, replyTo) } : {}),
        ...(m.text.startsWith('/') ? { entities: [{ offset: 0, length: m.text.split(' ')[0]!.length, type: 'bot_command' }] } : {}),
      },
    };
  }

  /** A private-chat text message update, as Telegram sends it (`replyTo`: the id of a bot message it answers). */
  textUpdate(
    token: string,
    m: { chatId: number; text: string; firstName?: string; username?: string; messageId?: number; replyTo?: number; languageCode?: string },
  ): { update_id: number; message: object } {
    const bot = this.bot(token);
    const chat = { id: m.chatId, first_name: m.firstName ?? 'Anna', ...(m.username ? { username: m.username } : {}), type: 'private' };
    return {
      update_id: bot.nextUpdateId++,
      message: {
        message_id: m.messageId ?? bot.nextMessageId++,
        from: {
          id: m.chatId,
          is_bot: false,
          first_name: m.firstName ?? 'Anna',
          ...(m.username ? { username: m.username } : {}),
          language_code: m.languageCode ?? 'ru',
        },
        chat,
        date: Math.floor(Date.now() / 1000),
        text: m.text,
        ...(m.replyTo ? { reply_to_message: this.quoted(bot, chat, m.replyTo) } : {}),
        ...(m.text.startsWith('/') ? { entities: [{ offset: 0, length: m.text.split(' ')[0]!.length, type: 'bot_command' }] } : {}),
      },
    };
  }

  /** A file Telegram holds for `getFile` and its download URL. */
  addFile(fileId: string, content: Buffer, filePath = `photos/file_${this.files.size}.jpg`): void {
    this.files.set(fileId, { path: filePath, content });
  }

  /** Queues an update for `getUpdates` (polling mode). */
  queueUpdate(token: string, update: object): void {
    const bot = this.bot(token);
    bot.updates.push(update);
    for (const wake of bot.waiters) wake();
  }

  /** Delivers an update to the bot's webhook like Telegram does; returns the HTTP status it got. */
  async deliver(token: string, update: object, opts: { secret?: string | null } = {}): Promise<number> {
    const hook = this.bot(token).webhook;
    if (!hook) throw new Error('no webhook set for this bot');
    const secret = opts.secret === undefined ? hook.secret : opts.secret;
    const res = await fetch(hook.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(secret ? { 'x-telegram-bot-api-secret-token': secret } : {}) },
      body: JSON.stringify(update),
    });
    await res.arrayBuffer();
    return res.status;
  }

  callsOf(method: string): TelegramCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;
    const download = /^\/file\/bot([^/]+)\/(.+)$/.exec(pathname);
    if (download) {
      const file = [...this.files.values()].find((f) => f.path === download[2]);
      if (!this.bots.has(download[1]!) || !file) {
        res.writeHead(404, { 'content-type': 'application/json' });
        return void res.end(JSON.stringify({ ok: false, error_code: 404, description: 'Not Found' }));
      }
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(file.content.length) });
      return void res.end(file.content);
    }
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(pathname);
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (this.opts.latencyMs) await sleep(this.opts.latencyMs);
    const answer = (status: number, body: object, call?: Omit<TelegramCall, 'status' | 'at'>) => {
      if (call) this.calls.push({ ...call, status, at: Date.now() });
      if (res.destroyed) return;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (!match) return answer(404, { ok: false, error_code: 404, description: 'Not Found' });
    const [, token, method] = match as unknown as [string, string, string];
    const params = parseParams(req.headers['content-type'], Buffer.concat(chunks), req.url ?? '');
    const call = { token, method, params };
    const bot = this.bots.get(token);
    if (!bot) return answer(401, { ok: false, error_code: 401, description: 'Unauthorized' }, call);

    const failure = this.failures.find((f) => f.method === method && f.times > 0 && (!f.token || f.token === token));
    if (failure) {
      failure.times--;
      return answer(
        failure.status,
        {
          ok: false,
          error_code: failure.status,
          description: failure.description,
          ...(failure.retryAfter ? { parameters: { retry_after: failure.retryAfter } } : {}),
        },
        call,
      );
    }

    switch (method) {
      case 'getMe':
        return answer(
          200,
          {
            ok: true,
            result: {
              id: bot.id,
              is_bot: true,
              first_name: bot.username,
              username: bot.username,
              can_join_groups: true,
              can_read_all_group_messages: false,
              supports_inline_queries: false,
            },
          },
          call,
        );
      case 'setWebhook': {
        const url = str(params.url);
        if (!/^https?:\/\//.test(url))
          return answer(
            400,
            { ok: false, error_code: 400, description: 'Bad Request: bad webhook: An HTTPS URL must be provided for webhook' },
            call,
          );
        bot.webhook = { url, ...(params.secret_token ? { secret: str(params.secret_token) } : {}) };
        return answer(200, { ok: true, result: true, description: 'Webhook was set' }, call);
      }
      case 'deleteWebhook':
        delete bot.webhook;
        return answer(200, { ok: true, result: true, description: 'Webhook was deleted' }, call);
      case 'getWebhookInfo':
        return answer(
          200,
          { ok: true, result: { url: bot.webhook?.url ?? '', has_custom_certificate: false, pending_update_count: 0 } },
          call,
        );
      case 'getUpdates':
        return this.getUpdates(bot, params, (status, body) => answer(status, body, call), req);
      case 'getFile': {
        const file = this.files.get(str(params.file_id));
        if (!file) return answer(400, { ok: false, error_code: 400, description: 'Bad Request: invalid file_id' }, call);
        if (file.content.length > 20 * 1024 * 1024)
          return answer(400, { ok: false, error_code: 400, description: 'Bad Request: file is too big' }, call);
        return answer(
          200,
          { ok: true, result: { file_id: str(params.file_id), file_unique_id: 'u', file_size: file.content.length, file_path: file.path } },
          call,
        );
      }
      case 'sendMessage':
        return this.sendMessage(bot, params, (status, body) => answer(status, body, call));
      case 'createForumTopic': {
        const chatId = str(params.chat_id);
        const name = str(params.name);
        if (!name || name.length > 128)
          return answer(400, { ok: false, error_code: 400, description: 'Bad Request: invalid topic name' }, call);
        if (!this.forums.has(chatId))
          return answer(400, { ok: false, error_code: 400, description: 'Bad Request: the chat is not a forum' }, call);
        // A topic's id is the id of the service message that opens it.
        const threadId = bot.nextMessageId++;
        this.topics.push({ token, chatId, threadId, name });
        return answer(200, { ok: true, result: { message_thread_id: threadId, name, icon_color: 7322096 } }, call);
      }
      default:
        return answer(404, { ok: false, error_code: 404, description: 'Not Found: method not found' }, call);
    }
  }

  private async getUpdates(
    bot: Bot,
    params: Record<string, unknown>,
    answer: (s: number, b: object) => void,
    req: http.IncomingMessage,
  ): Promise<void> {
    if (bot.webhook) {
      return answer(409, {
        ok: false,
        error_code: 409,
        description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
      });
    }
    const offset = Number(params.offset ?? 0);
    if (offset) bot.updates = bot.updates.filter((u) => (u as { update_id: number }).update_id >= offset);
    if (bot.updates.length === 0) {
      const timeoutMs = Math.min(Number(params.timeout ?? 0), 50) * 1000;
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          bot.waiters.delete(done);
          resolve();
        };
        const timer = setTimeout(done, timeoutMs);
        bot.waiters.add(done);
        req.on('close', done);
      });
    }
    answer(200, { ok: true, result: bot.updates.slice(0, Number(params.limit ?? 100)) });
  }

  private sendMessage(bot: Bot, params: Record<string, unknown>, answer: (s: number, b: object) => void): void {
    const chatId = str(params.chat_id);
    const text = str(params.text);
    if (!chatId) return answer(400, { ok: false, error_code: 400, description: 'Bad Request: chat_id is empty' });
    if (!text.trim()) return answer(400, { ok: false, error_code: 400, description: 'Bad Request: message text is empty' });
    if (text.length > 4096) return answer(400, { ok: false, error_code: 400, description: 'Bad Request: message is too long' });
    const threadId = params.message_thread_id === undefined ? undefined : Number(params.message_thread_id);
    if (threadId !== undefined && !this.topics.some((t) => t.token === bot.token && t.chatId === chatId && t.threadId === threadId))
      return answer(400, { ok: false, error_code: 400, description: 'Bad Request: message thread not found' });
    const replyParams = objectParam(params.reply_parameters) as { message_id?: unknown } | undefined;
    const replyTo = replyParams?.message_id ?? params.reply_to_message_id;
    if (this.opts.enforceLimits !== false) {
      // Groups: 20 messages a minute; private chats: about one a second with a small burst.
      const group = chatId.startsWith('-');
      const chatWait = group ? this.take(`chat:${bot.token}:${chatId}`, 20, 20 / 60) : this.take(`chat:${bot.token}:${chatId}`, 3, 1);
      const wait = Math.max(chatWait, this.take(`bot:${bot.token}`, 30, 30));
      if (wait > 0) {
        const retryAfter = Math.max(1, Math.ceil(wait));
        return answer(429, {
          ok: false,
          error_code: 429,
          description: `Too Many Requests: retry after ${retryAfter}`,
          parameters: { retry_after: retryAfter },
        });
      }
    }
    const messageId = bot.nextMessageId++;
    const now = Date.now();
    const chat = { id: Number(chatId), type: chatId.startsWith('-') ? 'supergroup' : 'private' };
    const quoted = replyTo === undefined ? undefined : this.quoted(bot, chat, Number(replyTo));
    this.sent.push({
      token: bot.token,
      chatId,
      text,
      messageId,
      at: now,
      ...(replyTo !== undefined ? { replyTo: Number(replyTo) } : {}),
      ...(threadId !== undefined ? { threadId } : {}),
    });
    answer(200, {
      ok: true,
      result: {
        message_id: messageId,
        from: { id: bot.id, is_bot: true, first_name: bot.username, username: bot.username },
        chat,
        date: Math.floor(now / 1000),
        text,
        ...(threadId !== undefined ? { message_thread_id: threadId, is_topic_message: true } : {}),
        ...(quoted ? { reply_to_message: quoted } : {}),
      },
    });
  }

  /** Token bucket; returns seconds until a token is available (0 = taken now). */
  private take(key: string, capacity: number, perSecond: number): number {
    return takeToken(this.buckets, key, capacity, perSecond);
  }
}

function parseParams(contentType: string | undefined, body: Buffer, url: string): Record<string, unknown> {
  const query = Object.fromEntries(new URL(url, 'http://x').searchParams);
  if (body.length === 0) return query;
  if (contentType?.includes('application/json')) return { ...query, ...(JSON.parse(body.toString('utf8')) as Record<string, unknown>) };
  if (contentType?.includes('application/x-www-form-urlencoded'))
    return { ...query, ...Object.fromEntries(new URLSearchParams(body.toString('utf8'))) };
  return query;
}

/** An object parameter: JSON bodies carry it as is, form bodies as a JSON string. */
function objectParam(v: unknown): Record<string, unknown> | undefined {
  if (v && typeof v === 'object') return v as Record<string, unknown>;
  if (typeof v === 'string') {
    try {
      const parsed = JSON.parse(v) as unknown;
      return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function str(v: unknown): string {
  return typeof v === 'string' || typeof v === 'number' ? String(v) : '';
}
