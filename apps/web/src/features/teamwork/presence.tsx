import { Indicator, Menu } from '@mantine/core';
import { IconCircleFilled, IconWand } from '@tabler/icons-react';
import type { PresenceStatus } from '@switchboard/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { getMyPresence, myPresenceKey, presenceKey, setMyPresence } from './teamwork.api';

export const PRESENCE_COLORS: Record<PresenceStatus, string> = { online: 'green', away: 'yellow', offline: 'gray' };

function useMyPresence() {
  return useQuery({ queryKey: myPresenceKey, queryFn: getMyPresence, refetchInterval: 60_000 });
}

/** My avatar with a dot: green online, yellow away, grey offline or invisible. */
export function PresenceIndicator({ children }: { children: ReactNode }) {
  const status = useMyPresence().data?.status ?? 'offline';
  return (
    <Indicator
      color={PRESENCE_COLORS[status]}
      position="bottom-end"
      offset={4}
      size={11}
      withBorder
      data-testid="my-presence"
      data-status={status}
    >
      {children}
    </Indicator>
  );
}

/** The status choices of the avatar menu: online, away, invisible, or automatic (from activity). */
export function PresenceMenuItems() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const mine = useMyPresence().data;
  const set = useMutation({
    mutationFn: setMyPresence,
    onSuccess: (p) => {
      qc.setQueryData(myPresenceKey, p);
      void qc.invalidateQueries({ queryKey: presenceKey });
    },
  });
  const current = mine?.manual ?? 'auto';
  return (
    <>
      <Menu.Label>{t('teamwork.presence.label')}</Menu.Label>
      {(['online', 'away', 'offline'] as const).map((s) => (
        <Menu.Item
          key={s}
          closeMenuOnClick={false}
          leftSection={<IconCircleFilled size={12} color={`var(--mantine-color-${PRESENCE_COLORS[s]}-6)`} />}
          onClick={() => set.mutate(s)}
          fw={current === s ? 700 : undefined}
          data-testid={`presence-${s}`}
        >
          {t(`teamwork.presence.${s}`)}
        </Menu.Item>
      ))}
      <Menu.Item
        closeMenuOnClick={false}
        leftSection={<IconWand size={14} />}
        onClick={() => set.mutate('auto')}
        fw={current === 'auto' ? 700 : undefined}
        data-testid="presence-auto"
      >
        {t('teamwork.presence.auto')}
      </Menu.Item>
      <Menu.Divider />
    </>
  );
}
