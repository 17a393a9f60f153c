import type { AppContext } from '../../context.js';
import { defineJob } from '../../platform/queue/queue.js';
import { webhooksTotal } from './webhooks.metrics.js';
import { WebhookDeliverer } from './webhooks.delivery.js';

/** A job that fires this much before the delivery's due time is a stale duplicate (a redelivery overtook it). */
const EARLY_TOLERANCE_MS = 2_000;

/**
 * `webhook.deliver`: one attempt of one delivery. The retry schedule (minutes to hours, within the
 * window) is the delivery's own: a failure records the attempt and enqueues the next one in the same
 * transaction. pg-boss retries only cover this handler crashing (database down). Deliveries are
 * at least once: receivers deduplicate on the payload's `id`.
 */
export const webhookDeliverJob = defineJob<'webhook.deliver', AppContext>({
  name: 'webhook.deliver',
  concurrency: 8,
  options: { retryLimit: 5, retryDelay: 30, retryBackoff: true, expireInSeconds: 120 },
  async handler({ accountId, deliveryId }, _meta, ctx) {
    const deliverer = new WebhookDeliverer(ctx);
    const found = await deliverer.repo.getDelivery(ctx.db, accountId, deliveryId);
    if (!found || found.delivery.status === 'delivered' || found.delivery.status === 'dead') {
      ctx.log.debug({ deliveryId, status: found?.delivery.status }, 'webhook.deliver skipped: nothing to deliver');
      return;
    }
    const { delivery, endpoint } = found;
    if (delivery.nextAttemptAt && delivery.nextAttemptAt.getTime() - Date.now() > EARLY_TOLERANCE_MS) {
      ctx.log.debug({ deliveryId }, 'webhook.deliver skipped: a later attempt is scheduled');
      return;
    }
    if (endpoint.deletedAt) {
      await deliverer.repo.settle(ctx.db, delivery.id, 'dead', 'The endpoint was deleted');
      return;
    }
    if (!endpoint.enabled) {
      // Kept as failed (not dead): "Redeliver failed" sends it once the endpoint is enabled again.
      await deliverer.repo.settle(ctx.db, delivery.id, 'failed', 'The endpoint is disabled; redeliver after enabling it');
      return;
    }
    const result = await deliverer.attempt(delivery, endpoint, { reschedule: true });
    webhooksTotal.inc({ outcome: result.verdict });
  },
  async onDead({ accountId, deliveryId }, ctx) {
    const deliverer = new WebhookDeliverer(ctx);
    const found = await deliverer.repo.getDelivery(ctx.db, accountId, deliveryId);
    if (!found || found.delivery.status === 'delivered' || found.delivery.status === 'dead') return;
    await deliverer.repo.settle(ctx.db, deliveryId, 'dead', found.delivery.lastError ?? 'Delivery could not be processed (internal error)');
  },
});
