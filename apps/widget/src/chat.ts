import type { WidgetMessage, WidgetPublicConfig } from '@switchboard/shared';
import { ApiError, WidgetApi } from './api.js';
import { pickLocale, strings, type Strings } from './i18n.js';
import { Store, type Saved } from './store.js';
import { View, type ShownMessage } from './view.js';

interface Pending {
  clientId: string;
  text: string;
  createdAt: string;
  failed: boolean;
}

const MAX_BACKOFF_MS = 30_000;

/**
 * One visitor's chat on one channel: the visitor session (token in localStorage), the history from
 * the server, visitor messages on their way, and the live stream of replies.
 */
export class Chat {
  private readonly api: WidgetApi;
  private readonly store: Store;
  private saved: Saved;
  private readonly t: Strings;
  private readonly view: View;
  private readonly messages = new Map<string, WidgetMessage>();
  private readonly pending = new Map<string, Pending>();
  private open = false;
  private unread = 0;
  private source: EventSource | undefined;
  private connecting = false;
  private lastEventId: string | undefined;
  private backoffMs = 1_000;
  private reconnectTimer: number | undefined;
  private sessionStarting: Promise<void> | undefined;

  constructor(
    origin: string,
    channelId: string,
    private readonly config: WidgetPublicConfig,
  ) {
    this.api = new WidgetApi(origin, channelId);
    this.store = new Store(channelId);
    this.saved = this.store.load();
    this.api.token = this.saved.token;
    const locale = pickLocale(config.locale, navigator.languages?.length ? navigator.languages : [navigator.language]);
    this.t = strings(locale);
    this.view = new View(this.t, locale, config, {
      toggle: () => this.setOpen(!this.open, true),
      send: (text) => void this.send(text),
      retry: (key) => void this.retry(key),
      prechat: (name, email) => this.finishPrechat(name, email),
    });
  }

  /** Puts the widget on the page; a returning visitor gets their history and the live stream. */
  async mount(): Promise<void> {
    document.body.append(this.view.host);
    this.updatePrechat();
    if (this.saved.open) this.setOpen(true, false);
    if (this.api.token) {
      await this.sync();
      this.connect();
    }
  }

  private setOpen(open: boolean, focus: boolean): void {
    this.open = open;
    this.saved = this.store.save({ open });
    if (open) this.setUnread(0);
    this.view.setOpen(open, focus);
  }

  private setUnread(n: number): void {
    this.unread = n;
    this.view.setUnread(n);
  }

  /** The pre-chat form shows until the visitor has given what the channel asks for (or has written before). */
  private updatePrechat(): void {
    const want = this.config.preChat;
    const missing = (want.name && !this.saved.name) || (want.email && !this.saved.email);
    this.view.showPrechat(missing && this.messages.size === 0 && this.pending.size === 0 ? want : null);
  }

  private finishPrechat(name: string, email: string): void {
    this.saved = this.store.save({ name: name || this.saved.name, email: email || this.saved.email });
    this.updatePrechat();
    this.view.focusInput();
  }

  private async ensureSession(): Promise<void> {
    if (this.api.token) return;
    this.sessionStarting ??= this.api
      .session()
      .then((s) => {
        this.api.token = s.token;
        this.saved = this.store.save({ token: s.token });
        this.connect();
      })
      .finally(() => (this.sessionStarting = undefined));
    return this.sessionStarting;
  }

  /** The server no longer knows this token (channel recreated, forged storage): start afresh. */
  private forgetSession(): void {
    this.api.token = undefined;
    this.saved = this.store.save({ token: undefined });
    this.source?.close();
    this.source = undefined;
    this.lastEventId = undefined;
    this.messages.clear();
    this.render();
  }

  private async send(text: string): Promise<void> {
    const clientId = newClientId();
    this.pending.set(clientId, { clientId, text, createdAt: new Date().toISOString(), failed: false });
    this.updatePrechat();
    this.render();
    await this.deliver(clientId);
  }

