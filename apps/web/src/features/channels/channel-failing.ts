import type { Channel } from '@switchboard/shared';

/** How recent a send error must be to count as "failing now". */
const RECENT_MS = 60 * 60_000;

/**
 * A connected channel whose latest outbound activity was an error (within the hour): its replies are
 * failing or being retried, so it must not look healthy.
 */
export function isFailingToSend(c: Pick<Channel, 'status' | 'lastErrorAt' | 'lastOutboundAt' | 'errorCount'>, now = Date.now()): boolean {
  if (c.status !== 'connected' || !c.lastErrorAt || c.errorCount === 0) return false;
  const errorAt = Date.parse(c.lastErrorAt);
  if (now - errorAt > RECENT_MS) return false;
  return !c.lastOutboundAt || errorAt > Date.parse(c.lastOutboundAt);
}
