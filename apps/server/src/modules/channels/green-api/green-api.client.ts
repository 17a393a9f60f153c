import { OutboundError, type OutboundPolicy } from '../../../platform/http/outbound.js';
import { SendError } from '../adapter.js';
import { fetchText, retryAfterSeconds } from '../channels.http.js';
import { errorMessage } from '../channels.util.js';

/** A Green-API answer other than 2xx, with the reason its body gives. */
export class GreenApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly retryAfterSeconds: number | undefined,
  ) {
    super(message);
  }
}

/** No answer from Green-API at all (network failure, timeout). */
export class GreenApiUnreachable extends Error {}

export interface GreenApiCredentials {
  apiUrl: string;
  idInstance: string;
  apiTokenInstance: string;
  /** Set when `apiUrl` is the channel's own host (an admin's setting): calls go through the outbound policy. */
  via?: OutboundPolicy;
}

interface Call {
  http?: 'GET' | 'POST' | 'DELETE';
  body?: unknown;
  /** Appended after the token (`deleteNotification/{token}/{receiptId}`). */
  suffix?: string;
  query?: Record<string, string>;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** `{apiUrl}/waInstance{idInstance}/{method}/{apiTokenInstance}`: the methods the channel uses. */
export class GreenApiClient {
  constructor(private readonly creds: GreenApiCredentials) {}

  getStateInstance() {
    return this.call<{ stateInstance?: string }>('getStateInstance');
  }

  setSettings(settings: Record<string, string>) {
    return this.call<{ saveSettings?: boolean }>('setSettings', { http: 'POST', body: settings });
  }

  sendMessage(chatId: string, message: string) {
    return this.call<{ idMessage?: string }>('sendMessage', { http: 'POST', body: { chatId, message } });
  }

  readChat(chatId: string) {
    return this.call<{ setRead?: boolean }>('readChat', { http: 'POST', body: { chatId } });
  }

  downloadFile(chatId: string, idMessage: string) {
    return this.call<{ downloadUrl?: string }>('downloadFile', { http: 'POST', body: { chatId, idMessage } });
  }

  /** Long poll: the oldest notification in the queue, or null after `seconds` (5–60) without one. */
  receiveNotification(seconds: number, signal?: AbortSignal) {
    return this.call<{ receiptId: number; body: unknown } | null>('receiveNotification', {
      query: { receiveTimeout: String(seconds) },
      timeoutMs: (seconds + 15) * 1000,
      ...(signal ? { signal } : {}),
    });
  }

  deleteNotification(receiptId: number) {
    return this.call<{ result?: boolean }>('deleteNotification', { http: 'DELETE', suffix: String(receiptId) });
  }

  private async call<T>(method: string, c: Call = {}): Promise<T> {
    const { apiUrl, idInstance, apiTokenInstance } = this.creds;
    const url = new URL(`${apiUrl}/waInstance${idInstance}/${method}/${apiTokenInstance}${c.suffix ? `/${c.suffix}` : ''}`);
    for (const [k, v] of Object.entries(c.query ?? {})) url.searchParams.set(k, v);
    const { res, text } = await fetchText(
      url,
      { ...c, method: c.http ?? 'GET', ...(this.creds.via ? { via: this.creds.via } : {}) },
      (reason) => new GreenApiUnreachable(`Green-API could not be reached: ${reason}`),
    );
    if (!res.ok) throw new GreenApiError(res.status, reasonOf(res.status, text), retryAfterSeconds(res.headers));
    try {
      return JSON.parse(text || 'null') as T;
    } catch {
      throw new GreenApiError(res.status, 'Green-API answered with something that is not JSON', undefined);
    }
  }
}

/** The most specific reason a Green-API error body gives (plain text, `message`, quota descriptions). */
function reasonOf(status: number, text: string): string {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return text.trim().slice(0, 300) || `HTTP ${status}`;
  }
  const o = (body ?? {}) as Record<string, unknown>;
  const nested = (k: string) => (o[k] as { description?: unknown } | undefined)?.description;
  for (const candidate of [nested('correspondentsStatus'), nested('invokeStatus'), o.description, o.message, o.error]) {
    if (typeof candidate === 'string' && candidate.trim()) return candidate.trim();
  }
  return `HTTP ${status}`;
}

/** Maps a Green-API failure to what the delivery job (or the poll loop) should do about it. */
export function toSendError(err: unknown): SendError {
  if (err instanceof OutboundError) return new SendError('permanent', `Green-API host not allowed: ${err.message}`);
  if (err instanceof GreenApiError) {
    const reason = `Green-API: ${err.message}`;
    if (err.status === 401 || err.status === 403) return new SendError('auth', reason);
    if (err.status === 429) return new SendError('rate_limited', reason, err.retryAfterSeconds ?? 2);
    // 466: the tariff's monthly quota (chats or method calls) is used up; waiting minutes will not help.
    if (err.status === 466) return new SendError('permanent', `Green-API quota exceeded: ${err.message}`);
    if (err.status >= 500) return new SendError('retryable', reason);
    return new SendError('permanent', reason);
  }
  return new SendError('retryable', errorMessage(err));
}
