import { MutationCache, QueryClient } from '@tanstack/react-query';
import { ApiError } from '../api/api-error';
import { notifyError } from '../lib/notify';

declare module '@tanstack/react-query' {
  interface Register {
    defaultError: Error;
    /** `inlineErrors`: the component shows the error itself (e.g. in a form), so no toast. */
    mutationMeta: { inlineErrors?: boolean };
  }
}

/** 4xx answers will not change on retry; network and 5xx errors may. */
function shouldRetry(failureCount: number, error: Error): boolean {
  if (error instanceof ApiError && error.isClientError) return false;
  return failureCount < 2;
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { staleTime: 30_000, retry: shouldRetry, refetchOnWindowFocus: true },
      mutations: { retry: false },
    },
    mutationCache: new MutationCache({
      onError: (error, _vars, _ctx, mutation) => {
        if (mutation.options.meta?.inlineErrors) return;
        if (error instanceof ApiError && error.code === 'unauthenticated') return; // the login screen says it
        notifyError(error);
      },
    }),
  });
}
