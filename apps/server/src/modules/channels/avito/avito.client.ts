import { SendError } from '../adapter.js';
import { errorMessage } from '../channels.util.js';

/** An Avito API answer other than 2xx (status 0: Avito could not be reached). */
export class AvitoApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/** Avito refused our credentials: the token endpoint rejected them, or a fresh token still got 403. */
export class AvitoAuthError extends Error {}

/** Gives the access token to call with, and a new one when Avito refused `stale` (403). */
export interface TokenSource {
  token(): Promise<string>;
  renew(stale: string): Promise<string>;
}

export interface AvitoChat {
  id: string;
  created?: number;
  updated?: number;
  context?: { type?: string; value?: { id?: number; title?: string; price_string?: string; url?: string } };
  last_message?: { created?: number; direction?: string; author_id?: number };
  users?: { id: number; name?: string }[];
}

export interface AvitoMessage {
  id: string;
  author_id: number;
  created: number;
  direction?: 'in' | 'out';
  type: string;
  content?: AvitoContent;
  is_read?: boolean;
}

export interface AvitoContent {
  text?: string;
  link?: { text?: string; url?: string };
  item?: { title?: string; price_string?: string; item_url?: string };
  location?: { title?: string; text?: string; lat?: number; lon?: number };
  image?: { sizes?: Record<string, string> };
  voice?: { voice_id?: string };
  call?: { status?: string };
}

const TIMEOUT_MS = 15_000;

/** Avito's reason from any of its error shapes: `{error:{message}}`, OAuth `{error, error_description}`, `{message}`. */
export function avitoReason(body: unknown, status: number): string {
  if (body && typeof body === 'object') {
    const b = body as { error?: unknown; error_description?: unknown; message?: unknown };
    if (b.error && typeof b.error === 'object') {
      const m = (b.error as { message?: unknown }).message;
      if (typeof m === 'string' && m) return m;
    }
    if (typeof b.error_description === 'string' && b.error_description) return b.error_description;
    if (typeof b.error === 'string' && b.error) return b.error;
    if (typeof b.message === 'string' && b.message) return b.message;
  }
  return `HTTP ${status}`;
}

/** Seconds to wait from `Retry-After` (seconds or a date) or `X-RateLimit-Reset` (epoch or seconds). */
export function retryAfterOf(headers: Headers, now = Date.now()): number | undefined {
  const clamp = (s: number) => Math.min(3600, Math.max(1, Math.ceil(s)));
  const retryAfter = headers.get('retry-after');
  if (retryAfter) {
    const secs = Number(retryAfter);
    if (Number.isFinite(secs)) return clamp(secs);
    const at = Date.parse(retryAfter);
    if (!Number.isNaN(at)) return clamp((at - now) / 1000);
  }
  const reset = Number(headers.get('x-ratelimit-reset'));
  if (reset > 0) return clamp(reset > 1e9 ? reset - now / 1000 : reset);
  return undefined;
}

async function readBody(res: Response): Promise<unknown> {
  const text = await res.text();
  if (!text) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text.slice(0, 300);
  }
}

export interface RequestOptions {
  query?: Record<string, string | number | boolean>;
  body?: unknown;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** One HTTP call to Avito with a bearer token; throws `AvitoApiError` for anything but 2xx. */
async function request(root: string, token: string, method: string, path: string, opts: RequestOptions = {}): Promise<unknown> {
  const url = new URL(root + path);
  for (const [k, v] of Object.entries(opts.query ?? {})) url.searchParams.set(k, String(v));
  const timeout = AbortSignal.timeout(opts.timeoutMs ?? TIMEOUT_MS);
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'application/json',
        ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
      signal: opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout,
    });
  } catch (err) {
    throw new AvitoApiError(0, `Avito unreachable: ${errorMessage(err)}`);
  }
  const body = await readBody(res).catch(() => null);
  if (res.ok) return body;
  throw new AvitoApiError(
    res.status,
    `Avito: ${avitoReason(body, res.status)}`,
    res.status === 429 ? retryAfterOf(res.headers) : undefined,
  );
}

/**
 * The Avito calls the messenger channel makes, for one account. A 403 (Avito's answer to an expired
 * token) renews the token once and repeats the call; a second 403 is an `AvitoAuthError`.
 */
