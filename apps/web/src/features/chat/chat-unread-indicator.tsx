import { Indicator } from '@mantine/core';
import type { ReactNode } from 'react';
import { useChannels } from './use-chat';

/** The chat's navigation icon with the number of unread messages in my channels. */
export function ChatUnreadIndicator({ children }: { children: ReactNode }) {
  const unread = (useChannels().data ?? []).reduce((sum, c) => sum + (c.archived ? 0 : c.unread), 0);
  return (
    <Indicator
      label={unread > 99 ? '99+' : unread}
      size={16}
      color="blue"
      offset={2}
      disabled={unread === 0}
      data-testid="chat-unread-total"
      data-count={unread}
      styles={{ indicator: { fontSize: 10, fontWeight: 700 } }}
    >
      {children}
    </Indicator>
  );
}
