import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CreateChannelRequest } from '@switchboard/shared';
import {
  channelKeys,
  createChannel,
  deleteChannel,
  getChannelHealth,
  listChannels,
  reconnectChannel,
  updateChannel,
  type UpdateChannelInput,
} from './channels.api';
import { removeChannel, upsertChannel } from './channels.cache';

export function useChannels() {
  // Status changes arrive as events, but activity ("last message", "last polled") is not announced:
  // refresh it now and then, and whenever the page is opened again.
  return useQuery({ queryKey: channelKeys.all, queryFn: ({ signal }) => listChannels(signal), refetchInterval: 30_000, staleTime: 0 });
}

/** Open alerts and the number of undelivered replies of one channel (kept fresh by `channel.alert` events). */
export function useChannelHealth(id: string) {
  return useQuery({ queryKey: channelKeys.health(id), queryFn: ({ signal }) => getChannelHealth(id, signal), refetchInterval: 60_000 });
}

export function useCreateChannel() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateChannelRequest) => createChannel(input),
    onSuccess: (channel) => upsertChannel(qc, channel),
    meta: { inlineErrors: true },
  });
}

export function useUpdateChannel({ inlineErrors = false } = {}) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, input }: { id: string; input: UpdateChannelInput }) => updateChannel(id, input),
    onSuccess: (channel) => upsertChannel(qc, channel),
    meta: { inlineErrors },
  });
}

/** Checks the stored credentials again and re-registers inbound delivery. */
export function useReconnectChannel() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => reconnectChannel(id),
    onSuccess: (channel) => {
      upsertChannel(qc, channel);
      void qc.invalidateQueries({ queryKey: channelKeys.health(channel.id) });
    },
  });
}

export function useDeleteChannel() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => deleteChannel(id),
    onSuccess: (_void, id) => removeChannel(qc, id),
  });
}
