import type { ChannelAlert } from '@switchboard/shared';
import { api } from '../../api/client';

export type AlertState = 'open' | 'all';

export const alertKeys = {
  all: ['alerts'] as const,
  list: (state: AlertState, channelId: string | null) => ['alerts', state, channelId] as const,
};

export const listAlerts = (state: AlertState, channelId: string | null, limit: number, signal?: AbortSignal) =>
  api.get<{ items: ChannelAlert[] }>('/api/alerts', { query: { state, channelId, limit }, ...(signal ? { signal } : {}) });
