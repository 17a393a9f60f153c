import type { QueryClient } from '@tanstack/react-query';
import type { Notification } from '@switchboard/shared';
import { notificationKeys, type NotificationPage } from './notifications.api';

export interface NotificationRealtimePayloads {
  /** A notification for me (the server sends it to nobody else). */
  'notification.created': { notification: Notification; unread: number };
  /** Some of mine were read (in another tab too). */
  'notification.read': { ids: string[]; unread: number };
}

type Event =
  | { type: 'notification.created'; payload: NotificationRealtimePayloads['notification.created'] }
  | { type: 'notification.read'; payload: NotificationRealtimePayloads['notification.read'] };

/** Listeners for new notifications while the app is open (sound, title). */
const arrivals = new Set<(n: Notification) => void>();
export function onNotificationArrived(fn: (n: Notification) => void): () => void {
  arrivals.add(fn);
  return () => arrivals.delete(fn);
}

export function applyNotificationEvent(qc: QueryClient, event: Event): void {
  qc.setQueryData(notificationKeys.unread, { unread: event.payload.unread });
  if (event.type === 'notification.created') {
    const n = event.payload.notification;
    for (const unreadOnly of [false, true]) {
      qc.setQueryData<NotificationPage>(notificationKeys.list(unreadOnly), (page) =>
        page && !page.items.some((x) => x.id === n.id) ? { ...page, items: [n, ...page.items], unread: event.payload.unread } : page,
      );
    }
    for (const fn of arrivals) fn(n);
  } else {
    const ids = new Set(event.payload.ids);
    const now = new Date().toISOString();
    qc.setQueryData<NotificationPage>(notificationKeys.list(false), (page) =>
      page
        ? { ...page, unread: event.payload.unread, items: page.items.map((x) => (ids.has(x.id) && !x.readAt ? { ...x, readAt: now } : x)) }
        : page,
    );
    qc.setQueryData<NotificationPage>(notificationKeys.list(true), (page) =>
      page ? { ...page, unread: event.payload.unread, items: page.items.filter((x) => !ids.has(x.id)) } : page,
    );
  }
}
