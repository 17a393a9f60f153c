import type { Attachment } from '@switchboard/shared';
import type { ChannelRecord, InboundMessage } from '../adapter.js';
import type { AvitoChat, AvitoContent } from './avito.client.js';

/** One Avito message as both the webhook (`payload.value`) and the messages list describe it. */
export interface AvitoIncoming {
  id: string;
  chatId: string;
  authorId: string;
  /** Unix seconds. */
  created: number;
  type: string;
  content: AvitoContent | undefined;
}

/** Message types that are not a customer speaking (service notes, deleted messages, call records). */
const IGNORED_TYPES = new Set(['system', 'deleted', 'call', 'appCall']);

/** The listing a chat is about, as the conversation shows it (`context.value` of the chat). */
export function listingContext(chat: AvitoChat): Record<string, unknown> | undefined {
  const item = chat.context?.type === 'item' ? chat.context.value : undefined;
  if (!item) return undefined;
  return {
    kind: 'listing',
    ...(item.title ? { title: item.title } : {}),
    ...(item.price_string ? { price: item.price_string } : {}),
    ...(item.url ? { url: item.url } : {}),
    ...(item.id !== undefined ? { avitoItemId: String(item.id) } : {}),
  };
}

/** The customer's display name among the chat's users. */
export function nameIn(chat: AvitoChat | undefined, userId: string): string | null {
  return chat?.users?.find((u) => String(u.id) === userId)?.name ?? null;
}

/**
 * A customer's message as the inbox stores it: each Avito chat is its own conversation (thread key
 * = chat id), with the listing as context when the chat is known. Null for the account's own
 * messages echoed back (author = our user id) and for service messages.
 */
export function toInbound(m: AvitoIncoming, ownUserId: string, chat: AvitoChat | undefined): InboundMessage | null {
  if (m.authorId === ownUserId || m.authorId === '0' || IGNORED_TYPES.has(m.type)) return null;
  const { text, attachments } = contentOf(m.content);
  if (text === null && attachments.length === 0) return null;
  const context = chat ? listingContext(chat) : undefined;
  return {
    externalId: m.id,
    chatId: m.chatId,
    threadKey: m.chatId,
    contact: { externalId: m.authorId, name: nameIn(chat, m.authorId), username: null },
    text,
    attachments,
    sentAt: new Date(m.created * 1000),
    edited: false,
    ...(context ? { context } : {}),
  };
}

function contentOf(c: AvitoContent | undefined): { text: string | null; attachments: Attachment[] } {
  if (!c) return { text: null, attachments: [] };
  if (c.text) return { text: c.text, attachments: [] };
  if (c.link) return { text: [c.link.text, c.link.url].filter(Boolean).join('\n') || null, attachments: [] };
  if (c.item) {
    const head = [c.item.title, c.item.price_string].filter(Boolean).join(' — ');
    return { text: [head, c.item.item_url].filter(Boolean).join('\n') || null, attachments: [] };
  }
  if (c.location) {
    const where = c.location.text ?? c.location.title ?? '';
    const coords = c.location.lat !== undefined && c.location.lon !== undefined ? `(${c.location.lat}, ${c.location.lon})` : '';
    return { text: [where, coords].filter(Boolean).join(' ') || null, attachments: [] };
  }
  const image = largestImage(c.image?.sizes);
  if (image) return { text: null, attachments: [{ kind: 'photo', fileId: `image:${image}` }] };
  if (c.voice?.voice_id) return { text: null, attachments: [{ kind: 'voice', fileId: `voice:${c.voice.voice_id}` }] };
  return { text: null, attachments: [] };
}

/** `{"140x105": url, "1280x960": url}` → the URL of the largest size. */
function largestImage(sizes: Record<string, string> | undefined): string | undefined {
  let best: { area: number; url: string } | undefined;
  for (const [size, url] of Object.entries(sizes ?? {})) {
    const [w, h] = size.split('x').map(Number);
    const area = (w ?? 0) * (h ?? 0);
    if (!best || area > best.area) best = { area, url };
  }
  return best?.url;
}

/** The account's Avito user id, learnt at connect. */
export function userIdOf(channel: ChannelRecord): string {
  const id = channel.config.avitoUserId;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : '';
}
