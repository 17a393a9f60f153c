import type { AppContext } from '../../context.js';
import { randomToken, sha256 } from '../../platform/crypto/secret-box.js';
import { transaction } from '../../platform/db/transaction.js';
import { AppError, notFound } from '../../platform/http/errors.js';
import { WindowLimiter } from '../../platform/http/window-limiter.js';
import { createMailer } from '../../platform/mail.js';
import { cutOffEverywhere } from './cut-off.js';
import { recordAudit } from './identity.audit.js';
import { IdentityRepository } from './identity.repository.js';
import { hashPassword } from './identity.service.js';
import { assertStrongPassword } from './password-policy.js';
import { passwordResetEmail } from './people.mail.js';
import { PeopleRepository } from './people.repository.js';
import { requirePermission, type Actor } from './permissions.js';

const RESET_MINUTES = 60;
/** Links a person can be sent an hour: more requests are answered alike and send nothing. */
const RESETS_PER_HOUR = 3;
/** Requests a minute from one IP (429 past it: the same for every address). */
const REQUESTS_PER_IP_MINUTE = 5;

const linkInvalid = () =>
  new AppError('reset_link_invalid', 'This password reset link is invalid, expired or already used; ask for a new one');

/**
 * "Forgot password": a single-use link valid one hour, by e-mail. The request is answered the same
 * (202) whether or not the address has an account, and the mail goes out after the answer.
 */
export class PasswordResetService {
  private readonly repo: PeopleRepository;
  private readonly perIp: WindowLimiter;

  constructor(private readonly ctx: AppContext) {
    this.repo = new PeopleRepository(ctx.db);
    this.perIp = new WindowLimiter(ctx, REQUESTS_PER_IP_MINUTE, 60_000, 'rate_limited');
  }

  async request(rawEmail: string, ip: string): Promise<void> {
    await this.perIp.hit([`reset-ip:${ip}`], (s) => `Too many password reset requests; try again in ${s} s`);
    const email = rawEmail.trim().toLowerCase();
    // Not awaited: the answer does not wait for lookups or a mail server, so its timing tells nothing.
    void this.issue(email, ip).catch((err: unknown) => this.ctx.log.warn({ err }, 'password reset e-mail not sent'));
  }

  /** A manager's fallback when mail is not set up: a reset link for a teammate, shown to the manager. */
  async linkFor(actor: Actor, userId: string): Promise<{ link: string; mailed: boolean }> {
    requirePermission(actor, 'user.manage');
    const member = await this.repo.membership(actor.accountId, userId);
    if (!member || member.deactivatedAt) throw notFound('User');
    const token = randomToken();
    await transaction(this.ctx.pool, async (tx) => {
      await new PeopleRepository(tx.db).createReset({ tokenHash: sha256(token), userId, expiresAt: this.expiry() });
      await recordAudit(tx.db, actor, 'password.reset_link_created', { targetType: 'user', targetId: userId });
    });
    const link = this.link(token);
    const accountName = await this.repo.accountName(actor.accountId);
    const mailed = await createMailer(this.ctx.config)
      .send({ to: member.email, ...passwordResetEmail(accountName, link) })
      .catch(() => false);
    return { link, mailed };
  }

  /** Sets the new password once; every session and API token of the person ends, in every account. */
  async confirm(token: string, password: string, ip: string): Promise<void> {
    const live = await this.repo.liveReset(sha256(token));
    if (!live) throw linkInvalid();
    await assertStrongPassword(password, live.email);
    const passwordHash = await hashPassword(password);
    await transaction(this.ctx.pool, async (tx) => {
      const repo = new PeopleRepository(tx.db);
      const claimed = await repo.claimReset(sha256(token));
      if (!claimed) throw linkInvalid();
      await repo.setPassword(claimed.userId, passwordHash);
      await repo.expireResets(claimed.userId);
      const cut = await cutOffEverywhere(tx.db, claimed.userId, { tokens: true, bridge: true });
      const audit = new IdentityRepository(tx.db);
      for (const [accountId, done] of cut) {
        await audit.audit({ accountId, actorUserId: claimed.userId, action: 'password.reset', ip, details: { ...done } });
      }
    });
  }

  private async issue(email: string, ip: string): Promise<void> {
    const people = await this.repo.resettableUsers(email);
    const mailer = createMailer(this.ctx.config);
    for (const person of people) {
      if ((await this.repo.recentResets(person.id)) >= RESETS_PER_HOUR) continue;
      const token = randomToken();
      await this.repo.createReset({ tokenHash: sha256(token), userId: person.id, expiresAt: this.expiry() });
      const link = this.link(token);
      const mailed = await mailer.send({ to: email, ...passwordResetEmail(person.accountName, link) });
      if (!mailed) {
        // No mail server: the installation's operator reads the link in the log and passes it on.
        this.ctx.log.warn({ userId: person.id, link, ip }, 'password reset requested but SMTP_URL is not set; pass this link on');
      }
    }
  }

  private expiry = () => new Date(Date.now() + RESET_MINUTES * 60_000);
  private link = (token: string) => `${this.ctx.config.publicUrl}/reset-password?token=${encodeURIComponent(token)}`;
}
