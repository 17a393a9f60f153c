import type { BridgeScope } from '@switchboard/shared';

/** i18n keys of what a linked user receives. */
export const SCOPE_LABELS = {
  all: 'bridge.scope.all',
  queue: 'bridge.scope.queue',
  mine: 'bridge.scope.mine',
  none: 'bridge.scope.none',
} as const satisfies Record<BridgeScope, string>;
