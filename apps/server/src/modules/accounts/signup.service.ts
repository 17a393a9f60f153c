import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { AppContext } from '../../context.js';
import { randomToken, sha256 } from '../../platform/crypto/secret-box.js';
import { transaction } from '../../platform/db/transaction.js';
import { signupRequests } from '../../platform/db/schema.platform.js';
import { AppError } from '../../platform/http/errors.js';
import { WindowLimiter } from '../../platform/http/window-limiter.js';
import { createMailer } from '../../platform/mail.js';
import { IdentityRepository } from '../identity/identity.repository.js';
import { hashPassword, type IdentityService, type LoginResult } from '../identity/identity.service.js';
import { assertStrongPassword } from '../identity/password-policy.js';

/** A sign-up link works once, for a day. */
const LINK_HOURS = 24;
const PER_IP_PER_HOUR = 5;
const PER_ADDRESS_PER_HOUR = 3;

const disabled = () => new AppError('signup_disabled', 'Sign-up of new accounts is turned off on this installation');
const linkInvalid = () => new AppError('signup_link_invalid', 'This sign-up link was already used or has expired; sign up again');

/**
 * Self-service sign-up (off unless `SIGNUP_ENABLED`): a request stores the wanted account, name and password
 * hash and e-mails a single-use link; the account and its owner exist only once the link comes back, so an
 * address nobody controls never gets an account. Requests are limited per IP and per address, and answer the
 * same whether or not the address is known.
 */
export class SignupService {
  private readonly perIp: WindowLimiter;
  private readonly perAddress: WindowLimiter;

  constructor(
    private readonly ctx: AppContext,
    private readonly identity: Pick<IdentityService, 'startSession'>,
  ) {
    this.perIp = new WindowLimiter(ctx, PER_IP_PER_HOUR, 3_600_000, 'rate_limited');
    this.perAddress = new WindowLimiter(ctx, PER_ADDRESS_PER_HOUR, 3_600_000, 'rate_limited');
  }

  get enabled(): boolean {
    return this.ctx.config.signupEnabled;
  }

  async request(input: { accountName: string; name: string; email: string; password: string }, ip: string): Promise<void> {
    if (!this.enabled) throw disabled();
    const email = input.email.trim().toLowerCase();
    await this.perIp.hit([`signup-ip:${ip}`], (s) => `Too many sign-ups from this address; try again in ${s} s`);
    await this.perAddress.hit([`signup-email:${email}`], (s) => `Too many sign-ups for this e-mail; try again in ${s} s`);
    await assertStrongPassword(input.password, email);
    const token = randomToken();
    await this.ctx.db.insert(signupRequests).values({
      email,
      accountName: input.accountName,
      name: input.name,
      passwordHash: await hashPassword(input.password),
      tokenHash: sha256(token),
      ip,
      expiresAt: new Date(Date.now() + LINK_HOURS * 3_600_000),
    });
    const link = `${this.ctx.config.publicUrl}/signup?token=${token}`;
    // Not awaited: the answer does not wait for a mail server.
    void this.mail(email, input.accountName, link).catch((err: unknown) => this.ctx.log.warn({ err }, 'sign-up e-mail not sent'));
  }

  private async mail(email: string, accountName: string, link: string): Promise<void> {
    const sent = await createMailer(this.ctx.config).send({
      to: email,
      subject: `Confirm your Switchboard account “${accountName}” / Подтвердите аккаунт Switchboard`,
      text: `Open this link to create the account “${accountName}” (valid for ${LINK_HOURS} hours):\n${link}\n\nОткройте ссылку, чтобы создать аккаунт «${accountName}» (действует ${LINK_HOURS} ч):\n${link}\n`,
    });
    if (!sent) this.ctx.log.warn({ email, link }, 'sign-up requested but SMTP_URL is not set; pass this link on');
  }

  /** The link came back: the account and its owner are created and signed in (201). */
  async confirm(token: string, meta: { ip: string; userAgent?: string | undefined }): Promise<LoginResult> {
    if (!this.enabled) throw disabled();
    const made = await transaction(this.ctx.pool, async (tx) => {
      const [request] = await tx.db
        .update(signupRequests)
        .set({ usedAt: sql`now()` })
        .where(and(eq(signupRequests.tokenHash, sha256(token)), isNull(signupRequests.usedAt), gt(signupRequests.expiresAt, sql`now()`)))
        .returning();
      if (!request) throw linkInvalid();
      const identity = new IdentityRepository(tx.db);
      const account = await identity.createAccount(request.accountName);
      const user = await identity.createUser({ email: request.email, name: request.name, passwordHash: request.passwordHash });
      await identity.addMembership(account.id, user.id, 'owner');
      await identity.audit({
        accountId: account.id,
        actorUserId: user.id,
        action: 'account.signed_up',
        targetType: 'account',
        targetId: account.id,
        ip: meta.ip,
        details: { email: request.email, name: request.accountName },
      });
      return { user: { id: user.id, email: request.email, name: request.name }, account };
    });
    const accounts = [{ id: made.account.id, name: made.account.name, role: 'owner', status: 'active' as const }];
    return this.identity.startSession(made.user, { accountId: made.account.id, role: 'owner' }, accounts, meta);
  }
}
