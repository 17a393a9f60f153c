import { Tooltip } from '@mantine/core';
import { IconBan, IconCheck, IconChecks, IconClock, IconHelpCircle, IconLoader2, IconX } from '@tabler/icons-react';
import type { DeliveryStatus as Status, Message } from '@switchboard/shared';
import { useTranslation } from 'react-i18next';

export const isDeliveryFailed = (m: Message) => m.status === 'failed' || m.status === 'dead';

const ICONS: Record<Exclude<Status, 'received'>, { icon: typeof IconCheck; color?: string }> = {
  queued: { icon: IconClock },
  sending: { icon: IconLoader2 },
  sent: { icon: IconCheck, color: 'var(--mantine-color-blue-6)' },
  delivered: { icon: IconChecks, color: 'var(--mantine-color-gray-6)' },
  read: { icon: IconChecks, color: 'var(--mantine-color-blue-6)' },
  failed: { icon: IconX, color: 'var(--mantine-color-red-6)' },
  dead: { icon: IconX, color: 'var(--mantine-color-red-6)' },
  uncertain: { icon: IconHelpCircle, color: 'var(--mantine-color-orange-6)' },
  discarded: { icon: IconBan, color: 'var(--mantine-color-gray-6)' },
};

/**
 * Clock while queued, check once the provider took it, two checks when delivered/read, red cross when it
 * failed for good, question mark when a crash left it unknown whether the customer got it.
 */
export function DeliveryStatus({ message }: { message: Message }) {
  const { t } = useTranslation();
  if (message.status === 'received') return null;
  const { icon: StatusIcon, color } = ICONS[message.status];
  const label = t(`conversation.delivery.${message.status}`);
  return (
    <Tooltip label={label}>
      <StatusIcon size={14} color={color} aria-label={label} role="img" data-testid="delivery-status" />
    </Tooltip>
  );
}
