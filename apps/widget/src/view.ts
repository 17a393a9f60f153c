import { h, icon, ICONS } from './dom.js';
import type { Strings } from './i18n.js';
import { CSS, onAccent } from './styles.js';

/** A bubble as shown: a stored message, or the visitor's own one still on its way. */
export interface ShownMessage {
  /** Stable across the optimistic → stored switch (the client id for the visitor's messages). */
  key: string;
  author: 'visitor' | 'operator' | 'bot';
  authorName: string | null;
  text: string;
  createdAt: string;
  state: 'sent' | 'sending' | 'failed';
}

export interface ViewHandlers {
  toggle(): void;
  send(text: string): void;
  retry(key: string): void;
  prechat(name: string, email: string): void;
}

const DEFAULT_ACCENT = '#2563eb';

/** The widget's DOM inside a shadow root: launcher, panel, message log, pre-chat form and composer. */
export class View {
  readonly host = h('div', { 'data-switchboard-widget': '' });
  private readonly launcher: HTMLButtonElement;
  private readonly badge = h('span', { class: 'badge', hidden: true, 'aria-hidden': 'true' });
  private readonly panel: HTMLElement;
  private readonly body = h('div', { class: 'body' });
  private readonly log: HTMLOListElement;
  private readonly notice = h('li', { class: 'notice', hidden: true, role: 'status' });
  private readonly prechatForm: HTMLFormElement;
  private readonly nameInput: HTMLInputElement;
  private readonly emailInput: HTMLInputElement;
  private readonly composer: HTMLFormElement;
  private readonly input: HTMLTextAreaElement;
  private readonly sendButton: HTMLButtonElement;
  private readonly items = new Map<string, { el: HTMLLIElement; sig: string }>();
  private readonly time: Intl.DateTimeFormat;

  constructor(
    private readonly t: Strings,
    locale: string,
    cfg: { title: string | null; greeting: string | null; color: string | null },
    private readonly on: ViewHandlers,
  ) {
    this.time = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' });
    const accent = cfg.color ?? DEFAULT_ACCENT;
    const shadow = this.host.attachShadow({ mode: 'open' });
    const root = h('div', { class: 'root' });
    root.style.setProperty('--accent', accent);
    root.style.setProperty('--on', onAccent(accent));
    root.style.setProperty('--ring', `${accent}33`);

    const close = h('button', { type: 'button', class: 'x', 'aria-label': t.close }, icon(ICONS.close));
    close.addEventListener('click', () => on.toggle());
    const head = h(
      'header',
      { class: 'head' },
      h('div', { class: 'avatar', 'aria-hidden': 'true' }, icon(ICONS.agent)),
      h('div', { class: 'who' }, h('h2', { id: 'sb-title' }, cfg.title ?? t.title), h('p', {}, t.subtitle)),
      close,
    );

    const greeting = h('li', { class: 'msg' }, h('div', { class: 'bubble' }, cfg.greeting ?? t.greeting));
    this.log = h('ol', { class: 'log', role: 'log', 'aria-live': 'polite', 'aria-label': t.messages }, greeting, this.notice);

    this.nameInput = h('input', { name: 'name', autocomplete: 'name', maxlength: '100' });
    this.emailInput = h('input', { name: 'email', type: 'email', autocomplete: 'email', maxlength: '320' });
    this.prechatForm = h('form', { class: 'prechat', hidden: true, novalidate: false }, h('p', {}, t.prechatIntro));
    this.prechatForm.addEventListener('submit', (e) => {
      e.preventDefault();
      if (this.prechatForm.reportValidity()) on.prechat(this.nameInput.value.trim(), this.emailInput.value.trim());
    });
    this.body.append(this.log, this.prechatForm);

    this.input = h('textarea', { id: 'sb-input', rows: '1', maxlength: '4000', placeholder: t.placeholder, 'aria-label': t.message });
    this.sendButton = h('button', { type: 'submit', class: 'send', 'aria-label': t.send, disabled: true }, icon(ICONS.send));
    this.composer = h('form', { class: 'composer' }, this.input, this.sendButton);
    this.composer.addEventListener('submit', (e) => {
      e.preventDefault();
      this.submit();
    });
    this.input.addEventListener('keydown', (e) => {
      // Enter sends, Shift+Enter breaks the line; never while an IME is composing a word.
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        this.submit();
      }
    });
    this.input.addEventListener('input', () => this.fitInput());

