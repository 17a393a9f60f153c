import type { QueryClient } from '@tanstack/react-query';
import type { ChatMessage } from '@switchboard/shared';
import { chatKeys } from './chat.api';

export interface ChatRealtimePayloads {
  'chat.message': {
    change: 'created' | 'updated' | 'deleted';
    message: ChatMessage;
    channel: { id: string; kind: string; name: string | null };
  };
  'chat.channel': { channelId: string };
  'chat.typing': { channelId: string; threadRootId: string | null; userId: string; name: string | null };
  'chat.read': { channelId: string; lastReadSeq: number };
}

type Event = { [K in keyof ChatRealtimePayloads]: { type: K; payload: ChatRealtimePayloads[K] } }[keyof ChatRealtimePayloads];

/** Who is typing where: channel (or thread) → person → until when. */
const typing = new Map<string, Map<string, { name: string; until: number }>>();
const typingListeners = new Set<() => void>();
let typingVersion = 0;
export const typingStore = {
  subscribe: (fn: () => void) => {
    typingListeners.add(fn);
    return () => void typingListeners.delete(fn);
  },
  version: () => typingVersion,
  names: (key: string): string[] => {
    const now = Date.now();
    return [...(typing.get(key)?.values() ?? [])].filter((x) => x.until > now).map((x) => x.name);
  },
};
function touchTyping() {
  typingVersion++;
  for (const fn of typingListeners) fn();
}

function upsert(list: ChatMessage[], m: ChatMessage): ChatMessage[] {
  const i = list.findIndex((x) => x.id === m.id);
  if (i >= 0) return list.map((x) => (x.id === m.id ? m : x));
  return [...list, m].sort((a, b) => a.seq - b.seq);
}

export function applyChatEvent(qc: QueryClient, event: Event, meId: string): void {
  switch (event.type) {
    case 'chat.message': {
      const m = event.payload.message;
      if (m.threadRootId) {
        qc.setQueryData<{ root: ChatMessage; replies: ChatMessage[] }>(chatKeys.thread(m.threadRootId), (t) =>
          t ? { ...t, replies: upsert(t.replies, m) } : t,
        );
      } else {
        qc.setQueryData<{ items: ChatMessage[]; nextCursor: string | null }>(chatKeys.messages(m.channelId), (page) =>
          page ? { ...page, items: upsert(page.items, m) } : page,
        );
        qc.setQueryData<{ root: ChatMessage; replies: ChatMessage[] }>(chatKeys.thread(m.id), (t) => (t ? { ...t, root: m } : t));
      }
      if (event.payload.change === 'created' && m.authorId) {
        const key = m.threadRootId ?? m.channelId;
        if (typing.get(key)?.delete(m.authorId)) touchTyping();
      }
      if (event.payload.change === 'created' && m.authorId !== meId) void qc.invalidateQueries({ queryKey: chatKeys.channels });
      if (event.payload.change !== 'created') void qc.invalidateQueries({ queryKey: chatKeys.pins(m.channelId) });
      return;
    }
    case 'chat.channel':
    case 'chat.read':
      void qc.invalidateQueries({ queryKey: chatKeys.channels });
      return;
    case 'chat.typing': {
      const { userId, name, channelId, threadRootId } = event.payload;
      if (userId === meId) return;
      const key = threadRootId ?? channelId;
      let at = typing.get(key);
      if (!at) typing.set(key, (at = new Map<string, { name: string; until: number }>()));
      at.set(userId, { name: name ?? '…', until: Date.now() + 5_000 });
      touchTyping();
      setTimeout(touchTyping, 5_100);
      return;
    }
  }
}
