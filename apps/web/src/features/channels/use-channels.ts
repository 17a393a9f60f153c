import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CreateChannelRequest } from '@switchboard/shared';
import { channelKeys, createChannel, deleteChannel, listChannels, updateChannel, type UpdateChannelInput } from './channels.api';
import { removeChannel, upsertChannel } from './channels.cache';

export function useChannels() {
  // Status changes arrive as events, but "last polled" is not announced: refresh it now and then.
  return useQuery({ queryKey: channelKeys.all, queryFn: ({ signal }) => listChannels(signal), refetchInterval: 30_000 });
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

export function useDeleteChannel() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => deleteChannel(id),
    onSuccess: (_void, id) => removeChannel(qc, id),
  });
}
