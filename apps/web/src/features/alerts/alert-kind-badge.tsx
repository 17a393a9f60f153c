import { Badge } from '@mantine/core';
import type { AlertKind } from '@switchboard/shared';
import { useTranslation } from 'react-i18next';

const COLORS: Record<AlertKind, string> = {
  auth_failed: 'red',
  webhook_not_set: 'orange',
  poller_lagging: 'yellow',
  no_inbound: 'gray',
  delivery_failing: 'red',
};

export function AlertKindBadge({ kind, resolved = false }: { kind: AlertKind; resolved?: boolean }) {
  const { t } = useTranslation();
  return (
    <Badge
      variant={resolved ? 'outline' : 'light'}
      color={resolved ? 'gray' : COLORS[kind]}
      size="sm"
      style={{ flexShrink: 0 }}
      styles={{ label: { overflow: 'visible' } }}
    >
      {t(`alerts.kind.${kind}`)}
    </Badge>
  );
}
