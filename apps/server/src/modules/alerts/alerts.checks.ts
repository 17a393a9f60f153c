import type { AlertKind } from '@switchboard/shared';

/** What the health check knows of one channel. */
export interface ChannelFacts {
  status: string;
  statusReason: string | null;
  /** The channel runs a poll loop (polling mode, IMAP, a backfill poller). */
  polls: boolean;
  lastPolledAt: Date | null;
  lastInboundAt: Date | null;
  createdAt: Date;
  silenceAlertMinutes: number | null;
  /** Outbound sends that failed in the last 15 minutes. */
  failedRecently: number;
  lastOutboundAt: Date | null;
}

export interface Problem {
  kind: AlertKind;
  message: string;
}

/** A poll loop that has not completed a round for this long is lagging (IMAP IDLE reports at least every few minutes). */
export const POLL_LAG_MS = 10 * 60_000;
/** A loop marked lagging after a failure gets this long to recover before anyone is alerted. */
const LAGGING_GRACE_MS = 2 * 60_000;
const FAILING_SENDS = 3;
const FAILING_WINDOW_MS = 15 * 60_000;

const minutes = (ms: number) => Math.round(ms / 60_000);

/** The problems a channel has now; an empty list resolves every open alert of the channel. */
export function detectProblems(c: ChannelFacts, now: Date): Problem[] {
  const problems: Problem[] = [];
  const since = (d: Date | null) => now.getTime() - (d ?? c.createdAt).getTime();
  if (c.status === 'auth_failed') {
    problems.push({ kind: 'auth_failed', message: `The provider rejected the credentials: ${c.statusReason ?? 'no reason given'}` });
  }
  if (c.status === 'webhook_not_set') {
    problems.push({
      kind: 'webhook_not_set',
      message: `Messages cannot arrive: the webhook is not registered (${c.statusReason ?? 'unknown reason'})`,
    });
  }
  if (c.polls && c.status !== 'auth_failed') {
    const quiet = since(c.lastPolledAt);
    if (quiet > POLL_LAG_MS || (c.status === 'poller_lagging' && quiet > LAGGING_GRACE_MS)) {
      const reason = c.status === 'poller_lagging' && c.statusReason ? `: ${c.statusReason}` : '';
      problems.push({
        kind: 'poller_lagging',
        message: c.lastPolledAt
          ? `No successful poll for ${minutes(quiet)} min${reason}`
          : `The poller has not completed a round since the channel was connected${reason}`,
      });
    }
  }
  if (c.silenceAlertMinutes !== null) {
    const quiet = since(c.lastInboundAt);
    if (quiet > c.silenceAlertMinutes * 60_000) {
      problems.push({
        kind: 'no_inbound',
        message: `No incoming messages for ${minutes(quiet)} min (alert after ${c.silenceAlertMinutes} min)`,
      });
    }
  }
  if (c.failedRecently >= FAILING_SENDS && (!c.lastOutboundAt || now.getTime() - c.lastOutboundAt.getTime() > FAILING_WINDOW_MS)) {
    problems.push({ kind: 'delivery_failing', message: `${c.failedRecently} replies failed in the last 15 minutes and none went through` });
  }
  return problems;
}
