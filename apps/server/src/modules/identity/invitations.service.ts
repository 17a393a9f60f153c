import type { AppContext } from '../../context.js';
import { randomToken, sha256 } from '../../platform/crypto/secret-box.js';
import { transaction, type Tx } from '../../platform/db/transaction.js';
import { AppError, notFound } from '../../platform/http/errors.js';
import { createMailer } from '../../platform/mail.js';
import { assertCanAssignRole } from '../access/roles.service.js';
import { recordAudit } from './identity.audit.js';
import { IdentityRepository } from './identity.repository.js';
import type { IdentityService, LoginResult } from './identity.service.js';
import { hashPassword } from './identity.service.js';
import { assertStrongPassword } from './password-policy.js';
import { PeopleRepository } from './people.repository.js';
import { requirePermission, type Actor, type Role } from './permissions.js';
import { invitationEmail } from './people.mail.js';
import { verify } from '@node-rs/argon2';
import { assertWithinLimit } from '../accounts/accounts.limits.js';

export const INVITATION_DAYS = 7;

type InvitationRow = Awaited<ReturnType<PeopleRepository['findInvitation']>> & {};

export interface SentInvitation {
  id: string;
  email: string;
  role: Role;
  /** The accept link; callers show it when `mailed` is false (no mail server configured, or it refused). */
  link: string;
  mailed: boolean;
}

const invitationInvalid = () =>
  new AppError('invitation_invalid', 'This invitation link is invalid, expired, revoked or already used; ask for a new one');

export function invitationStatus(row: { acceptedAt: Date | null; revokedAt: Date | null; expiresAt: Date }) {
  if (row.acceptedAt) return 'accepted' as const;
  if (row.revokedAt) return 'revoked' as const;
  return row.expiresAt.getTime() <= Date.now() ? ('expired' as const) : ('pending' as const);
}

/**
 * Invitations by e-mail: a signed (random, stored hashed), single-use link valid 7 days. The invitee
 * chooses a name and password; accepting adds them to the account with the invited role and signs them in.
 */
export class InvitationService {
  private readonly repo: PeopleRepository;

  constructor(
    private readonly ctx: AppContext,
    private readonly identity: Pick<IdentityService, 'startSession'>,
  ) {
    this.repo = new PeopleRepository(ctx.db);
  }

  /** A manager invites someone into their account (they must hold every permission of the role). */
  async invite(actor: Actor, input: { email: string; role: Role }): Promise<SentInvitation & { row: InvitationRow }> {
    requirePermission(actor, 'user.manage');
    await assertCanAssignRole(this.ctx.db, actor, undefined, input.role);
    await assertWithinLimit(this.ctx.db, actor.accountId, 'people');
    let link = '';
    const row = await transaction(this.ctx.pool, async (tx) => {
      const created = await this.create(tx, { accountId: actor.accountId, email: input.email, role: input.role, invitedBy: actor });
      link = created.link;
      return created.row;
    });
    const mailed = await this.send(row.email, link, actor.accountId);
    return { id: row.id, email: row.email, role: row.role, link, mailed, row };
  }

  /**
   * Invites someone into any account (the platform cabinet invites a new account's owner, sign-up its
   * first member). With `tx` the invitation commits with the caller's work; the e-mail goes out after commit.
   */
  async inviteToAccount(
    tx: Tx | null,
    input: { accountId: string; email: string; role: Role; invitedBy: Actor | null },
  ): Promise<SentInvitation> {
    const run = async (t: Tx) => {
      const { row, link } = await this.create(t, input);
      return { id: row.id, email: row.email, role: row.role, link };
    };
    if (!tx) {
      const made = await transaction(this.ctx.pool, run);
      return { ...made, mailed: await this.send(made.email, made.link, input.accountId) };
    }
    const made = await run(tx);
    // Known only after commit: the caller's answer says "shown" (mailed: false) and the e-mail follows.
    tx.afterCommit(() => {
      void this.send(made.email, made.link, input.accountId);
    });
    return { ...made, mailed: false };
  }

  async list(actor: Actor) {
    requirePermission(actor, 'user.read');
    return this.repo.listInvitations(actor.accountId);
  }

  /** A new link (the old one stops working) and seven more days. */
  async resend(actor: Actor, id: string): Promise<SentInvitation & { row: InvitationRow }> {
    requirePermission(actor, 'user.manage');
    const existing = await this.repo.findInvitation(actor.accountId, id);
    if (!existing) throw notFound('Invitation');
    if (existing.acceptedAt || existing.revokedAt) throw new AppError('conflict', 'This invitation was already accepted or revoked');
    await assertCanAssignRole(this.ctx.db, actor, undefined, existing.role);
    const token = randomToken();
    const row = await transaction(this.ctx.pool, async (tx) => {
      const renewed = await new PeopleRepository(tx.db).renewInvitation(id, sha256(token), this.expiry());
      await recordAudit(tx.db, actor, 'invitation.resent', { targetType: 'invitation', targetId: id, details: { email: existing.email } });
      return renewed;
    });
    const link = this.link(token);
    const mailed = await this.send(row.email, link, actor.accountId);
    return { id: row.id, email: row.email, role: row.role, link, mailed, row };
  }

