import type { Channel, CreateChannelRequest } from '@switchboard/shared';
import { api } from '../../api/client';

export type ChannelMode = 'webhook' | 'polling';

export interface UpdateChannelInput {
  name?: string;
  /** A token or a mode (even the current one) makes the server re-check the token and re-register webhook/polling; `assistant` is only a setting. */
  config?: { botToken?: string; mode?: ChannelMode; assistant?: { enabled: boolean } };
}

export const channelKeys = { all: ['channels'] as const };

export const listChannels = (signal?: AbortSignal) => api.get<{ items: Channel[] }>('/api/channels', signal ? { signal } : {});
export const createChannel = (input: CreateChannelRequest) => api.post<Channel>('/api/channels', input);
export const updateChannel = (id: string, input: UpdateChannelInput) => api.patch<Channel>(`/api/channels/${id}`, input);
export const deleteChannel = (id: string) => api.delete(`/api/channels/${id}`);

/** The non-secret settings the server shows in `config`. */
export interface ChannelSettings {
  mode: ChannelMode | null;
  botUsername: string | null;
  botTokenHint: string | null;
  webhookUrl: string | null;
  /** The AI first line answers new conversations of this channel. */
  assistantEnabled: boolean;
}

export function channelSettings(c: Channel): ChannelSettings {
  return {
    mode: c.config.mode ?? null,
    botUsername: c.config.botUsername ?? null,
    botTokenHint: c.config.botTokenHint ?? null,
    webhookUrl: c.config.webhookUrl ?? null,
    assistantEnabled: c.config.assistant?.enabled ?? false,
  };
}
