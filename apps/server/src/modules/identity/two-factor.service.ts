import { randomBytes } from 'node:crypto';
import { generateSecret, generateURI, verify as verifyTotp } from 'otplib';
import type { AppContext } from '../../context.js';
import { randomToken, sha256 } from '../../platform/crypto/secret-box.js';
import { transaction } from '../../platform/db/transaction.js';
import { AppError, notFound } from '../../platform/http/errors.js';
import { WindowLimiter } from '../../platform/http/window-limiter.js';
import { recordAudit } from './identity.audit.js';
import { IdentityRepository } from './identity.repository.js';
import { rememberedTwoFactor } from './known-device.js';
import { PeopleRepository } from './people.repository.js';
import { requirePermission, type Actor } from './permissions.js';

const ISSUER = 'Switchboard';
const RECOVERY_CODES = 10;
const CHALLENGE_MINUTES = 10;
/** A code of the previous or next 30-second step is accepted too (phone clocks drift). */
const TOLERANCE_SECONDS = 30;
/** Roles the account's "require two-factor" setting applies to. */
const GUARDED_ROLES = new Set(['owner', 'admin']);

export interface SignInChallenge {
  twoFactorRequired: true;
  challenge: string;
  enrolmentRequired: boolean;
}

/** A passed second step: who signs in, and the recovery codes when it enrolled them. */
export interface PassedChallenge {
  userId: string;
  accountId: string;
  email: string;
  recoveryCodes?: string[];
  /** When set, the browser may be remembered for 30 days (see `rememberedTwoFactor`). */
  enabledAt: Date;
}

const challengeInvalid = () =>
  new AppError('two_factor_challenge_invalid', 'This sign-in step has expired or was used; sign in with your password again');
const wrongCode = () => new AppError('invalid_two_factor_code', 'The code is wrong or was already used');

/** `xxxxx-xxxxx` from 50 random bits: ten of them are out of guessing reach, and easy to type. */
function newRecoveryCode(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  const bytes = randomBytes(10);
  const chars = [...bytes].map((b) => alphabet[b % alphabet.length]).join('');
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}
const normaliseRecoveryCode = (code: string) => code.trim().toLowerCase().replace(/[\s-]/g, '');
const hashRecoveryCode = (code: string) => sha256(`recovery:${normaliseRecoveryCode(code)}`);

/**
 * Two-factor sign-in with a TOTP authenticator (RFC 6238, otplib) and ten one-time recovery codes.
 * Secrets are sealed with the secret box; a code is accepted once (its time step is remembered).
 */
export class TwoFactorService {
  private readonly repo: PeopleRepository;
  /** Codes share the per-IP budget of password attempts (`login-ip:<ip>`, LOGIN_IP_LIMIT_PER_MIN). */
  private readonly perIp: WindowLimiter;

  constructor(private readonly ctx: AppContext) {
    this.repo = new PeopleRepository(ctx.db);
    this.perIp = new WindowLimiter(ctx, ctx.config.loginIpRateLimitPerMin, 60_000, 'too_many_attempts');
  }

  /** Whether the account obliges this role to use two-factor sign-in. */
  async required(accountId: string, role: string): Promise<boolean> {
    return GUARDED_ROLES.has(role) && (await this.repo.requiresTwoFactor(accountId));
  }

  /**
   * The second step a sign-in needs after its password matched, or null when none: a code when the
   * person has an authenticator (unless this browser is remembered), enrolment when the account requires one.
   */
  async gate(
    user: { id: string },
    membership: { accountId: string; role: string },
    meta: { ip: string; userAgent?: string | undefined; remembered?: string | undefined },
  ): Promise<SignInChallenge | null> {
    const tf = await this.repo.twoFactor(user.id);
    let enrol = false;
    if (tf?.enabledAt) {
      if (rememberedTwoFactor(this.ctx.secrets, meta.remembered, user.id, tf.enabledAt)) return null;
    } else if (await this.required(membership.accountId, membership.role)) {
      enrol = true;
    } else {
      return null;
    }
    const challenge = randomToken();
    await this.repo.createChallenge({
      tokenHash: sha256(challenge),
      accountId: membership.accountId,
      userId: user.id,
      ip: meta.ip,
      userAgent: meta.userAgent?.slice(0, 500),
      enrol,
      expiresAt: new Date(Date.now() + CHALLENGE_MINUTES * 60_000),
    });
    return { twoFactorRequired: true, challenge, enrolmentRequired: enrol };
  }

