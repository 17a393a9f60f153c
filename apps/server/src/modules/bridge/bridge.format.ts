import { texts, type Lang } from './bridge.texts.js';

/** Telegram's limit for one message's text. */
export const TELEGRAM_TEXT_LIMIT = 4096;
const LINE_LIMIT = 1500;
const TOPIC_NAME_LIMIT = 128;

export interface PostedConversation {
  contactName: string | null;
  contactUsername: string | null;
  contactExternalId: string;
  channelName: string;
  channelType: string;
  context: Record<string, unknown> | null;
}

export interface PostedMessage {
  seq: number;
  direction: 'in' | 'out';
  author_type: 'contact' | 'operator' | 'bot' | 'system';
  text: string | null;
  attachments: { kind: string }[];
  author_name: string | null;
  /** Bot turns: `answer`, `handover`, `waiting`, `greeting`. */
  ai_kind: string | null;
}

/** The bot was talking to the customer (not just a waiting notice or a greeting). */
export const botConversed = (messages: PostedMessage[]) =>
  messages.some((m) => m.author_type === 'bot' && (m.ai_kind === 'answer' || m.ai_kind === 'handover'));

const CHANNEL_NAMES: Record<string, string> = {
  telegram: 'Telegram',
  avito: 'Avito',
  whatsapp_cloud: 'WhatsApp',
  green_api: 'WhatsApp',
  widget: 'Web chat',
  email: 'E-mail',
  api: 'API',
};

const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);
const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null);

export function contactLabel(c: PostedConversation): string {
  const name = c.contactName?.trim() || c.contactExternalId;
  return c.contactUsername ? `${name} (@${c.contactUsername})` : name;
}

/** The message's words, or what it carries when it has none (`[photo]`). */
export function body(m: Pick<PostedMessage, 'text' | 'attachments'>): string {
  const files = m.attachments.map((a) => `[${a.kind}]`).join(' ');
  const text = m.text?.trim() ?? '';
  return clip([text, files].filter(Boolean).join(' ') || '…', LINE_LIMIT);
}

function speaker(lang: Lang, m: PostedMessage): string {
  const t = texts(lang);
  if (m.direction === 'in') return t.customer;
  if (m.author_type === 'bot') return t.bot;
  return m.author_name ?? t.operator;
}

/** The header every first post carries: who, where, and what about (an Avito listing, a subject, a page). */
function header(c: PostedConversation): string[] {
  const lines = [`👤 ${contactLabel(c)}`, `💬 ${CHANNEL_NAMES[c.channelType] ?? c.channelType} · ${c.channelName}`];
  const ctx = c.context ?? {};
  const title = str(ctx.title);
  const price = str(ctx.price);
  if (title || price) lines.push(`📦 ${[title, price].filter(Boolean).join(' — ')}`);
  const subject = str(ctx.subject);
  if (subject) lines.push(`✉️ ${subject}`);
  const url = str(ctx.url);
  if (url) lines.push(`🔗 ${url}`);
  return lines;
}

/** Lines of a transcript, newest kept when the whole does not fit. */
function transcript(lang: Lang, messages: PostedMessage[], budget: number): string[] {
  const lines: string[] = [];
  let used = 0;
  for (const m of [...messages].reverse()) {
    const line = `${speaker(lang, m)}: ${body(m)}`;
    if (used + line.length + 1 > budget) break;
    lines.unshift(line);
    used += line.length + 1;
  }
  return lines;
}

/** The first post of a conversation in a chat: header, the recent exchange and how to answer. */
export function introText(lang: Lang, c: PostedConversation, messages: PostedMessage[], handedOver: boolean): string {
  const t = texts(lang);
  const top = [handedOver ? t.handedOver : t.newConversation, ...header(c)].join('\n');
  const budget = TELEGRAM_TEXT_LIMIT - top.length - t.replyHint.length - 8;
  return [top, transcript(lang, messages, budget).join('\n'), t.replyHint].filter(Boolean).join('\n\n');
}

/** A later customer message of a posted conversation. */
export function messageText(c: PostedConversation, m: PostedMessage): string {
  return clip(`👤 ${c.contactName?.trim() || c.contactExternalId}: ${body(m)}`, TELEGRAM_TEXT_LIMIT);
}

/** What happened while the bot had a conversation operators had seen before. */
export function transcriptText(lang: Lang, messages: PostedMessage[], handedOver: boolean): string {
  const t = texts(lang);
  const top = handedOver ? t.handedOver : t.history;
  return [top, transcript(lang, messages, TELEGRAM_TEXT_LIMIT - top.length - 2).join('\n')].join('\n\n');
}

export function historyText(lang: Lang, messages: PostedMessage[]): string {
  const t = texts(lang);
  if (messages.length === 0) return t.historyEmpty;
  return [t.history, transcript(lang, messages, TELEGRAM_TEXT_LIMIT - t.history.length - 2).join('\n')].join('\n\n');
}

/** A forum topic per conversation: the customer and the channel. */
export function topicName(c: PostedConversation): string {
  return clip(`${c.contactName?.trim() || c.contactExternalId} · ${c.channelName}`, TOPIC_NAME_LIMIT);
}

/** `/take@shop_bot args` → `{ name: 'take', args: 'args' }`; null for plain text or another bot's command. */
export function parseCommand(text: string, botUsername: string | undefined): { name: string; args: string } | null {
  const m = /^\/([a-z_]+)(?:@([A-Za-z0-9_]+))?(?:\s+([\s\S]*))?$/i.exec(text.trim());
  if (!m) return null;
  if (m[2] && botUsername && m[2].toLowerCase() !== botUsername.toLowerCase()) return null;
  return { name: m[1]!.toLowerCase(), args: (m[3] ?? '').trim() };
}
