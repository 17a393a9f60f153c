import type {
  WidgetHistory,
  WidgetPostMessageRequest,
  WidgetPostMessageResponse,
  WidgetPublicConfig,
  WidgetSession,
  WidgetStreamTicket,
} from '@switchboard/shared';

/** An error answer of the widget API (`{"error":{"code","message"}}`), or a network failure (status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The public widget API of one channel, on the origin the script was loaded from. */
export class WidgetApi {
  token: string | undefined;
  private readonly root: string;

  constructor(origin: string, channelId: string) {
    this.root = `${origin}/api/widget/${encodeURIComponent(channelId)}`;
  }

  config(): Promise<WidgetPublicConfig> {
    return this.call('GET', '/config');
  }

  session(token?: string): Promise<WidgetSession> {
    return this.call('POST', '/session', token ? { token } : {});
  }

  history(): Promise<WidgetHistory> {
    return this.call('GET', '/messages');
  }

  post(body: WidgetPostMessageRequest): Promise<WidgetPostMessageResponse> {
    return this.call('POST', '/messages', body);
  }

  /** A one-minute ticket for the event stream: the visitor token itself never goes into a URL. */
  streamTicket(): Promise<WidgetStreamTicket> {
    return this.call('POST', '/events/ticket');
  }

  eventsUrl(ticket: string, lastEventId: string | undefined): string {
    const q = `ticket=${encodeURIComponent(ticket)}${lastEventId ? `&lastEventId=${encodeURIComponent(lastEventId)}` : ''}`;
    return `${this.root}/events?${q}`;
  }

  private async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.token) headers['x-widget-token'] = this.token;
    let res: Response;
    try {
      res = await fetch(this.root + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        mode: 'cors',
        credentials: 'omit',
      });
    } catch (err) {
      throw new ApiError(0, 'network', err instanceof Error ? err.message : String(err));
    }
    const data = (await res.json().catch(() => undefined)) as { error?: { code: string; message: string } } | undefined;
    if (!res.ok) throw new ApiError(res.status, data?.error?.code ?? 'http_error', data?.error?.message ?? `HTTP ${res.status}`);
    return data as T;
  }
}
