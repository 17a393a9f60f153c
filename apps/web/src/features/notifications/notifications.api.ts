import type { Notification, NotificationDelivery, NotificationPreferences, NotificationSettings } from '@switchboard/shared';
import { api } from '../../api/client';

export interface NotificationPage {
  items: Notification[];
  nextCursor: string | null;
  unread: number;
}

export const notificationKeys = {
  all: ['notifications'] as const,
  list: (unread: boolean) => ['notifications', 'list', unread] as const,
  unread: ['notifications', 'unread'] as const,
  preferences: ['notifications', 'preferences'] as const,
  deliveries: ['notifications', 'deliveries'] as const,
};

export const listNotifications = (unread: boolean, cursor?: string | null) =>
  api.get<NotificationPage>('/api/notifications', { query: { limit: 30, unread: unread ? 'true' : undefined, cursor } });
export const unreadCount = () => api.get<{ unread: number }>('/api/notifications/unread-count');
export const markRead = (body: { ids: string[] } | { all: true }) => api.post<{ unread: number }>('/api/notifications/read', body);
export const getPreferences = () => api.get<NotificationPreferences>('/api/notifications/preferences');
export const savePreferences = (settings: NotificationSettings) =>
  api.put<NotificationPreferences>('/api/notifications/preferences', { settings });
export const listDeliveries = () => api.get<{ items: NotificationDelivery[] }>('/api/notifications/deliveries');
export const sendTest = () => api.post<Notification>('/api/notifications/test');
export const subscribePush = (sub: PushSubscriptionJSON) =>
  api.post<void>('/api/notifications/push-subscriptions', { endpoint: sub.endpoint, keys: sub.keys });
export const unsubscribePush = (endpoint: string) => api.post<void>('/api/notifications/push-subscriptions/remove', { endpoint });