export class AvitoApi {
  constructor(
    private readonly root: string,
    private readonly tokens: TokenSource,
    private readonly userId: string,
  ) {}

  async call(method: string, path: string, opts: RequestOptions = {}): Promise<unknown> {
    const token = await this.tokens.token();
    try {
      return await request(this.root, token, method, path, opts);
    } catch (err) {
      if (!(err instanceof AvitoApiError) || (err.status !== 403 && err.status !== 401)) throw err;
    }
    const renewed = await this.tokens.renew(token);
    try {
      return await request(this.root, renewed, method, path, opts);
    } catch (err) {
      if (err instanceof AvitoApiError && (err.status === 403 || err.status === 401)) throw new AvitoAuthError(err.message);
      throw err;
    }
  }

  async self(): Promise<{ id: number; name?: string }> {
    return (await this.call('GET', '/core/v1/accounts/self')) as { id: number; name?: string };
  }

  async subscribe(url: string): Promise<void> {
    await this.call('POST', '/messenger/v3/webhook', { body: { url } });
  }

  async unsubscribe(url: string): Promise<void> {
    await this.call('POST', '/messenger/v1/webhook/unsubscribe', { body: { url } });
  }

  async unreadChats(offset: number, limit: number, signal?: AbortSignal): Promise<AvitoChat[]> {
    const body = (await this.call('GET', `/messenger/v2/accounts/${this.userId}/chats`, {
      query: { unread_only: true, chat_types: 'u2i,u2u', limit, offset },
      ...(signal ? { signal } : {}),
    })) as { chats?: AvitoChat[] } | null;
    return body?.chats ?? [];
  }

  async chat(chatId: string, timeoutMs?: number): Promise<AvitoChat> {
    return (await this.call('GET', `/messenger/v2/accounts/${this.userId}/chats/${encodeURIComponent(chatId)}`, {
      ...(timeoutMs ? { timeoutMs } : {}),
    })) as AvitoChat;
  }

  /** Newest first; Avito answers with an array or `{messages: […]}` depending on the version. */
  async messages(chatId: string, limit: number, signal?: AbortSignal): Promise<AvitoMessage[]> {
    const body = await this.call('GET', `/messenger/v3/accounts/${this.userId}/chats/${encodeURIComponent(chatId)}/messages/`, {
      query: { limit, offset: 0 },
      ...(signal ? { signal } : {}),
    });
    if (Array.isArray(body)) return body as AvitoMessage[];
    return (body as { messages?: AvitoMessage[] } | null)?.messages ?? [];
  }

  async sendText(chatId: string, text: string): Promise<{ id: string }> {
    const body = (await this.call('POST', `/messenger/v1/accounts/${this.userId}/chats/${encodeURIComponent(chatId)}/messages`, {
      body: { type: 'text', message: { text } },
    })) as { id?: string | number | null } | null;
    if (body?.id === undefined || body.id === null) throw new AvitoApiError(502, 'Avito: the send was accepted without a message id');
    return { id: String(body.id) };
  }

  async markRead(chatId: string): Promise<void> {
    await this.call('POST', `/messenger/v1/accounts/${this.userId}/chats/${encodeURIComponent(chatId)}/read`);
  }

  async voiceUrl(voiceId: string): Promise<string | undefined> {
    const body = (await this.call('GET', `/messenger/v1/accounts/${this.userId}/getVoiceFiles`, {
      query: { voice_ids: voiceId },
    })) as { voices_urls?: Record<string, string> } | null;
    return body?.voices_urls?.[voiceId];
  }
}

/** Maps an Avito failure to what the delivery job should do about it. */
export function toSendError(err: unknown): SendError {
  if (err instanceof SendError) return err;
  if (err instanceof AvitoAuthError) return new SendError('auth', err.message);
  if (err instanceof AvitoApiError) {
    if (err.status === 429) return new SendError('rate_limited', err.message, err.retryAfterSeconds ?? 5);
    if (err.status === 0 || err.status >= 500 || err.status === 408) return new SendError('retryable', err.message);
    // 400 (text too long, chat closed…), 404 (no such chat): retrying cannot help.
    return new SendError('permanent', err.message);
  }
  return new SendError('retryable', errorMessage(err));
}
