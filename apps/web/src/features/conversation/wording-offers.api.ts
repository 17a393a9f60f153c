import type { WordingOffer } from '@switchboard/shared';
import { api } from '../../api/client';

export const wordingOffersKey = (conversationId: string) => ['wording-offers', conversationId] as const;

export const getWordingOffers = (conversationId: string, signal?: AbortSignal) =>
  api.get<{ items: WordingOffer[] }>(`/api/conversations/${conversationId}/wording-offers`, signal ? { signal } : {});
export const acceptWordingOffer = (conversationId: string, offerId: string) =>
  api.post<WordingOffer>(`/api/conversations/${conversationId}/wording-offers/${offerId}/accept`);
export const dismissWordingOffer = (conversationId: string, offerId: string) =>
  api.post<WordingOffer>(`/api/conversations/${conversationId}/wording-offers/${offerId}/dismiss`);
