import { randomUUID } from 'node:crypto';
import type { CreateWebhookEndpointRequest, UpdateWebhookEndpointRequest, WebhookDeliveryListQuery } from '@switchboard/shared';
import type { AppContext } from '../../context.js';
import { transaction, type Tx } from '../../platform/db/transaction.js';
import { decodeCursor, encodeCursor } from '../../platform/http/cursor.js';
import { AppError, notFound } from '../../platform/http/errors.js';
import { toMessage } from '../conversations/conversations.dto.js';
import { ConversationsRepository } from '../conversations/conversations.repository.js';
import { recordAudit } from '../identity/identity.audit.js';
import { requirePermission, type Actor } from '../identity/permissions.js';
import { WebhookDeliverer } from './webhooks.delivery.js';
import { toDelivery, toEndpoint } from './webhooks.dto.js';
import { WebhooksRepository, type DeliveryRow, type EndpointWithStats } from './webhooks.repository.js';
import { newSigningSecret } from './webhooks.signing.js';

/** Account event endpoints per account (an API channel's endpoint does not count). */
const MAX_ENDPOINTS = 20;

/** Endpoints (create, edit, rotate, test), their delivery log and redelivery. Managers only. */
export class WebhooksService {
  private readonly repo: WebhooksRepository;
  private readonly deliverer: WebhookDeliverer;
  private readonly messages: ConversationsRepository;

  constructor(private readonly ctx: AppContext) {
    this.repo = new WebhooksRepository(ctx.db);
    this.deliverer = new WebhookDeliverer(ctx);
    this.messages = new ConversationsRepository(ctx.db);
  }

  async list(actor: Actor) {
    requirePermission(actor, 'webhook.manage');
    return (await this.repo.listEndpoints(actor.accountId)).map(toEndpoint);
  }

  async get(actor: Actor, id: string) {
    requirePermission(actor, 'webhook.manage');
    return toEndpoint(await this.endpoint(actor, id));
  }

  /** Creates an endpoint; its signing secret is in this response only. */
  async create(actor: Actor, req: CreateWebhookEndpointRequest) {
    requirePermission(actor, 'webhook.manage');
    const url = await this.ctx.outbound.checkUrl(req.url, 'url');
    const existing = (await this.repo.listEndpoints(actor.accountId)).filter((e) => !e.channelId);
    if (existing.length >= MAX_ENDPOINTS) throw new AppError('conflict', `An account can have at most ${MAX_ENDPOINTS} webhook endpoints`);
    const secret = newSigningSecret();
    const row = await transaction(this.ctx.pool, async (tx) => {
      const row = await this.repo.insertEndpoint(tx.db, {
        accountId: actor.accountId,
        url,
        description: req.description || null,
        events: [...new Set(req.events)],
        enabled: req.enabled ?? true,
        secret: this.ctx.secrets.seal(secret),
      });
      await recordAudit(tx.db, actor, 'webhook.created', {
        targetType: 'webhook_endpoint',
        targetId: row.id,
        details: { url, events: row.events },
      });
      return row;
    });
    return { ...toEndpoint({ ...row, failing: 0 }), secret };
  }

  async update(actor: Actor, id: string, req: UpdateWebhookEndpointRequest) {
    requirePermission(actor, 'webhook.manage');
    const current = await this.endpoint(actor, id);
    if (current.channelId && (req.url !== undefined || req.events !== undefined)) {
      throw new AppError('conflict', "This endpoint belongs to an API channel: change the channel's callbackUrl instead");
    }
    const patch = {
      ...(req.url !== undefined ? { url: await this.ctx.outbound.checkUrl(req.url, 'url') } : {}),
      ...(req.description !== undefined ? { description: req.description || null } : {}),
      ...(req.events !== undefined ? { events: [...new Set(req.events)] } : {}),
      ...(req.enabled !== undefined ? { enabled: req.enabled } : {}),
    };
    await transaction(this.ctx.pool, async (tx) => {
      await this.repo.updateEndpoint(tx.db, actor.accountId, id, patch);
      await recordAudit(tx.db, actor, 'webhook.updated', { targetType: 'webhook_endpoint', targetId: id, details: { ...patch } });
    });
    return this.get(actor, id);
  }

  async remove(actor: Actor, id: string): Promise<void> {
    requirePermission(actor, 'webhook.manage');
    const current = await this.endpoint(actor, id);
    if (current.channelId) throw new AppError('conflict', 'This endpoint belongs to an API channel: it goes when the channel is deleted');
    await transaction(this.ctx.pool, async (tx) => {
      await this.repo.updateEndpoint(tx.db, actor.accountId, id, { deletedAt: new Date() });
      await recordAudit(tx.db, actor, 'webhook.deleted', { targetType: 'webhook_endpoint', targetId: id, details: { url: current.url } });
    });
  }

  /** A new signing secret, effective at once (shown in this response only). */
  async rotateSecret(actor: Actor, id: string) {
    requirePermission(actor, 'webhook.manage');
    await this.endpoint(actor, id);
    const secret = newSigningSecret();
    await transaction(this.ctx.pool, async (tx) => {
      await this.repo.updateEndpoint(tx.db, actor.accountId, id, { secret: this.ctx.secrets.seal(secret) });
      await recordAudit(tx.db, actor, 'webhook.secret_rotated', { targetType: 'webhook_endpoint', targetId: id, details: {} });
    });
    return { ...(await this.get(actor, id)), secret };
  }

