import type { DeadLetter, DeadLetterActionRequest } from '@switchboard/shared';
import type { AppContext } from '../../context.js';
import { transaction } from '../../platform/db/transaction.js';
import { AppError } from '../../platform/http/errors.js';
import { decodeCursor, encodeCursor } from '../../platform/http/cursor.js';
import { recordAudit } from '../identity/identity.audit.js';
import { requirePermission, type Actor } from '../identity/permissions.js';
import { toMessage } from '../conversations/conversations.dto.js';
import { DeadLettersRepository, type DeadLetterRow } from './dead-letters.repository.js';

/**
 * The dead-letter view across channels: outbound messages that failed or gave up, with their reason;
 * an operator retries one or all, a manager discards (audited).
 */
export class DeadLettersService {
  private readonly repo: DeadLettersRepository;

  constructor(private readonly ctx: AppContext) {
    this.repo = new DeadLettersRepository(ctx.db);
  }

  async list(actor: Actor, q: { channelId?: string | undefined; limit: number; cursor?: string | undefined }) {
    requirePermission(actor, 'conversation.read');
    const cursor = q.cursor ? decodeCursor(q.cursor) : undefined;
    const before = cursor ? { createdAt: cursor.at, id: cursor.id } : undefined;
    const rows = await this.repo.list(actor.accountId, { channelId: q.channelId, limit: q.limit + 1, before });
    const items = rows.slice(0, q.limit).map(toDeadLetter);
    const last = rows.length > q.limit ? rows[q.limit - 1] : undefined;
    const { total, uncertain, retrying } = await this.repo.counts(actor.accountId, q.channelId);
    return { items, nextCursor: last ? encodeCursor(last.createdAt, last.messageId) : null, total, uncertain, retrying };
  }

  /**
   * Queues the messages for delivery again (attempts start over). One whose delivery is uncertain may
   * already be with the customer: it is sent again only with `confirmUncertain`.
   */
  retry(actor: Actor, req: DeadLetterActionRequest) {
    requirePermission(actor, 'conversation.reply');
    return this.act(actor, req, 'queued', null, 'dead_letters.retried');
  }

  /** Gives up on the messages for good; they stay in the conversation marked discarded. */
  async discard(actor: Actor, req: DeadLetterActionRequest) {
    requirePermission(actor, 'channel.manage');
    return this.act(actor, req, 'discarded', 'Discarded from the dead-letter view', 'dead_letters.discarded');
  }

  private async act(actor: Actor, req: DeadLetterActionRequest, to: 'queued' | 'discarded', reason: string | null, action: string) {
    if (req.messageIds && req.channelId) throw new AppError('bad_request', 'Give messageIds or channelId with all: true, not both');
    // Discarding sends nothing, so it needs no confirmation.
    const withUncertain = to === 'discarded' || req.confirmUncertain === true;
    const rows = await transaction(this.ctx.pool, async (tx) => {
      const uncertain = req.messageIds && !withUncertain ? await this.repo.uncertainAmong(tx, actor.accountId, req.messageIds) : [];
      if (uncertain.length) {
        throw new AppError(
          'delivery_uncertain',
          'The customer may already have these replies: an earlier send was interrupted after it may have reached the channel. Check the conversation, then confirm to send them again.',
          { messageIds: uncertain },
        );
      }
      const changed = await this.repo.transition(tx, actor.accountId, req, to, reason, withUncertain);
      for (const row of changed) {
        if (to === 'queued') await this.ctx.queue.send(tx, 'message.send', { accountId: actor.accountId, messageId: row.id });
        await this.ctx.bus.publish(tx, actor.accountId, 'message.updated', { conversationId: row.conversationId, message: toMessage(row) });
      }
      if (changed.length) {
        await recordAudit(tx.db, actor, action, {
          targetType: 'message',
          ...(changed.length === 1 ? { targetId: changed[0]!.id } : {}),
          details: {
            count: changed.length,
            messageIds: changed.slice(0, 100).map((r) => r.id),
            channelId: req.channelId ?? null,
            ...(to === 'queued' && req.confirmUncertain ? { confirmUncertain: true } : {}),
          },
        });
      }
      if (to === 'queued') {
        // Still being retried: their waiting job is brought forward ("retry now"), not doubled.
        const hastened = await this.repo.hastenRetries(tx, actor.accountId, req);
        for (const id of hastened.jobless) await this.ctx.queue.send(tx, 'message.send', { accountId: actor.accountId, messageId: id });
        for (const row of hastened.rows)
          await this.ctx.bus.publish(tx, actor.accountId, 'message.updated', {
            conversationId: row.conversationId,
            message: toMessage(row),
          });
        if (hastened.rows.length) {
          await recordAudit(tx.db, actor, 'dead_letters.retried_now', {
            targetType: 'message',
            details: { count: hastened.rows.length, messageIds: hastened.rows.slice(0, 100).map((r) => r.id) },
          });
        }
        return [...changed, ...hastened.rows];
      }
      return changed;
    });
    return { affected: rows.length };
  }
}

function toDeadLetter(r: DeadLetterRow): DeadLetter {
  return {
    ...r,
    channelType: r.channelType as DeadLetter['channelType'],
    failureCode: r.failureCode as DeadLetter['failureCode'],
    retryAt: r.retryAt ? r.retryAt.toISOString() : null,
    createdAt: r.createdAt.toISOString(),
  };
}
