import { AppError } from '../../platform/http/errors.js';
import type { ChannelAdapter } from './adapter.js';

/**
 * A stored credential goes only where it was entered for. When a change of settings would send one
 * to another server (a Green-API host, a mail server), the change must carry that credential again:
 * otherwise whoever may edit a channel could point it at a server of their own and collect it.
 */
export function requireMovedCredentials(
  adapter: ChannelAdapter,
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  given: Record<string, unknown>,
): void {
  if (!adapter.credentialTargets) return;
  const was = adapter.credentialTargets(before);
  const will = adapter.credentialTargets(after);
  const missing = Object.keys(will).filter((k) => will[k] !== was[k] && given[k] === undefined);
  if (missing.length === 0) return;
  throw new AppError(
    'credential_required',
    `Enter ${missing.join(' and ')} again: the server ${missing.length > 1 ? 'they go' : 'it goes'} to changed, and a stored credential is not sent to a new server`,
    missing.map((k) => ({ path: `/config/${k}`, message: 'must be sent again: the server it goes to changed' })),
  );
}