    this.panel = h(
      'section',
      { class: 'panel', role: 'dialog', 'aria-labelledby': 'sb-title', id: 'sb-panel', hidden: true },
      head,
      this.body,
      this.composer,
      h('div', { class: 'foot' }, t.powered),
    );
    this.panel.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') on.toggle();
    });
    this.launcher = h(
      'button',
      { type: 'button', class: 'launcher', 'aria-label': t.open, 'aria-expanded': 'false', 'aria-controls': 'sb-panel' },
      icon(ICONS.chat),
      this.badge,
    );
    this.launcher.addEventListener('click', () => on.toggle());
    root.append(this.panel, this.launcher);
    shadow.append(h('style', {}, CSS), root);
  }

  setOpen(open: boolean, focus: boolean): void {
    this.panel.hidden = !open;
    this.launcher.setAttribute('aria-expanded', String(open));
    this.launcher.setAttribute('aria-label', open ? this.t.close : this.t.open);
    this.launcher.replaceChildren(icon(open ? ICONS.down : ICONS.chat), this.badge);
    this.launcher.classList.toggle('is-open', open);
    if (!open) {
      if (focus) this.launcher.focus();
      return;
    }
    this.scrollToEnd();
    if (focus) (this.prechatForm.hidden ? this.input : this.prechatForm.querySelector('input'))?.focus();
  }

  setUnread(n: number): void {
    this.badge.hidden = n === 0;
    this.badge.textContent = n > 9 ? '9+' : String(n);
    this.launcher.setAttribute('aria-label', n > 0 ? `${this.t.open}. ${this.t.unread(n)}` : this.t.open);
  }

  /** Shows the pre-chat form (with the fields the channel asks for) instead of the composer. */
  showPrechat(fields: { name: boolean; email: boolean } | null): void {
    this.prechatForm.hidden = !fields;
    this.composer.hidden = Boolean(fields);
    if (!fields) return;
    const intro = this.prechatForm.firstElementChild!;
    const label = (text: string, input: HTMLInputElement) => h('label', {}, text, input);
    this.nameInput.required = fields.name;
    this.emailInput.required = fields.email;
    this.prechatForm.replaceChildren(
      intro,
      ...(fields.name ? [label(this.t.name, this.nameInput)] : []),
      ...(fields.email ? [label(this.t.email, this.emailInput)] : []),
      h('button', { type: 'submit', class: 'primary' }, this.t.start),
    );
  }

  focusInput(): void {
    this.input.focus();
  }

  setNotice(text: string | null): void {
    this.notice.hidden = !text;
    this.notice.textContent = text ?? '';
    this.log.append(this.notice);
  }

  /** Brings the log in line with `messages` (sorted), touching only bubbles that changed. */
  render(messages: ShownMessage[]): void {
    const nearEnd = this.body.scrollHeight - this.body.scrollTop - this.body.clientHeight < 80;
    let prev: ShownMessage | undefined;
    let anchor: Element = this.log.firstElementChild!; // the greeting
    const seen = new Set<string>();
    for (const m of messages) {
      seen.add(m.key);
      const label = m.author !== 'visitor' && (prev?.author !== m.author || prev.authorName !== m.authorName);
      const sig = `${m.text}|${m.state}|${label ? 1 : 0}|${m.authorName ?? ''}|${m.createdAt}`;
      let item = this.items.get(m.key);
      if (!item) {
        item = { el: h('li', {}), sig: '' };
        this.items.set(m.key, item);
      }
      if (item.sig !== sig) {
        this.fill(item.el, m, label);
        item.sig = sig;
      }
      if (anchor.nextElementSibling !== item.el) anchor.after(item.el);
      anchor = item.el;
      prev = m;
    }
    for (const [key, item] of this.items) {
      if (seen.has(key)) continue;
      item.el.remove();
      this.items.delete(key);
    }
    this.log.append(this.notice);
    if (nearEnd || messages[messages.length - 1]?.author === 'visitor') this.scrollToEnd();
  }

  private fill(el: HTMLLIElement, m: ShownMessage, label: boolean): void {
    const mine = m.author === 'visitor';
    el.className = `msg${mine ? ' me' : ''}${m.state === 'failed' ? ' failed' : ''}`;
    el.dataset.author = m.author;
    const who = m.author === 'bot' ? this.t.bot : (m.authorName ?? this.t.operator);
    const meta = h('div', { class: 'meta' });
    if (m.state === 'sending') meta.textContent = this.t.sending;
    else if (m.state === 'failed') {
      const retry = h('button', { type: 'button' }, this.t.retry);
      retry.addEventListener('click', () => this.on.retry(m.key));
      meta.append(this.t.failed, retry);
    } else meta.textContent = this.time.format(new Date(m.createdAt));
    el.replaceChildren(
      ...(label ? [h('div', { class: 'who-label' }, who)] : []),
      h('div', { class: 'bubble' }, ...(mine ? [] : [h('span', { class: 'sr' }, `${who}: `)]), m.text),
      meta,
    );
  }

  private submit(): void {
    const text = this.input.value.trim();
    if (!text) return;
    this.input.value = '';
    this.fitInput();
    this.on.send(text);
  }

  private fitInput(): void {
    this.sendButton.disabled = this.input.value.trim() === '';
    this.input.style.height = 'auto';
    this.input.style.height = `${Math.min(this.input.scrollHeight, 120)}px`;
  }

  private scrollToEnd(): void {
    this.body.scrollTop = this.body.scrollHeight;
  }
}
