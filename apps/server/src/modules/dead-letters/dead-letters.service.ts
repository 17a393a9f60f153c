import type { DeadLetter, DeadLetterActionRequest } from '@switchboard/shared';
import type { AppContext } from '../../context.js';
import { transaction } from '../../platform/db/transaction.js';
import { AppError } from '../../platform/http/errors.js';
import { decodeCursor, encodeCursor } from '../../platform/http/cursor.js';
import { IdentityRepository } from '../identity/identity.repository.js';
import { requirePermission, type Actor } from '../identity/permissions.js';
import { toMessage } from '../conversations/conversations.dto.js';
import { DeadLettersRepository, type DeadLetterRow } from './dead-letters.repository.js';

/**
 * The dead-letter view across channels: outbound messages that failed or gave up, with their reason;
 * an operator retries one or all, a manager discards (audited).
 */
export class DeadLettersService {
  private readonly repo: DeadLettersRepository;
  private readonly audit: IdentityRepository;

  constructor(private readonly ctx: AppContext) {
    this.repo = new DeadLettersRepository(ctx.db);
    this.audit = new IdentityRepository(ctx.db);
  }

  async list(actor: Actor, q: { channelId?: string | undefined; limit: number; cursor?: string | undefined }) {
    requirePermission(actor, 'conversation.read');
    const cursor = q.cursor ? decodeCursor(q.cursor) : undefined;
    const before = cursor ? { createdAt: cursor.at, id: cursor.id } : undefined;
    const rows = await this.repo.list(actor.accountId, { channelId: q.channelId, limit: q.limit + 1, before });
    const items = rows.slice(0, q.limit).map(toDeadLetter);
    const last = rows.length > q.limit ? rows[q.limit - 1] : undefined;
    return {
      items,
      nextCursor: last ? encodeCursor(last.createdAt, last.messageId) : null,
      total: await this.repo.count(actor.accountId, q.channelId),
    };
  }

  /** Queues the messages for delivery again (attempts start over). */
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
    const rows = await transaction(this.ctx.pool, async (tx) => {
      const changed = await this.repo.transition(tx, actor.accountId, req, to, reason);
      for (const row of changed) {
        if (to === 'queued') await this.ctx.queue.send(tx, 'message.send', { accountId: actor.accountId, messageId: row.id });
        await this.ctx.bus.publish(tx, actor.accountId, 'message.updated', { conversationId: row.conversationId, message: toMessage(row) });
      }
      return changed;
    });
    if (rows.length) {
      await this.audit.audit({
        accountId: actor.accountId,
        actorUserId: actor.userId,
        action,
        targetType: 'message',
        ...(rows.length === 1 ? { targetId: rows[0]!.id } : {}),
        ip: actor.ip,
        details: { count: rows.length, messageIds: rows.slice(0, 100).map((r) => r.id), channelId: req.channelId ?? null },
      });
    }
    return { affected: rows.length };
  }
}

function toDeadLetter(r: DeadLetterRow): DeadLetter {
  return { ...r, channelType: r.channelType as DeadLetter['channelType'], createdAt: r.createdAt.toISOString() };
}