  private async retry(key: string): Promise<void> {
    const p = this.pending.get(key);
    if (!p) return;
    p.failed = false;
    this.render();
    await this.deliver(key);
  }

  private async deliver(clientId: string, again = true): Promise<void> {
    const p = this.pending.get(clientId);
    if (!p) return;
    try {
      await this.ensureSession();
      const { message } = await this.api.post({
        clientId,
        text: p.text,
        ...(this.saved.name || this.saved.email
          ? { visitor: { ...(this.saved.name ? { name: this.saved.name } : {}), ...(this.saved.email ? { email: this.saved.email } : {}) } }
          : {}),
        page: { url: location.href.slice(0, 2000), title: document.title.slice(0, 300) },
      });
      this.accept(message);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401 && again) {
        this.forgetSession();
        return this.deliver(clientId, false);
      }
      p.failed = true;
      if (err instanceof ApiError && err.status === 429) this.view.setNotice(this.t.tooMany);
      this.render();
    }
  }

  /** Merges a stored message (from the history, the stream or a POST answer). */
  private accept(m: WidgetMessage): boolean {
    if (m.clientId) this.pending.delete(m.clientId);
    const known = this.messages.has(m.id);
    this.messages.set(m.id, m);
    this.render();
    return !known;
  }

  private async sync(): Promise<void> {
    try {
      const { items } = await this.api.history();
      for (const m of items) this.messages.set(m.id, m);
      for (const m of items) if (m.clientId) this.pending.delete(m.clientId);
      this.updatePrechat();
      this.render();
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) this.forgetSession();
    }
  }

  /**
   * The live stream of this visitor's conversation, opened with a fresh one-minute ticket each time;
   * on every reconnect the history is re-read too.
   */
  private connect(): void {
    if (!this.api.token || this.source || this.connecting) return;
    this.connecting = true;
    this.api.streamTicket().then(
      ({ ticket }) => {
        this.connecting = false;
        if (this.api.token && !this.source) this.listen(ticket);
      },
      (err: unknown) => {
        this.connecting = false;
        if (err instanceof ApiError && err.status === 401) this.forgetSession();
        else this.reconnectLater();
      },
    );
  }

  private listen(ticket: string): void {
    const source = new EventSource(this.api.eventsUrl(ticket, this.lastEventId));
    this.source = source;
    source.addEventListener('open', () => {
      this.backoffMs = 1_000;
      this.view.setNotice(null);
    });
    source.addEventListener('message', (e: MessageEvent<string>) => {
      if (e.lastEventId) this.lastEventId = e.lastEventId;
      const m = JSON.parse(e.data) as WidgetMessage;
      if (this.accept(m) && m.author !== 'visitor' && !this.open) this.setUnread(this.unread + 1);
    });
    source.addEventListener('error', () => {
      // The browser would retry with the same ticket, which expires in a minute: reconnect ourselves
      // with a new one (and `lastEventId`), slower each time.
      source.close();
      if (this.source !== source) return;
      this.source = undefined;
      this.view.setNotice(this.t.reconnecting);
      this.reconnectLater();
    });
  }

  private reconnectLater(): void {
    window.clearTimeout(this.reconnectTimer);
    this.reconnectTimer = window.setTimeout(() => {
      // Replay covers a short gap; a re-read of the history covers any gap.
      void this.sync().then(() => this.connect());
    }, this.backoffMs);
    this.backoffMs = Math.min(this.backoffMs * 2, MAX_BACKOFF_MS);
  }

  private render(): void {
    const shown: ShownMessage[] = [...this.messages.values()]
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
      .map((m) => ({
        key: m.clientId ?? m.id,
        author: m.author,
        authorName: m.authorName,
        text: m.text,
        createdAt: m.createdAt,
        state: 'sent' as const,
      }));
    for (const p of this.pending.values()) {
      shown.push({
        key: p.clientId,
        author: 'visitor',
        authorName: null,
        text: p.text,
        createdAt: p.createdAt,
        state: p.failed ? 'failed' : 'sending',
      });
    }
    this.view.render(shown);
  }
}

function newClientId(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
