import type { BridgeOverview, BridgeScope, LinkTokenResponse, OperatorLink } from '@switchboard/shared';
import { api } from '../../api/client';

export const bridgeKeys = { overview: ['bridge'] as const };

export const fetchBridge = (signal?: AbortSignal) => api.get<BridgeOverview>('/api/bridge', signal ? { signal } : {});
export const createLinkToken = () => api.post<LinkTokenResponse>('/api/bridge/link-token');
export const unlinkTelegram = (id: string) => api.delete(`/api/bridge/links/${id}`);
export const setLinkScope = (id: string, scope: BridgeScope) => api.patch<OperatorLink>(`/api/bridge/links/${id}`, { scope });
