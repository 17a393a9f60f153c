import type { Channel, CreateChannelRequest } from '@switchboard/shared';
import { api } from '../../api/client';

export type ChannelMode = 'webhook' | 'polling';

export interface UpdateChannelInput {
  name?: string;
  /** Any `config` (even `{}`) makes the server re-check the token and re-register webhook/polling. */
  config?: { botToken?: string; mode?: ChannelMode };
}

export const channelKeys = { all: ['channels'] as const };

export const listChannels = (signal?: AbortSignal) => api.get<{ items: Channel[] }>('/api/channels', signal ? { signal } : {});
export const createChannel = (input: CreateChannelRequest) => api.post<Channel>('/api/channels', input);
export const updateChannel = (id: string, input: UpdateChannelInput) => api.patch<Channel>(`/api/channels/${id}`, input);
export const deleteChannel = (id: string) => api.delete(`/api/channels/${id}`);

/** The non-secret settings the server keeps in `config`, read defensively. */
export interface ChannelSettings {
  mode: ChannelMode | null;
  botUsername: string | null;
  botTokenHint: string | null;
  webhookUrl: string | null;
}

const str = (v: unknown) => (typeof v === 'string' && v ? v : null);

export function channelSettings(c: Channel): ChannelSettings {
  const mode = c.config.mode;
  return {
    mode: mode === 'webhook' || mode === 'polling' ? mode : null,
    botUsername: str(c.config.botUsername),
    botTokenHint: str(c.config.botTokenHint),
    webhookUrl: str(c.config.webhookUrl),
  };
}
