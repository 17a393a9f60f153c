import type { AppContext } from '../../context.js';
import type { Tx } from '../../platform/db/transaction.js';
import { transaction } from '../../platform/db/transaction.js';
import type { AccountLimits } from '../../platform/db/schema.js';
import { AppError, forbidden, notFound } from '../../platform/http/errors.js';
import { IdentityRepository } from '../identity/identity.repository.js';
import type { Actor } from '../identity/permissions.js';
import { AccountsRepository, type AccountStatus } from './accounts.repository.js';

/** The people part's invitation, as the platform cabinet uses it (an owner invited into a new account). */
export type InviteToAccount = (
  tx: Tx | null,
  input: { accountId: string; email: string; role: string; invitedBy: Actor | null },
) => Promise<{ id: string; email: string; link: string; mailed: boolean }>;

/** Limits as a request gives them: a number sets one, null removes it, a missing key keeps it. */
export type LimitsPatch = { [K in keyof AccountLimits]?: number | null | undefined };

/** Limits as stored: only the set ones. */
function storedLimits(current: AccountLimits, patch: LimitsPatch): AccountLimits {
  const out: AccountLimits = { ...current };
  for (const [key, value] of Object.entries(patch) as [keyof AccountLimits, number | null | undefined][]) {
    if (value === null) delete out[key];
    else if (value !== undefined) out[key] = value;
  }
  return out;
}

/**
 * The platform cabinet: the installation's operator (a user with the platform-admin flag) lists every
 * account with its usage and health, creates accounts with their owner's invitation, suspends and
 * resumes them and sets their plan limits. Every action is audited on the account it concerns.
 */
export class PlatformService {
  private readonly repo: AccountsRepository;

  constructor(
    private readonly ctx: AppContext,
    private readonly invite: InviteToAccount,
  ) {
    this.repo = new AccountsRepository(ctx.db);
  }

  /** 403 unless the actor's user is a platform admin (a user flag, not an account permission). */
  async requirePlatformAdmin(actor: Actor): Promise<void> {
    if (!(await this.repo.isPlatformAdmin(actor.userId))) throw forbidden('Only the installation operator may use the platform cabinet');
  }

  async list(actor: Actor, filter: { q?: string; status?: AccountStatus }) {
    await this.requirePlatformAdmin(actor);
    return this.repo.list(filter);
  }

  async get(actor: Actor, id: string) {
    await this.requirePlatformAdmin(actor);
    return this.load(id);
  }

  private async load(id: string) {
    const [row] = await this.repo.list({ id }, 1);
    if (!row) throw notFound('Account');
    return row;
  }

  async create(actor: Actor, input: { name: string; ownerEmail: string; limits?: LimitsPatch | undefined }) {
    await this.requirePlatformAdmin(actor);
    const email = input.ownerEmail.toLowerCase();
    const { accountId, invitation } = await transaction(this.ctx.pool, async (tx) => {
      const repo = new AccountsRepository(tx.db);
      const { id: accountId } = await repo.create(input.name, storedLimits({}, input.limits ?? {}));
      const invitation = await this.invite(tx, { accountId, email, role: 'owner', invitedBy: null });
      await this.audit(tx, actor, 'platform.account_created', accountId, { name: input.name, ownerEmail: email });
      return { accountId, invitation };
    });
    return {
      account: await this.load(accountId),
      invitation: { email, link: invitation.link, mailed: invitation.mailed },
    };
  }

  async update(actor: Actor, id: string, patch: { name?: string | undefined; limits?: LimitsPatch | undefined }) {
    await this.requirePlatformAdmin(actor);
    await transaction(this.ctx.pool, async (tx) => {
      const repo = new AccountsRepository(tx.db);
      const current = await repo.find(id);
      if (!current) throw notFound('Account');
      const limits = patch.limits ? storedLimits(current.limits, patch.limits) : undefined;
      await repo.update(id, { ...(patch.name ? { name: patch.name } : {}), ...(limits ? { limits } : {}) });
      await this.audit(tx, actor, 'platform.account_updated', id, {
        ...(patch.name && patch.name !== current.name ? { name: { from: current.name, to: patch.name } } : {}),
        ...(limits ? { limits: { from: current.limits, to: limits } } : {}),
      });
    });
    return this.load(id);
  }

  /**
   * Suspends an account: its people cannot sign in (sessions and tokens stop working), channels keep
   * storing inbound, and outbound sends are held (left queued) until it is resumed.
   */
  async suspend(actor: Actor, id: string) {
    await this.requirePlatformAdmin(actor);
    if (id === actor.accountId) throw new AppError('conflict', 'You cannot suspend the account you are signed in to');
    await transaction(this.ctx.pool, async (tx) => {
      const repo = new AccountsRepository(tx.db);
      if (!(await repo.find(id))) throw notFound('Account');
      if (await repo.setStatus(id, 'suspended')) await this.audit(tx, actor, 'platform.account_suspended', id, {});
    });
    return this.load(id);
  }

  /** Resumes an account: sign-in works again and every held outbound message is queued to send. */
  async resume(actor: Actor, id: string) {
    await this.requirePlatformAdmin(actor);
    await transaction(this.ctx.pool, async (tx) => {
      const repo = new AccountsRepository(tx.db);
      if (!(await repo.find(id))) throw notFound('Account');
      if (!(await repo.setStatus(id, 'active'))) return;
      const held = await repo.heldOutbound(id);
      for (const messageId of held) await this.ctx.queue.send(tx, 'message.send', { accountId: id, messageId });
      await this.audit(tx, actor, 'platform.account_resumed', id, { heldMessagesQueued: held.length });
    });
    return this.load(id);
  }

  /** Platform actions, newest first. */
  async auditLog(actor: Actor, limit: number, beforeId?: number) {
    await this.requirePlatformAdmin(actor);
    const rows = await new IdentityRepository(this.ctx.db).listPlatformAudit(limit + 1, beforeId);
    const items = rows.slice(0, limit);
    return { items, nextCursor: rows.length > limit ? String(items[items.length - 1]!.id) : null };
  }

  /** Recorded on the account the action concerns, so its own audit log shows it too. */
  private audit(tx: Tx, actor: Actor, action: string, accountId: string, details: Record<string, unknown>) {
    return new IdentityRepository(tx.db).audit({
      accountId,
      actorUserId: actor.userId,
      action,
      targetType: 'account',
      targetId: accountId,
      ip: actor.ip,
      details: { ...details, byAccountId: actor.accountId },
    });
  }
}
