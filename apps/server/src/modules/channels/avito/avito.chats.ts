import type { AvitoChat } from './avito.client.js';

const TTL_MS = 10 * 60_000;
const MAX_ENTRIES = 5_000;

/**
 * Chats seen recently (listing and users), per channel: the webhook carries neither, so a chat is
 * fetched once and reused for its next messages. Concurrent lookups of one chat share one request.
 */
export class AvitoChatCache {
  private readonly chats = new Map<string, { at: number; chat: AvitoChat }>();
  private readonly pending = new Map<string, Promise<AvitoChat | null>>();

  get(channelId: string, chatId: string): AvitoChat | undefined {
    const hit = this.chats.get(`${channelId}:${chatId}`);
    return hit && Date.now() - hit.at < TTL_MS ? hit.chat : undefined;
  }

  remember(channelId: string, chat: AvitoChat): void {
    const key = `${channelId}:${chat.id}`;
    this.chats.delete(key);
    this.chats.set(key, { at: Date.now(), chat });
    // Oldest first in a Map: drop from the front once over the cap.
    for (const k of this.chats.keys()) {
      if (this.chats.size <= MAX_ENTRIES) break;
      this.chats.delete(k);
    }
  }

  /** The cached chat, or one `load` shared by concurrent callers (null when it fails). */
  lookup(channelId: string, chatId: string, load: () => Promise<AvitoChat>, onError: (err: unknown) => void): Promise<AvitoChat | null> {
    const cached = this.get(channelId, chatId);
    if (cached) return Promise.resolve(cached);
    const key = `${channelId}:${chatId}`;
    let flight = this.pending.get(key);
    if (!flight) {
      flight = load()
        .then((chat) => {
          this.remember(channelId, { ...chat, id: String(chat.id ?? chatId) });
          return chat;
        })
        .catch((err: unknown) => {
          onError(err);
          return null;
        })
        .finally(() => this.pending.delete(key));
      this.pending.set(key, flight);
    }
    return flight;
  }
}
