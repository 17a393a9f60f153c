import { useQuery } from '@tanstack/react-query';
import { useSyncExternalStore } from 'react';
import { chatApi, chatKeys } from './chat.api';
import { typingStore } from './chat.realtime';

export const useChannels = () => useQuery({ queryKey: chatKeys.channels, queryFn: chatApi.channels, select: (d) => d.items });
export const useChatPeople = () =>
  useQuery({ queryKey: chatKeys.people, queryFn: chatApi.people, select: (d) => d.items, staleTime: 5 * 60_000 });
export const useChatMessages = (id: string | undefined) =>
  useQuery({ queryKey: chatKeys.messages(id ?? ''), queryFn: () => chatApi.messages(id!), enabled: Boolean(id) });
export const useThread = (rootId: string | null) =>
  useQuery({ queryKey: chatKeys.thread(rootId ?? ''), queryFn: () => chatApi.thread(rootId!), enabled: Boolean(rootId) });
export const usePins = (id: string, enabled: boolean) =>
  useQuery({ queryKey: chatKeys.pins(id), queryFn: () => chatApi.pins(id), enabled, select: (d) => d.items });
export const useChatSearch = (q: string) =>
  useQuery({ queryKey: chatKeys.search(q), queryFn: () => chatApi.search(q), enabled: q.trim().length > 1, select: (d) => d.items });

/** Names of the people typing in a channel or thread now. */
export function useTyping(key: string): string[] {
  useSyncExternalStore(typingStore.subscribe, typingStore.version);
  return typingStore.names(key);
}
