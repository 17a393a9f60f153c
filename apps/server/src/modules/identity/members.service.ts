import type { AppContext } from '../../context.js';
import { transaction, type Tx } from '../../platform/db/transaction.js';
import { AppError, notFound } from '../../platform/http/errors.js';
import { assertCanAssignRole } from '../access/roles.service.js';
import { cutOff } from './cut-off.js';
import { recordAudit } from './identity.audit.js';
import { PeopleRepository } from './people.repository.js';
import { requirePermission, type Actor } from './permissions.js';

/** Announces a conversation that changed (the conversations domain publishes it to open inboxes). */
/** A conversation went back to the queue without its assignee (deactivated) — told by the conversations domain. */
export type ReturnedToQueue = (tx: Tx, accountId: string, id: string, from: { assigneeId: string; byUserId: string }) => Promise<unknown>;

/** The Team page: members with their status, and cutting someone off (deactivate) or letting them back. */
export class MembersService {
  private readonly repo: PeopleRepository;

  constructor(
    private readonly ctx: AppContext,
    private readonly returnedToQueue: ReturnedToQueue,
  ) {
    this.repo = new PeopleRepository(ctx.db);
  }

  async list(actor: Actor) {
    requirePermission(actor, 'user.read');
    const rows = await this.repo.listTeam(actor.accountId);
    return rows.map((r) => ({
      id: r.id,
      email: r.email,
      name: r.name,
      role: r.role,
      status: r.deactivatedAt ? ('deactivated' as const) : ('active' as const),
      // Teams are their own domain, still to come: every member is in none yet.
      teams: [] as { id: string; name: string }[],
      lastActiveAt: r.lastActiveAt ? new Date(r.lastActiveAt) : null,
      twoFactor: Boolean(r.twoFactor),
      hasAvatar: Boolean(r.hasAvatar),
      createdAt: r.createdAt,
    }));
  }

  /**
   * Deactivates a member at once: their sessions, API tokens and Telegram bridge links are revoked in the
   * same transaction (open event streams end at their next re-check), their conversations go back to the
   * queue, and everything they wrote stays.
   */
  async deactivate(actor: Actor, userId: string) {
    const member = await this.manageable(actor, userId);
    if (userId === actor.userId) throw new AppError('conflict', 'You cannot deactivate yourself');
    if (member.deactivatedAt) return this.one(actor, userId);
    if (member.role === 'owner' && (await this.repo.countActiveOwners(actor.accountId)) <= 1) {
      throw new AppError('conflict', 'An account must keep at least one active owner');
    }
    await transaction(this.ctx.pool, async (tx) => {
      const repo = new PeopleRepository(tx.db);
      await repo.setDeactivated(actor.accountId, userId, true);
      const cut = await cutOff(tx.db, actor.accountId, userId, { tokens: true, bridge: true });
      const returned = await repo.returnConversationsToQueue(actor.accountId, userId);
      for (const id of returned) await this.returnedToQueue(tx, actor.accountId, id, { assigneeId: userId, byUserId: actor.userId });
      await recordAudit(tx.db, actor, 'user.deactivated', {
        targetType: 'user',
        targetId: userId,
        details: { ...cut, conversationsReturned: returned.length },
      });
    });
    return this.one(actor, userId);
  }

  /** Lets a deactivated member sign in again (with their old password; tokens stay revoked). */
  async reactivate(actor: Actor, userId: string) {
    const member = await this.manageable(actor, userId);
    if (!member.deactivatedAt) return this.one(actor, userId);
    await transaction(this.ctx.pool, async (tx) => {
      await new PeopleRepository(tx.db).setDeactivated(actor.accountId, userId, false);
      await recordAudit(tx.db, actor, 'user.reactivated', { targetType: 'user', targetId: userId });
    });
    return this.one(actor, userId);
  }

  /** A member the actor may manage: they must hold every permission the member's role gives. */
  private async manageable(actor: Actor, userId: string) {
    requirePermission(actor, 'user.manage');
    const member = await this.repo.membership(actor.accountId, userId);
    if (!member) throw notFound('User');
    await assertCanAssignRole(this.ctx.db, actor, member.role, member.role);
    return member;
  }

  private async one(actor: Actor, userId: string) {
    const found = (await this.list(actor)).find((m) => m.id === userId);
    if (!found) throw notFound('User');
    return found;
  }
}
