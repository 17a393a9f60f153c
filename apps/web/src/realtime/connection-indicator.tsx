import { Badge, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ConnectionState } from './use-realtime';

const COLOR: Record<ConnectionState, string> = { live: 'green', connecting: 'gray', reconnecting: 'orange' };

/** Tells the operator whether the inbox is live or catching up. */
export function ConnectionIndicator({ state }: { state: ConnectionState }) {
  const { t } = useTranslation();
  return (
    <Tooltip label={t(`realtime.hint.${state}`)}>
      <Badge variant="dot" color={COLOR[state]} size="md" data-testid="connection-state" data-state={state} role="status" visibleFrom="sm">
        {t(`realtime.state.${state}`)}
      </Badge>
    </Tooltip>
  );
}
