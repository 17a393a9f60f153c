import type { Channel, ChannelHealth, ChannelType, CreateChannelRequest } from '@switchboard/shared';
import { api } from '../../api/client';

export type ChannelMode = 'webhook' | 'polling';

export interface UpdateChannelInput {
  name?: string;
  /** Only what is sent changes; credentials and connection settings reconnect, the assistant and alert settings do not. */
  config?: Record<string, unknown>;
}

export const channelKeys = {
  all: ['channels'] as const,
  healthAll: ['channel-health'] as const,
  health: (id: string) => ['channel-health', id] as const,
};

const withSignal = (signal?: AbortSignal) => (signal ? { signal } : {});

export const listChannels = (signal?: AbortSignal) => api.get<{ items: Channel[] }>('/api/channels', withSignal(signal));
export const createChannel = (input: CreateChannelRequest) => api.post<Channel>('/api/channels', input);
export const updateChannel = (id: string, input: UpdateChannelInput) => api.patch<Channel>(`/api/channels/${id}`, input);
export const reconnectChannel = (id: string) => api.post<Channel>(`/api/channels/${id}/reconnect`);
export const deleteChannel = (id: string) => api.delete(`/api/channels/${id}`);
export const getChannelHealth = (id: string, signal?: AbortSignal) =>
  api.get<ChannelHealth>(`/api/channels/${id}/health`, withSignal(signal));

/** The non-secret settings the server shows in `config` that the list needs everywhere. */
export interface ChannelSettings {
  mode: ChannelMode | null;
  /** The AI first line answers new conversations of this channel. */
  assistantEnabled: boolean;
  silenceAlertMinutes: number | null;
  /** A Telegram channel used as the operator bot (the Telegram bridge), not a customer channel. */
  operatorBot: boolean;
}

export function channelSettings(c: Channel): ChannelSettings {
  const silence = c.config.silenceAlertMinutes;
  return {
    mode: c.config.mode ?? null,
    assistantEnabled: c.config.assistant?.enabled ?? false,
    silenceAlertMinutes: typeof silence === 'number' ? silence : null,
    operatorBot: c.type === 'telegram' && c.config.purpose === 'operators',
  };
}

/** A string setting or fact from a channel's config (unknown keys are tolerated, never trusted to be strings). */
export function configString(c: Channel, key: string): string | null {
  const v = c.config[key];
  return typeof v === 'string' && v.trim() ? v : typeof v === 'number' ? String(v) : null;
}

export type { ChannelType };
