import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { RealtimeEventType } from '@switchboard/shared';
import { sessionKey } from '../features/auth/auth.api';
import { useMe } from '../features/auth/use-session';
import { applyRealtimeEvent } from './apply-event';
import { REALTIME_EVENT_TYPES, type RealtimeEvent } from './events';

export type ConnectionState = 'connecting' | 'live' | 'reconnecting';

const MAX_BACKOFF_MS = 30_000;

/**
 * Keeps one `EventSource` on `/api/events` while signed in. The browser reconnects by itself with
 * `Last-Event-ID` (the server replays what was missed). When the stream is closed for good (an HTTP
 * error, e.g. a restart mid-handshake) we open a new one with `?lastEventId=` for the same replay; only
 * if no event was seen yet is the cached data refetched instead.
 *
 * `enabled` is false for people whose role cannot read conversations (the stream would be refused).
 */
export function useRealtime(enabled = true): ConnectionState {
  const qc = useQueryClient();
  const me = useMe();
  const [state, setState] = useState<ConnectionState>('connecting');

  useEffect(() => {
    if (!enabled) return;
    let source: EventSource | null = null;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    let resyncOnOpen = false;
    let lastEventId = '';

    const onEvent = (type: RealtimeEventType) => (e: MessageEvent<string>) => {
      if (e.lastEventId) lastEventId = e.lastEventId;
      let payload: unknown;
      try {
        payload = JSON.parse(e.data);
      } catch {
        return; // a malformed frame is not worth breaking the stream for
      }
      applyRealtimeEvent(qc, { type, payload } as RealtimeEvent, me.id);
    };

    const connect = () => {
      const url = lastEventId ? `/api/events?lastEventId=${encodeURIComponent(lastEventId)}` : '/api/events';
      source = new EventSource(url, { withCredentials: true });
      source.onopen = () => {
        failures = 0;
        setState('live');
        if (resyncOnOpen) {
          resyncOnOpen = false;
          void qc.invalidateQueries({ predicate: (q) => q.queryKey[0] !== sessionKey[0] });
        }
      };
      source.onerror = () => {
        if (source?.readyState !== EventSource.CLOSED) {
          setState('reconnecting'); // the browser retries by itself
          return;
        }
        setState('reconnecting');
        source.close();
        resyncOnOpen = !lastEventId;
        failures++;
        // Maybe the session ended: asking the server shows the login screen if so.
        void qc.invalidateQueries({ queryKey: sessionKey });
        retryTimer = setTimeout(connect, Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(failures, 5)));
      };
      for (const type of REALTIME_EVENT_TYPES) source.addEventListener(type, onEvent(type));
    };

    connect();
    return () => {
      clearTimeout(retryTimer);
      source?.close();
    };
  }, [qc, me.id, enabled]);

  return state;
}