  /** Enrolment forced at sign-in: a fresh secret for the challenge's person (shown as a QR code). */
  async enrolmentSetup(challenge: string): Promise<{ secret: string; uri: string }> {
    const c = await this.repo.peekChallenge(sha256(challenge));
    if (!c || !c.enrol) throw challengeInvalid();
    const tf = await this.repo.twoFactor(c.userId);
    if (tf?.enabledAt) throw challengeInvalid();
    const user = await this.repo.user(c.userId);
    return this.newSecret(c.userId, user?.email ?? '');
  }

  /**
   * Checks the second step: a TOTP code (which also completes a forced enrolment) or an unused recovery
   * code. Five tries per challenge; the challenge is good once.
   */
  async passChallenge(
    input: { challenge: string; code?: string | undefined; recoveryCode?: string | undefined },
    ip: string,
  ): Promise<PassedChallenge> {
    await this.perIp.hit([`login-ip:${ip}`], (seconds) => `Too many sign-in attempts; try again in ${seconds} s`);
    const c = await this.repo.attemptChallenge(sha256(input.challenge));
    if (!c) throw challengeInvalid();
    const user = await this.repo.user(c.userId);
    const tf = await this.repo.twoFactor(c.userId);
    if (!user || !tf) throw challengeInvalid();
    const result = await transaction(this.ctx.pool, async (tx) => {
      const repo = new PeopleRepository(tx.db);
      let recoveryCodes: string[] | undefined;
      if (input.recoveryCode) {
        if (!tf.enabledAt || !(await repo.useRecoveryCode(c.userId, hashRecoveryCode(input.recoveryCode)))) return null;
      } else {
        const step = await this.checkCode(tf.secretSealed, input.code ?? '');
        if (step === null) return null;
        if (!tf.enabledAt) {
          if (!c.enrol) return null;
          await repo.enableTwoFactor(c.userId, step);
          recoveryCodes = await this.issueRecoveryCodes(repo, c.userId);
          await new IdentityRepository(tx.db).audit({ accountId: c.accountId, actorUserId: c.userId, action: 'two_factor.enabled', ip });
        } else if (!(await repo.useTimeStep(c.userId, step))) return null;
      }
      if (!(await repo.useChallenge(c.id))) return null;
      if (input.recoveryCode)
        await new IdentityRepository(tx.db).audit({
          accountId: c.accountId,
          actorUserId: c.userId,
          action: 'login.recovery_code_used',
          ip,
        });
      return { recoveryCodes };
    });
    if (!result) {
      await new IdentityRepository(this.ctx.db).audit({
        accountId: c.accountId,
        actorUserId: c.userId,
        action: 'login.two_factor_failed',
        ip,
      });
      throw wrongCode();
    }
    const enabled = (await this.repo.twoFactor(c.userId))!.enabledAt!;
    return { userId: c.userId, accountId: c.accountId, email: user.email, enabledAt: enabled, ...result };
  }

  // ---- a person's own authenticator (profile page)

  async status(actor: Actor) {
    const tf = await this.repo.twoFactor(actor.userId);
    const enabled = Boolean(tf?.enabledAt);
    return {
      enabled,
      required: await this.required(actor.accountId, actor.role),
      recoveryCodesLeft: enabled ? await this.repo.recoveryCodesLeft(actor.userId) : 0,
    };
  }

  async setup(actor: Actor): Promise<{ secret: string; uri: string }> {
    this.requireSession(actor);
    const tf = await this.repo.twoFactor(actor.userId);
    if (tf?.enabledAt) throw new AppError('conflict', 'Two-factor sign-in is already on; turn it off first to replace the authenticator');
    const user = await this.repo.user(actor.userId);
    return this.newSecret(actor.userId, user?.email ?? '');
  }

