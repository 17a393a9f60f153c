import { ingestInbound } from '../../conversations/conversations.inbound.js';
import type { PollSession } from '../adapter.js';
import type { LoadedChannel } from '../channels.runtime.js';
import { sleep } from '../channels.util.js';
import type { AvitoAdapter } from './avito.adapter.js';
import { toSendError } from './avito.client.js';
import { toInbound, userIdOf } from './avito.normalise.js';
import type { AvitoSecrets } from './avito.tokens.js';

const PAGE = 100;
/** Avito lists chats up to offset 1000. */
const MAX_OFFSET = 1_000;
const MESSAGES_PER_CHAT = 100;
/** A new channel picks up unread messages of the last day. */
const FIRST_BACKFILL_SECONDS = 24 * 3600;
/** Re-reads a little before the watermark: a message may become visible after a later one. */
const MARGIN_SECONDS = 120;

/**
 * The Avito loop of one channel: the inbound of a polling-mode channel, the backfill of a webhook
 * one (what a lost webhook left out). Each round lists unread chats, reads the messages of those
 * that changed since the watermark (`channels.state.avitoWatermark`, Avito's `updated` seconds) and
 * ingests the customers' ones; dedup makes the overlap with the webhook harmless.
 */
export async function pollAvito(adapter: AvitoAdapter, { accountId, channelId, signal }: PollSession): Promise<void> {
  const { runtime } = adapter;
  // Chats whose current version this loop has read already (chat id → `updated`): not read again.
  const seen = new Map<string, number>();
  while (!signal.aborted) {
    const channel = await runtime.load(accountId, channelId);
    if (!channel) return;
    try {
      await pollRound(adapter, channel, seen, signal);
    } catch (err) {
      if (signal.aborted) return;
      // The supervisor backs off (honouring a 429's retry-after) and restarts; `auth` marks the channel auth_failed.
      throw toSendError(err);
    }
    await runtime.notePolled(accountId, channelId);
    const every = channel.record.config.mode === 'polling' ? adapter.timing.pollingMs : adapter.timing.backfillMs;
    await sleep(every, signal);
  }
}

async function pollRound(adapter: AvitoAdapter, channel: LoadedChannel, seen: Map<string, number>, signal: AbortSignal): Promise<void> {
  const { runtime } = adapter;
  const record = channel.record;
  const ownId = userIdOf(record);
  const api = adapter.api(record, channel.secrets as unknown as AvitoSecrets);
  const state = await runtime.state(record.id);
  const now = Math.floor(Date.now() / 1000);
  const watermark = typeof state.avitoWatermark === 'number' ? state.avitoWatermark : now - FIRST_BACKFILL_SECONDS;
  const since = watermark - MARGIN_SECONDS;
  let newest = watermark;
  let stored = 0;
  for (let offset = 0; offset <= MAX_OFFSET && !signal.aborted; offset += PAGE) {
    const chats = await api.unreadChats(offset, PAGE, signal);
    for (const chat of chats) {
      if (signal.aborted) return;
      const chatId = String(chat.id);
      adapter.chats.remember(record.id, { ...chat, id: chatId });
      const updated = chat.updated ?? chat.last_message?.created ?? now;
      if (updated < since || seen.get(chatId) === updated) continue;
      const messages = await api.messages(chatId, MESSAGES_PER_CHAT, signal);
      // Oldest first, so the conversation reads in order (Avito lists newest first; seconds tie).
      for (const m of [...messages].reverse().sort((a, b) => a.created - b.created)) {
        if (m.direction === 'out' || m.created < since) continue;
        const inbound = toInbound(
          { id: String(m.id), chatId, authorId: String(m.author_id), created: m.created, type: m.type, content: m.content },
          ownId,
          chat,
        );
        if (inbound && (await ingestInbound(adapter.ctx, record, inbound)) === 'stored') stored++;
      }
      seen.set(chatId, updated);
      newest = Math.max(newest, updated);
    }
    if (chats.length < PAGE) break;
  }
  for (const [chatId, updated] of seen) if (updated < since) seen.delete(chatId);
  if (newest > watermark) await runtime.saveState(record.id, { avitoWatermark: newest });
  if (stored > 0) runtime.noteInbound(record.id);
}
