import { verify } from '@node-rs/argon2';
import type { AppContext } from '../../context.js';
import { transaction } from '../../platform/db/transaction.js';
import { AppError, notFound } from '../../platform/http/errors.js';
import { cutOffEverywhere } from './cut-off.js';
import { recordAudit } from './identity.audit.js';
import { hashPassword } from './identity.service.js';
import { assertStrongPassword } from './password-policy.js';
import { PeopleRepository } from './people.repository.js';
import type { Actor } from './permissions.js';
import type { Profile } from '@switchboard/shared';
import type { TwoFactorService } from './two-factor.service.js';

export const AVATAR_MAX_BYTES = 512 * 1024;

/** The image type of an avatar from its first bytes (PNG, JPEG, WebP), or null: SVG and anything else are refused. */
export function avatarType(data: Buffer): string | null {
  if (data.length >= 8 && data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'image/jpeg';
  if (data.length >= 12 && data.toString('latin1', 0, 4) === 'RIFF' && data.toString('latin1', 8, 12) === 'WEBP') return 'image/webp';
  return null;
}

/** "Chrome on Windows" from a user agent: enough to tell one's own sessions apart. */
export function deviceName(userAgent: string | null): string {
  if (!userAgent) return 'Unknown device';
  const ua = userAgent;
  const browser = /YaBrowser/.test(ua)
    ? 'Yandex Browser'
    : /Edg\//.test(ua)
      ? 'Edge'
      : /OPR\//.test(ua)
        ? 'Opera'
        : /Firefox\//.test(ua)
          ? 'Firefox'
          : /Chrome\//.test(ua)
            ? 'Chrome'
            : /Safari\//.test(ua)
              ? 'Safari'
              : /curl|python|node|axios|Go-http/i.test(ua)
                ? 'Script'
                : 'Browser';
  const os = /iPhone|iPad/.test(ua)
    ? 'iOS'
    : /Android/.test(ua)
      ? 'Android'
      : /Windows/.test(ua)
        ? 'Windows'
        : /Mac OS X|Macintosh/.test(ua)
          ? 'macOS'
          : /Linux/.test(ua)
            ? 'Linux'
            : '';
  return os ? `${browser} · ${os}` : browser;
}

/** My profile: name customers see, avatar, language, time zone, password, my sessions. */
export class ProfileService {
  private readonly repo: PeopleRepository;

  constructor(
    private readonly ctx: AppContext,
    private readonly twoFactor: TwoFactorService,
  ) {
    this.repo = new PeopleRepository(ctx.db);
  }

  async get(actor: Actor): Promise<Profile> {
    const user = await this.repo.user(actor.userId);
    if (!user) throw notFound('User');
    const tf = await this.twoFactor.status(actor);
    return {
      id: user.id,
      email: user.email,
      name: user.name,
      locale: user.locale === 'ru' || user.locale === 'en' ? user.locale : null,
      timeZone: user.timeZone,
      hasAvatar: await this.repo.hasAvatar(actor.userId),
      twoFactor: tf.enabled,
      twoFactorRequired: tf.required,
    };
  }

  async update(
    actor: Actor,
    patch: { name?: string | undefined; locale?: 'ru' | 'en' | null | undefined; timeZone?: string | null | undefined },
  ) {
    const clean = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
    await transaction(this.ctx.pool, async (tx) => {
      await new PeopleRepository(tx.db).updateProfile(actor.userId, clean);
      await recordAudit(tx.db, actor, 'profile.updated', {
        targetType: 'user',
        targetId: actor.userId,
        details: { fields: Object.keys(clean) },
      });
    });
    return this.get(actor);
  }

  /** A new password after the current one; every other session of the person ends (this one stays). */
  async changePassword(actor: Actor, current: string, next: string): Promise<{ sessionsEnded: number }> {
    if (actor.via !== 'session') throw new AppError('forbidden', 'Only a signed-in browser session can change the password');
    const user = await this.repo.user(actor.userId);
    if (!user) throw notFound('User');
    if (!(await verify(user.passwordHash, current).catch(() => false))) {
      throw new AppError('wrong_password', 'The current password is not right', [{ path: 'currentPassword', message: 'wrong password' }]);
    }
    await assertStrongPassword(next, user.email);
    const passwordHash = await hashPassword(next);
    return transaction(this.ctx.pool, async (tx) => {
      const repo = new PeopleRepository(tx.db);
      await repo.setPassword(actor.userId, passwordHash);
      await repo.expireResets(actor.userId);
      const cut = await cutOffEverywhere(tx.db, actor.userId, { tokens: false, bridge: false, keepSessionId: actor.sessionId });
      const sessionsEnded = [...cut.values()].reduce((n, r) => n + r.sessions, 0);
      await recordAudit(tx.db, actor, 'password.changed', { targetType: 'user', targetId: actor.userId, details: { sessionsEnded } });
      return { sessionsEnded };
    });
  }

  async sessions(actor: Actor) {
    const rows = await this.repo.listSessions(actor.accountId, actor.userId);
    return rows.map((s) => ({ ...s, device: deviceName(s.userAgent), current: s.id === actor.sessionId }));
  }

  async revokeSession(actor: Actor, id: string): Promise<void> {
    await transaction(this.ctx.pool, async (tx) => {
      if (!(await new PeopleRepository(tx.db).revokeOwnSession(actor.accountId, actor.userId, id))) throw notFound('Session');
      await recordAudit(tx.db, actor, 'session.revoked', { targetType: 'session', targetId: id });
    });
  }

  async setAvatar(actor: Actor, data: Buffer): Promise<void> {
    if (data.length > AVATAR_MAX_BYTES) throw new AppError('payload_too_large', `The picture is larger than ${AVATAR_MAX_BYTES / 1024} KB`);
    const type = avatarType(data);
    if (!type) throw new AppError('invalid_image', 'Upload a PNG, JPEG or WebP picture');
    await transaction(this.ctx.pool, async (tx) => {
      await new PeopleRepository(tx.db).setAvatar(actor.userId, type, data);
      await recordAudit(tx.db, actor, 'profile.avatar_changed', { targetType: 'user', targetId: actor.userId });
    });
  }

  async deleteAvatar(actor: Actor): Promise<void> {
    await transaction(this.ctx.pool, async (tx) => {
      await new PeopleRepository(tx.db).deleteAvatar(actor.userId);
      await recordAudit(tx.db, actor, 'profile.avatar_removed', { targetType: 'user', targetId: actor.userId });
    });
  }

  /** A teammate's avatar (members of the same account only). */
  async avatar(actor: Actor, userId: string) {
    const found = await this.repo.avatarOf(actor.accountId, userId);
    if (!found) throw notFound('Avatar');
    return found;
  }
}
