import type { BulkAction, BulkResult } from '@switchboard/shared';
import type { AppContext } from '../../context.js';
import { transaction } from '../../platform/db/transaction.js';
import { AppError } from '../../platform/http/errors.js';
import { recordAudit } from '../identity/identity.audit.js';
import { requirePermission, type Actor } from '../identity/permissions.js';
import type { TagsService } from '../tags/tags.service.js';
import type { ConversationPatch, ConversationsService } from './conversations.service.js';

/**
 * One action on many conversations: one request, one transaction, a result per conversation. Each
 * conversation runs in its own savepoint, so one refusal (a colleague's conversation, a missing one)
 * leaves the others done; the whole batch is one audit entry.
 */
export async function applyBulkAction(
  ctx: AppContext,
  services: { conversations: ConversationsService; tags: TagsService },
  actor: Actor,
  conversationIds: string[],
  action: BulkAction,
): Promise<BulkResult> {
  const ids = [...new Set(conversationIds)];
  const patch = patchOf(action);
  if (patch) await services.conversations.checkUpdate(actor, patch);
  else requirePermission(actor, 'conversation.assign');
  return transaction(ctx.pool, async (tx) => {
    if (action.kind === 'tag') await services.tags.requireTags(tx.db, actor.accountId, [...action.add, ...action.remove]);
    const results: BulkResult['results'] = [];
    for (const conversationId of ids) {
      await tx.client.query('savepoint bulk_item');
      try {
        if (patch) await services.conversations.applyUpdate(tx, actor, conversationId, patch);
        else if (action.kind === 'tag') {
          await services.conversations.get(actor, conversationId);
          await services.tags.changeConversationTags(tx, actor, conversationId, action.add, action.remove);
        }
        await services.conversations.publishConversation(tx, actor.accountId, conversationId);
        await tx.client.query('release savepoint bulk_item');
        results.push({ conversationId, ok: true });
      } catch (err) {
        await tx.client.query('rollback to savepoint bulk_item');
        if (!(err instanceof AppError) || err.status >= 500) throw err;
        results.push({ conversationId, ok: false, error: { code: err.code, message: err.message } });
      }
    }
    await recordAudit(tx.db, actor, 'conversation.bulk', {
      targetType: 'conversation',
      details: { action, done: results.filter((r) => r.ok).map((r) => r.conversationId), failed: results.filter((r) => !r.ok).length },
    });
    return { results };
  });
}

function patchOf(action: BulkAction): ConversationPatch | null {
  switch (action.kind) {
    case 'assign':
      return { assigneeId: action.assigneeId };
    case 'resolve':
      return { status: 'resolved' };
    case 'snooze':
      return { status: 'snoozed', snoozedUntil: action.until };
    case 'tag':
      return null;
  }
}
