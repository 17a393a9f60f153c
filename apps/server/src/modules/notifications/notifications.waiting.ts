import type { AppContext } from '../../context.js';
import { transaction } from '../../platform/db/transaction.js';
import { Audience, notify } from './notifications.create.js';
import { NotificationsRepository } from './notifications.repository.js';

/** Silences older than this are not announced any more (they were, or the conversation is abandoned). */
const LOOKBACK_MS = 3 * 24 * 3600_000;
/** The shortest threshold anyone can choose: nothing younger can be late for anybody. */
const MIN_WAIT_MS = 60_000;

/**
 * Conversations whose customer is waiting for a person: the assignee (or, unassigned, the queue's
 * people) once their `waitingMinutes` have passed; managers once their `escalationMinutes` have. Once
 * per waiting message and person (the message id is the source), so every run may look at everything.
 */
export async function checkWaiting(ctx: AppContext, now = new Date()): Promise<number> {
  const repo = new NotificationsRepository(ctx.db);
  const rows = await repo.waiting(new Date(now.getTime() - MIN_WAIT_MS), new Date(now.getTime() - LOOKBACK_MS));
  const byAccount = new Map<string, typeof rows>();
  for (const r of rows) byAccount.set(r.accountId, [...(byAccount.get(r.accountId) ?? []), r]);
  let created = 0;
  for (const [accountId, list] of byAccount) {
    created += await transaction(ctx.pool, async (tx) => {
      const audience = await Audience.load(tx, accountId);
      const txRepo = new NotificationsRepository(tx.db);
      let n = 0;
      for (const w of list) {
        const minutes = Math.floor((now.getTime() - w.waitingSince.getTime()) / 60_000);
        const late = (userId: string, key: 'waitingMinutes' | 'escalationMinutes') => minutes >= audience.settingsOf(userId)[key];
        const queue = w.assigneeId
          ? [w.assigneeId]
          : w.teamId
            ? await txRepo.teamMemberIds(tx.db, accountId, w.teamId)
            : audience.with('conversation.assign');
        const due = queue.filter((id) => audience.can(id, 'conversation.read') && late(id, 'waitingMinutes'));
        const managers = audience.managers().filter((id) => late(id, 'escalationMinutes'));
        if (due.length === 0 && managers.length === 0) continue;
        const conv = await txRepo.conversation(tx.db, accountId, w.conversationId);
        if (!conv) continue;
        const common = {
          accountId,
          facts: { contact: conv.contactName, channel: conv.channelName, minutes },
          body: conv.preview ?? '',
          link: `/inbox/${conv.id}`,
          conversationId: conv.id,
          data: { waitingSince: w.waitingSince.toISOString() },
        };
        n += (await notify(ctx, tx, audience, { ...common, userIds: due, kind: 'waiting', sourceKey: `waiting:${w.messageId}` })).length;
        n += (
          await notify(ctx, tx, audience, {
            ...common,
            userIds: managers,
            kind: 'waiting_escalated',
            sourceKey: `escalated:${w.messageId}`,
          })
        ).length;
      }
      return n;
    });
  }
  return created;
}
