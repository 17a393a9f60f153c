import type { AppContext } from '../../context.js';
import { AppError } from '../../platform/http/errors.js';
import { WindowLimiter } from '../../platform/http/window-limiter.js';
import { sendAlertEmail } from '../alerts/alerts.email.js';
import { IdentityRepository } from './identity.repository.js';
import { LoginThrottleRepository, type StreakRules } from './login-throttle.repository.js';

/**
 * After 5 attempts at an address since its last successful sign-in, attempts from places it has not
 * signed in from wait 1 s, 2 s, 4 s … up to a minute each, one at a time; a streak ends after 15 quiet
 * minutes. Never a lock.
 */
const STREAK: StreakRules = { quietSeconds: 15 * 60, backoffAfter: 5, maxWaitSeconds: 60 };
/** The owner hears of a streak of 10, at most once an hour per address. */
const ALERT_AFTER = 10;
const ALERT_EVERY_SECONDS = 3600;
/** An IP the user signed in from within this many days is one of their usual places. */
const USUAL_PLACE_DAYS = 30;

const tooManyMessage = (seconds: number) => `Too many sign-in attempts; try again in ${seconds} s`;
const tooMany = (seconds: number) =>
  new AppError('too_many_attempts', tooManyMessage(seconds), undefined, { 'retry-after': String(seconds) });

/**
 * Sign-in limits that slow a guesser down without locking the owner out: fixed windows per IP and per
 * (address, IP) pair, and a per-address back-off that the address's usual places skip.
 */
export class LoginThrottle {
  private readonly perIp: WindowLimiter;
  private readonly perPair: WindowLimiter;
  private readonly repo: LoginThrottleRepository;

  constructor(private readonly ctx: AppContext) {
    this.perIp = new WindowLimiter(ctx, ctx.config.loginIpRateLimitPerMin, 60_000, 'too_many_attempts');
    this.perPair = new WindowLimiter(ctx, ctx.config.loginRateLimitPerMin, 60_000, 'too_many_attempts');
    this.repo = new LoginThrottleRepository(ctx.db);
  }

  /** Counts an attempt against its IP and its (address, IP) pair; 429 `too_many_attempts` past either limit. */
  async admit(email: string, ip: string): Promise<void> {
    await this.perIp.hit([`login-ip:${ip}`], tooManyMessage);
    await this.perPair.hit([`login-pair:${email}|${ip}`], tooManyMessage);
  }

  /** Which of the address's users signed in from this IP before: their attempts skip the back-off. */
  usualPlaces(userIds: string[], ip: string): Promise<Set<string>> {
    return this.repo.usersSeenFrom(userIds, ip, USUAL_PLACE_DAYS);
  }

  /**
   * Counts an attempt before its password is checked. From elsewhere (`gated`) it must take the
   * address's next back-off slot, or is refused with its wait; from a usual place it only counts.
   */
  async claim(email: string, gated: boolean): Promise<void> {
    const claimed = await this.repo.claimAttempt(email, STREAK, gated);
    if ('waitMs' in claimed) throw tooMany(Math.ceil(claimed.waitMs / 1000));
  }

  /** A successful sign-in ends the address's streak. */
  succeeded(email: string): Promise<void> {
    return this.repo.clearAttempts(email);
  }

  /** After a failure: a long streak on an address someone uses is told to its owner (and audited). */
  async failed(email: string, ip: string, accountIds: string[]): Promise<void> {
    if (accountIds.length === 0) return;
    const failures = await this.repo.claimAlert(email, ALERT_AFTER, ALERT_EVERY_SECONDS);
    if (failures === undefined) return;
    const emailed = Boolean(this.ctx.config.smtpUrl);
    const audit = new IdentityRepository(this.ctx.db);
    for (const accountId of accountIds) {
      await audit.audit({ accountId, actorUserId: null, action: 'login.failures_alert', ip, details: { email, failures, emailed } });
    }
    if (!emailed) {
      this.ctx.log.warn({ failures }, 'repeated failed sign-ins to one address; set SMTP_URL to tell its owner by e-mail');
      return;
    }
    // Not awaited: the attempt's answer does not wait for a mail server.
    sendAlertEmail(this.ctx.config, [email], 'Failed sign-ins to your Switchboard account', alertText(email, failures, ip)).catch(
      (err: unknown) => this.ctx.log.warn({ err }, 'failed sign-in alert e-mail not sent'),
    );
  }
}

function alertText(email: string, failures: number, ip: string): string {
  return [
    `Someone tried to sign in to Switchboard as ${email} with a wrong password ${failures} times in a row; the last attempt came from ${ip}.`,
    '',
    'If it was you, nothing needs doing. If not: sign-ins from places you have not used are slowed down (your usual',
    'places are not), so a password that you use nowhere else stays out of reach.',
  ].join('\n');
}
