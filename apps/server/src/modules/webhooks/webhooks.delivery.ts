import type { Config } from '../../config.js';
import type { AppContext } from '../../context.js';
import { transaction } from '../../platform/db/transaction.js';
import { httpFailure, toOutboundError, type OutboundPolicy } from '../../platform/http/outbound.js';
import { signPayload } from './webhooks.signing.js';
import { WebhooksRepository, type DeliveryRow, type EndpointRow } from './webhooks.repository.js';

/** What one POST came to. */
export interface PostOutcome {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
}

export type Verdict = 'delivered' | 'retry' | 'dead';

export interface AttemptResult {
  row: DeliveryRow;
  verdict: Verdict;
  outcome: PostOutcome;
  nextAttemptAt: Date | null;
}

const USER_AGENT = 'Switchboard-Webhooks/1';

/**
 * POSTs a payload signed with the endpoint's secret, through the outbound policy. Redirects are not
 * followed (a moved endpoint is a failure the owner should see, and a signed body must not travel to
 * a place nobody configured). The answer's body is never read or kept: a failure is its category
 * (`http_503`, `connect_failed`, `timeout`…), so a URL pointed at some internal service learns nothing.
 */
export async function postSigned(
  outbound: OutboundPolicy,
  url: string,
  secret: string,
  delivery: { id: string; eventType: string; payload: Record<string, unknown> },
  timeoutMs: number,
): Promise<PostOutcome> {
  const body = JSON.stringify(delivery.payload);
  const timestamp = Math.floor(Date.now() / 1000);
  try {
    const res = await outbound.fetch(url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
      headers: {
        'content-type': 'application/json',
        'user-agent': USER_AGENT,
        'x-switchboard-event': delivery.eventType,
        'x-switchboard-delivery': delivery.id,
        'x-switchboard-timestamp': String(timestamp),
        'x-switchboard-signature': signPayload(secret, timestamp, body),
      },
      body,
    });
    await res.body?.cancel().catch(() => undefined);
    if (res.status >= 200 && res.status < 300) return { ok: true, statusCode: res.status, error: null };
    return { ok: false, statusCode: res.status, error: httpFailure(res.status).message };
  } catch (err) {
    const failure = toOutboundError(err);
    const error = failure.category === 'timeout' ? `timeout: no answer within ${timeoutMs / 1000} s` : failure.message;
    return { ok: false, statusCode: null, error };
  }
}

/**
 * When to try again after `attempts` failed attempts, or null when the window that started at
 * `windowStart` is used up. Delays follow the configured schedule (the last one repeats) with ±20 %
 * jitter, so endpoints that failed together do not all come back at once; the last attempt is
 * pulled in to the end of the window.
 */
export function nextAttemptAt(
  config: Pick<Config, 'webhookRetryDelaysMs' | 'webhookRetryWindowMs'>,
  attempts: number,
  windowStart: Date,
  now = new Date(),
  random = Math.random,
): Date | null {
  const end = windowStart.getTime() + config.webhookRetryWindowMs;
  if (now.getTime() >= end) return null;
  const delays = config.webhookRetryDelaysMs;
  const base = delays[Math.min(Math.max(attempts, 1), delays.length) - 1] ?? 60_000;
  const delay = base * (0.8 + random() * 0.4);
  return new Date(Math.min(now.getTime() + delay, end));
}

/** One attempt of a delivery, recorded; shared by the `webhook.deliver` job and the API channel's send. */
export class WebhookDeliverer {
  readonly repo: WebhooksRepository;

  constructor(private readonly ctx: AppContext) {
    this.repo = new WebhooksRepository(ctx.db);
  }

  /**
   * Posts, then records the attempt. With `reschedule`, a failure enqueues the next attempt in the
   * same transaction (the job path); without, the caller retries (the API channel's `message.send`).
   * 410 Gone gives up at once and, for an account endpoint, disables it.
   */
  async attempt(delivery: DeliveryRow, endpoint: EndpointRow, opts: { reschedule: boolean }): Promise<AttemptResult> {
    const secret = this.ctx.secrets.open<string>(endpoint.secret);
    const outcome = await postSigned(this.ctx.outbound, endpoint.url, secret, delivery, this.ctx.config.webhookTimeoutMs);
    const gone = outcome.statusCode === 410;
    const next = outcome.ok || gone ? null : nextAttemptAt(this.ctx.config, delivery.attempts + 1, delivery.createdAt);
    const verdict: Verdict = outcome.ok ? 'delivered' : next ? 'retry' : 'dead';
    const error = gone
      ? `${outcome.error ?? 'http_410'} (410 Gone: ${endpoint.channelId ? 'not retried' : 'the endpoint was disabled'})`
      : verdict === 'dead'
        ? `${outcome.error ?? 'failed'} (gave up after ${delivery.attempts + 1} attempts)`
        : outcome.error;
    const row = await transaction(this.ctx.pool, async (tx) => {
      const updated = await this.repo.recordAttempt(tx.db, delivery.id, {
        status: verdict === 'retry' ? 'failed' : verdict,
        statusCode: outcome.statusCode,
        error,
        nextAttemptAt: next,
      });
      if (verdict === 'retry' && opts.reschedule) {
        const seconds = Math.max(1, Math.ceil((next!.getTime() - Date.now()) / 1000));
        await this.ctx.queue.send(
          tx,
          'webhook.deliver',
          { accountId: delivery.accountId, deliveryId: delivery.id },
          { startAfterSeconds: seconds },
        );
      }
      if (gone && !endpoint.channelId) await this.repo.updateEndpoint(tx.db, endpoint.accountId, endpoint.id, { enabled: false });
      return updated ?? delivery;
    });
    if (gone && !endpoint.channelId) this.ctx.log.warn({ endpointId: endpoint.id }, 'webhook endpoint answered 410 Gone; disabled');
    return { row, verdict, outcome: { ...outcome, error }, nextAttemptAt: next };
  }
}