  async revoke(actor: Actor, id: string): Promise<void> {
    requirePermission(actor, 'user.manage');
    await transaction(this.ctx.pool, async (tx) => {
      if (!(await new PeopleRepository(tx.db).revokeInvitation(actor.accountId, id))) throw notFound('Invitation');
      await recordAudit(tx.db, actor, 'invitation.revoked', { targetType: 'invitation', targetId: id });
    });
  }

  /** What the accept page shows: the address, account and role (the link itself is the credential). */
  async preview(token: string) {
    const found = await this.repo.invitationByToken(sha256(token));
    if (!found || invitationStatus(found.invitation) !== 'pending') throw invitationInvalid();
    const inv = found.invitation;
    return { email: inv.email, accountName: found.accountName, role: inv.role, expiresAt: inv.expiresAt };
  }

  /** Accepts once: creates the person and their membership with the invited role, then signs them in. */
  async accept(input: { token: string; name: string; password: string }, meta: { ip: string; userAgent?: string }): Promise<LoginResult> {
    const peek = await this.repo.invitationByToken(sha256(input.token));
    if (!peek || invitationStatus(peek.invitation) !== 'pending') throw invitationInvalid();
    await assertStrongPassword(input.password, peek.invitation.email);
    // Someone who already uses this address and password elsewhere is the same person: the membership is added
    // to them, so one sign-in lists (and switches between) all their accounts. Otherwise a new person is made.
    const samePerson = await this.samePerson(peek.invitation.email, input.password);
    const passwordHash = samePerson ? '' : await hashPassword(input.password);
    const accepted = await transaction(this.ctx.pool, async (tx) => {
      const repo = new PeopleRepository(tx.db);
      const found = await repo.invitationByToken(sha256(input.token), true);
      if (!found || invitationStatus(found.invitation) !== 'pending') throw invitationInvalid();
      const inv = found.invitation;
      const identity = new IdentityRepository(tx.db);
      await identity.lockAddress(inv.accountId, inv.email);
      if (await identity.hasMemberWithEmail(inv.accountId, inv.email)) {
        throw new AppError('conflict', 'A member of this account already has this e-mail; sign in instead');
      }
      await assertWithinLimit(tx.db, inv.accountId, 'people');
      const user = samePerson ?? (await identity.createUser({ email: inv.email, name: input.name, passwordHash }));
      await identity.addMembership(inv.accountId, user.id, inv.role);
      await repo.markInvitationAccepted(inv.id, user.id);
      await identity.audit({
        accountId: inv.accountId,
        actorUserId: user.id,
        action: 'invitation.accepted',
        targetType: 'invitation',
        targetId: inv.id,
        ip: meta.ip,
        details: { email: inv.email, role: inv.role, invitedBy: inv.invitedBy },
      });
      return { user: { id: user.id, email: inv.email, name: samePerson?.name ?? input.name }, accountId: inv.accountId, role: inv.role };
    });
    const accounts = await new IdentityRepository(this.ctx.db).membershipsOf(accepted.user.id);
    return this.identity.startSession(accepted.user, { accountId: accepted.accountId, role: accepted.role }, accounts, meta);
  }

  // ---- internals

  /** The existing user of this address whose password this is, if any. */
  private async samePerson(email: string, password: string): Promise<{ id: string; name: string } | undefined> {
    for (const u of await new IdentityRepository(this.ctx.db).findUsersByEmail(email)) {
      if (await verify(u.passwordHash, password).catch(() => false)) return { id: u.id, name: u.name };
    }
    return undefined;
  }

  private async create(tx: Tx, input: { accountId: string; email: string; role: Role; invitedBy: Actor | null }) {
    const email = input.email.trim().toLowerCase();
    const identity = new IdentityRepository(tx.db);
    await identity.lockAddress(input.accountId, email);
    if (await identity.hasMemberWithEmail(input.accountId, email)) {
      throw new AppError('conflict', 'A member of this account already has this e-mail');
    }
    const repo = new PeopleRepository(tx.db);
    // One live invitation per address: a new one replaces the earlier link.
    await repo.revokePendingInvitations(input.accountId, email);
    const token = randomToken();
    const row = await repo.createInvitation({
      accountId: input.accountId,
      email,
      role: input.role,
      tokenHash: sha256(token),
      invitedBy: input.invitedBy?.userId ?? null,
      expiresAt: this.expiry(),
    });
    if (input.invitedBy) {
      await recordAudit(tx.db, input.invitedBy, 'invitation.created', {
        targetType: 'invitation',
        targetId: row.id,
        details: { email, role: input.role },
      });
    }
    return { row, link: this.link(token) };
  }

  private expiry = () => new Date(Date.now() + INVITATION_DAYS * 86_400_000);
  private link = (token: string) => `${this.ctx.config.publicUrl}/invite?token=${encodeURIComponent(token)}`;

  /** Mails the link; false when no mail server is set or it refused (the inviter then passes the link on). */
  private async send(email: string, link: string, accountId: string): Promise<boolean> {
    const accountName = await this.repo.accountName(accountId);
    try {
      return await createMailer(this.ctx.config).send({ to: email, ...invitationEmail(accountName, link, INVITATION_DAYS) });
    } catch (err) {
      this.ctx.log.warn({ err }, 'invitation e-mail not sent; the inviter sees the link instead');
      return false;
    }
  }
}
