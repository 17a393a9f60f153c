import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  getPreferences,
  listDeliveries,
  listNotifications,
  markRead,
  notificationKeys,
  savePreferences,
  unreadCount,
} from './notifications.api';

export const useUnreadCount = () => useQuery({ queryKey: notificationKeys.unread, queryFn: unreadCount, staleTime: 60_000 });

export const useNotificationList = (unread: boolean, enabled = true) =>
  useQuery({ queryKey: notificationKeys.list(unread), queryFn: () => listNotifications(unread), enabled, staleTime: 30_000 });

export const usePreferences = () => useQuery({ queryKey: notificationKeys.preferences, queryFn: getPreferences, staleTime: 60_000 });

export const useDeliveries = () => useQuery({ queryKey: notificationKeys.deliveries, queryFn: listDeliveries });

export function useMarkRead() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: markRead,
    onSuccess: ({ unread }) => {
      qc.setQueryData(notificationKeys.unread, { unread });
      void qc.invalidateQueries({ queryKey: ['notifications', 'list'] });
    },
  });
}

export function useSavePreferences() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: savePreferences, onSuccess: (prefs) => qc.setQueryData(notificationKeys.preferences, prefs) });
}
