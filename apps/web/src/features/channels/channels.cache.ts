import type { QueryClient } from '@tanstack/react-query';
import type { Channel } from '@switchboard/shared';
import { channelKeys } from './channels.api';

type ChannelList = { items: Channel[] };

export function upsertChannel(qc: QueryClient, channel: Channel): void {
  qc.setQueryData<ChannelList>(channelKeys.all, (data) => {
    if (!data) return data;
    const exists = data.items.some((c) => c.id === channel.id);
    return { items: exists ? data.items.map((c) => (c.id === channel.id ? channel : c)) : [...data.items, channel] };
  });
}

export function removeChannel(qc: QueryClient, id: string): void {
  qc.setQueryData<ChannelList>(channelKeys.all, (data) => (data ? { items: data.items.filter((c) => c.id !== id) } : data));
}