  /** The first correct code turns two-factor sign-in on and issues the recovery codes (shown once). */
  async confirm(actor: Actor, code: string): Promise<string[]> {
    this.requireSession(actor);
    const tf = await this.repo.twoFactor(actor.userId);
    if (!tf) throw new AppError('conflict', 'Start the setup first');
    if (tf.enabledAt) throw new AppError('conflict', 'Two-factor sign-in is already on');
    const step = await this.checkCode(tf.secretSealed, code);
    if (step === null) throw wrongCode();
    return transaction(this.ctx.pool, async (tx) => {
      const repo = new PeopleRepository(tx.db);
      await repo.enableTwoFactor(actor.userId, step);
      const codes = await this.issueRecoveryCodes(repo, actor.userId);
      await recordAudit(tx.db, actor, 'two_factor.enabled');
      return codes;
    });
  }

  async regenerateRecoveryCodes(actor: Actor, code: string): Promise<string[]> {
    await this.requireOwnCode(actor, code);
    return transaction(this.ctx.pool, async (tx) => {
      const codes = await this.issueRecoveryCodes(new PeopleRepository(tx.db), actor.userId);
      await recordAudit(tx.db, actor, 'two_factor.recovery_codes_renewed');
      return codes;
    });
  }

  async disable(actor: Actor, code: string): Promise<void> {
    if (await this.required(actor.accountId, actor.role)) {
      throw new AppError('two_factor_required', 'This account requires two-factor sign-in for owners and admins');
    }
    await this.requireOwnCode(actor, code);
    await transaction(this.ctx.pool, async (tx) => {
      await new PeopleRepository(tx.db).removeTwoFactor(actor.userId);
      await recordAudit(tx.db, actor, 'two_factor.disabled');
    });
  }

  /** A manager turns off a teammate's lost authenticator (they enrol again at their next sign-in if required). */
  async resetFor(actor: Actor, userId: string): Promise<void> {
    requirePermission(actor, 'user.manage');
    const member = await this.repo.membership(actor.accountId, userId);
    if (!member) throw notFound('User');
    await transaction(this.ctx.pool, async (tx) => {
      await new PeopleRepository(tx.db).removeTwoFactor(userId);
      await recordAudit(tx.db, actor, 'two_factor.reset', { targetType: 'user', targetId: userId });
    });
  }

  async setPolicy(actor: Actor, requireTwoFactor: boolean): Promise<void> {
    requirePermission(actor, 'account.manage');
    await transaction(this.ctx.pool, async (tx) => {
      await new PeopleRepository(tx.db).setRequireTwoFactor(actor.accountId, requireTwoFactor);
      await recordAudit(tx.db, actor, 'account.two_factor_policy', {
        targetType: 'account',
        targetId: actor.accountId,
        details: { requireTwoFactor },
      });
    });
  }

  policy(actor: Actor): Promise<boolean> {
    requirePermission(actor, 'account.manage');
    return this.repo.requiresTwoFactor(actor.accountId);
  }

  // ---- internals

  private async newSecret(userId: string, email: string) {
    const secret = generateSecret();
    await this.repo.startTwoFactor(userId, this.ctx.secrets.seal(secret));
    return { secret, uri: generateURI({ issuer: ISSUER, label: email, secret }) };
  }

  /** The time step of a correct code, or null. */
  private async checkCode(sealed: string, code: string): Promise<number | null> {
    if (!/^\d{6}$/.test(code.trim())) return null;
    const secret = this.ctx.secrets.open<string>(sealed);
    const result = await verifyTotp({ secret, token: code.trim(), epochTolerance: TOLERANCE_SECONDS });
    return result.valid && 'timeStep' in result ? result.timeStep : null;
  }

  private async requireOwnCode(actor: Actor, code: string): Promise<void> {
    this.requireSession(actor);
    const tf = await this.repo.twoFactor(actor.userId);
    if (!tf?.enabledAt) throw new AppError('conflict', 'Two-factor sign-in is off');
    const step = await this.checkCode(tf.secretSealed, code);
    if (step === null || !(await this.repo.useTimeStep(actor.userId, step))) throw wrongCode();
  }

  /** Changing the second factor is for the person at their browser, never for an API token. */
  private requireSession(actor: Actor): void {
    if (actor.via !== 'session') throw new AppError('forbidden', 'Only a signed-in browser session can change two-factor sign-in');
  }

  private async issueRecoveryCodes(repo: PeopleRepository, userId: string): Promise<string[]> {
    const codes = Array.from({ length: RECOVERY_CODES }, newRecoveryCode);
    await repo.replaceRecoveryCodes(userId, codes.map(hashRecoveryCode));
    return codes;
  }
}
