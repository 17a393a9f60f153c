import { useQuery } from '@tanstack/react-query';
import type { Onboarding } from '@switchboard/shared';
import { api } from '../../api/client';

export const onboardingKey = ['onboarding'] as const;

/** The account's first-run checklist (refreshed whenever a page using it mounts). */
export function useOnboarding() {
  return useQuery({ queryKey: onboardingKey, queryFn: () => api.get<Onboarding>('/api/onboarding'), staleTime: 0 });
}