  /** Sends a signed `ping` now and reports what the endpoint answered (one attempt, never retried). */
  async ping(actor: Actor, id: string) {
    requirePermission(actor, 'webhook.manage');
    const endpoint = await this.endpoint(actor, id);
    const delivery = await this.repo.insertDelivery(this.ctx.db, {
      accountId: actor.accountId,
      endpointId: id,
      eventType: 'ping',
      payload: {
        id: `ping_${randomUUID()}`,
        type: 'ping',
        createdAt: new Date().toISOString(),
        accountId: actor.accountId,
        data: { endpointId: id },
      },
    });
    const result = await this.deliverer.attempt(delivery, endpoint, { reschedule: false });
    if (result.verdict !== 'delivered') await this.repo.settle(this.ctx.db, delivery.id, 'dead', result.outcome.error ?? 'failed');
    const after = await this.repo.getDelivery(this.ctx.db, actor.accountId, delivery.id);
    return toDelivery(after?.delivery ?? result.row);
  }

  async deliveries(actor: Actor, endpointId: string, q: WebhookDeliveryListQuery) {
    requirePermission(actor, 'webhook.manage');
    await this.endpoint(actor, endpointId);
    const limit = q.limit;
    const rows = await this.repo.listDeliveries(actor.accountId, endpointId, {
      status: q.status,
      limit: limit + 1,
      before: q.cursor ? decodeCursor(q.cursor) : undefined,
    });
    const last = rows.length > limit ? rows[limit - 1] : undefined;
    return { items: rows.slice(0, limit).map(toDelivery), nextCursor: last ? encodeCursor(last.createdAt, last.id) : null };
  }

  /** Sends one delivery again with a fresh retry window. */
  async redeliver(actor: Actor, deliveryId: string) {
    requirePermission(actor, 'webhook.manage');
    const found = await this.repo.getDelivery(this.ctx.db, actor.accountId, deliveryId);
    if (!found || found.endpoint.deletedAt) throw notFound('Delivery');
    if (found.delivery.eventType === 'ping') throw new AppError('conflict', 'A test ping is not redelivered; send a new one');
    await this.restart(actor, { ids: [deliveryId] }, (tx) =>
      recordAudit(tx.db, actor, 'webhook.redelivered', {
        targetType: 'webhook_endpoint',
        targetId: found.endpoint.id,
        details: { deliveryId },
      }),
    );
    const after = await this.repo.getDelivery(this.ctx.db, actor.accountId, deliveryId);
    return toDelivery(after!.delivery);
  }

  /** Sends again every failed and dead delivery of an endpoint (or those of one status). */
  async redeliverFailed(actor: Actor, endpointId: string, status?: 'failed' | 'dead') {
    requirePermission(actor, 'webhook.manage');
    await this.endpoint(actor, endpointId);
    const affected = await this.restart(actor, { endpointId, statuses: status ? [status] : ['failed', 'dead'] }, (tx, count) =>
      recordAudit(tx.db, actor, 'webhook.redelivered', {
        targetType: 'webhook_endpoint',
        targetId: endpointId,
        details: { count, status: status ?? 'failed,dead' },
      }),
    );
    return { affected };
  }

  /** Restarts deliveries and records `audit` of it in the same transaction. */
  private restart(
    actor: Actor,
    where: Parameters<WebhooksRepository['restart']>[2],
    audit: (tx: Tx, count: number) => Promise<void>,
  ): Promise<number> {
    return transaction(this.ctx.pool, async (tx) => {
      const rows = (await this.repo.restart(tx.db, actor.accountId, where)).filter((r) => r.eventType !== 'ping');
      for (const row of rows) {
        if (row.eventType === 'message.outbound' && (await this.requeueReply(tx, row))) continue;
        await this.ctx.queue.send(tx, 'webhook.deliver', { accountId: row.accountId, deliveryId: row.id });
      }
      await audit(tx, rows.length);
      return rows.length;
    });
  }

  /**
   * An API channel's reply that never got through is sent again as a message (so its status follows
   * the delivery); one already delivered is simply posted again.
   */
  private async requeueReply(tx: Tx, row: DeliveryRow): Promise<boolean> {
    const messageId = (row.payload.data as { messageId?: string } | undefined)?.messageId;
    const message = messageId ? await this.messages.getMessage(tx.db, row.accountId, messageId) : undefined;
    if (!message) return false;
    if (message.status === 'queued' || message.status === 'sending') return true; // its send job is on it
    if (message.status !== 'failed' && message.status !== 'dead') return false;
    const updated = await this.messages.setMessageState(tx.db, row.accountId, message.id, { status: 'queued', failureReason: null });
    await this.ctx.queue.send(tx, 'message.send', { accountId: row.accountId, messageId: message.id });
    if (updated)
      await this.ctx.bus.publish(tx, row.accountId, 'message.updated', {
        conversationId: updated.conversationId,
        message: toMessage(updated),
      });
    return true;
  }

  private async endpoint(actor: Actor, id: string): Promise<EndpointWithStats> {
    const row = await this.repo.getEndpoint(this.ctx.db, actor.accountId, id);
    if (!row) throw notFound('Webhook endpoint');
    return row;
  }
}
