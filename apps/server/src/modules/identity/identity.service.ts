import { hash, verify } from '@node-rs/argon2';
import type { AppContext } from '../../context.js';
import { randomToken, sha256 } from '../../platform/crypto/secret-box.js';
import { AppError, forbidden, notFound } from '../../platform/http/errors.js';
import { IdentityRepository } from './identity.repository.js';
import { canGrantRole, requirePermission, type Actor, type Role } from './permissions.js';

const ARGON2 = { algorithm: 2 /* Argon2id */, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;
const TOKEN_PREFIX = 'sbt_';
/** Sessions are touched at most this often, so reading does not write on every request. */
const TOUCH_EVERY_MS = 60_000;

export const hashPassword = (password: string): Promise<string> => hash(password, ARGON2);

export interface LoginResult {
  sessionToken: string;
  csrfToken: string;
  actor: Actor;
  user: { id: string; email: string; name: string };
}

export class IdentityService {
  private readonly repo: IdentityRepository;
  private dummyHash: Promise<string> | undefined;

  constructor(private readonly ctx: AppContext) {
    this.repo = new IdentityRepository(ctx.db);
  }

  /** Creates an account with its first owner (first boot, tests, sign-up later). */
  async createAccountWithOwner(input: { accountName: string; email: string; name: string; password: string; role?: Role }) {
    const account = await this.repo.createAccount(input.accountName);
    const user = await this.addUser(account.id, {
      email: input.email,
      name: input.name,
      password: input.password,
      role: input.role ?? 'owner',
    });
    return { account, user };
  }

  async addUser(accountId: string, input: { email: string; name: string; password: string; role: Role }) {
    const user = await this.repo.createUser({
      email: input.email.toLowerCase(),
      name: input.name,
      passwordHash: await hashPassword(input.password),
    });
    await this.repo.addMembership(accountId, user.id, input.role);
    return user;
  }

  /** A manager adds a teammate with an initial password (they sign in and may change it later). */
  async createMember(actor: Actor, input: { email: string; name: string; password: string; role: Role }) {
    requirePermission(actor, 'user.manage');
    if (!canGrantRole(actor, input.role)) throw forbidden('You cannot grant this role');
    if (await this.repo.findUserByEmail(input.email.toLowerCase()))
      throw new AppError('conflict', 'A user with this e-mail already exists');
    const user = await this.addUser(actor.accountId, input);
    await this.audit(actor, 'user.created', {
      targetType: 'user',
      targetId: user.id,
      details: { email: input.email.toLowerCase(), role: input.role },
    });
    return this.getUser(actor, user.id);
  }

  async hasAnyAccount(): Promise<boolean> {
    return (await this.repo.countAccounts()) > 0;
  }

  async login(email: string, password: string, meta: { ip: string; userAgent?: string }): Promise<LoginResult> {
    const user = await this.repo.findUserByEmail(email);
    // Verify against a dummy hash for unknown e-mails so timing does not reveal who has an account.
    this.dummyHash ??= hashPassword(randomToken());
    const ok = await verify(user?.passwordHash ?? (await this.dummyHash), password).catch(() => false);
    const membership = user ? await this.repo.firstMembership(user.id) : undefined;
    if (!user || !ok || !membership) {
      await this.repo.audit({
        accountId: membership?.accountId ?? null,
        actorUserId: user?.id ?? null,
        action: 'login.failed',
        ip: meta.ip,
        details: { email },
      });
      throw new AppError('invalid_credentials', 'E-mail or password is incorrect');
    }
    const sessionToken = randomToken();
    const csrfToken = randomToken(24);
    const session = await this.repo.createSession({
      accountId: membership.accountId,
      userId: user.id,
      tokenHash: sha256(sessionToken),
      csrfToken,
      ip: meta.ip,
      userAgent: meta.userAgent?.slice(0, 500),
      expiresAt: new Date(Date.now() + this.ctx.config.sessionAbsoluteMs),
    });
    await this.repo.audit({ accountId: membership.accountId, actorUserId: user.id, action: 'login.succeeded', ip: meta.ip });
    const actor: Actor = { userId: user.id, accountId: membership.accountId, role: membership.role, via: 'session', sessionId: session.id };
    return { sessionToken, csrfToken, actor, user: { id: user.id, email: user.email, name: user.name } };
  }

  /** Resolves a session cookie to an actor and its CSRF token, or undefined when expired/revoked. */
  async authenticateSession(token: string): Promise<{ actor: Actor; csrfToken: string } | undefined> {
    const idleSince = new Date(Date.now() - this.ctx.config.sessionIdleMs);
    const s = await this.repo.findLiveSession(sha256(token), idleSince);
    if (!s) return undefined;
    if (Date.now() - s.lastSeenAt.getTime() > TOUCH_EVERY_MS) await this.repo.touchSession(s.id);
    return { actor: { userId: s.userId, accountId: s.accountId, role: s.role, via: 'session', sessionId: s.id }, csrfToken: s.csrfToken };
  }

  async authenticateToken(token: string): Promise<Actor | undefined> {
    if (!token.startsWith(TOKEN_PREFIX)) return undefined;
    const t = await this.repo.findLiveToken(sha256(token));
    if (!t) return undefined;
    if (!t.lastUsedAt || Date.now() - t.lastUsedAt.getTime() > TOUCH_EVERY_MS) await this.repo.touchToken(t.id);
    return { userId: t.userId, accountId: t.accountId, role: t.role, via: 'token', tokenId: t.id };
  }

  async logout(actor: Actor): Promise<void> {
    if (actor.sessionId) await this.repo.revokeSession(actor.sessionId);
    await this.audit(actor, 'logout');
  }

  async logoutEverywhere(actor: Actor): Promise<number> {
    const n = await this.repo.revokeUserSessions(actor.userId);
    await this.audit(actor, 'logout.all', { details: { sessions: n } });
    return n;
  }

  async me(actor: Actor) {
    const member = await this.repo.findMember(actor.accountId, actor.userId);
    if (!member) throw notFound('User');
    return { ...member, accountId: actor.accountId };
  }

  async createToken(actor: Actor, name: string) {
    requirePermission(actor, 'token.manage');
    const token = TOKEN_PREFIX + randomToken();
    const row = await this.repo.createToken({
      accountId: actor.accountId,
      userId: actor.userId,
      name,
      tokenHash: sha256(token),
      prefix: token.slice(0, 10),
    });
    await this.audit(actor, 'token.created', { targetType: 'api_token', targetId: row.id, details: { name } });
    return { id: row.id, name, token, prefix: token.slice(0, 10), createdAt: row.createdAt };
  }

  async listTokens(actor: Actor) {
    requirePermission(actor, 'token.manage');
    return this.repo.listTokens(actor.accountId, actor.userId);
  }

  async revokeToken(actor: Actor, id: string): Promise<void> {
    requirePermission(actor, 'token.manage');
    if (!(await this.repo.revokeToken(actor.accountId, actor.userId, id))) throw notFound('Token');
    await this.audit(actor, 'token.revoked', { targetType: 'api_token', targetId: id });
  }

  async listUsers(actor: Actor) {
    requirePermission(actor, 'user.read');
    return this.repo.listMembers(actor.accountId);
  }

  async getUser(actor: Actor, userId: string) {
    requirePermission(actor, 'user.read');
    const member = await this.repo.findMember(actor.accountId, userId);
    if (!member) throw notFound('User');
    return member;
  }

  async changeRole(actor: Actor, userId: string, role: Role) {
    const member = await this.getUser(actor, userId);
    if (!canGrantRole(actor, role) || !canGrantRole(actor, member.role)) throw forbidden('You cannot grant or change this role');
    if (member.role === 'owner' && role !== 'owner' && (await this.repo.countOwners(actor.accountId)) <= 1) {
      throw new AppError('conflict', 'An account must keep at least one owner');
    }
    await this.repo.setRole(actor.accountId, userId, role);
    await this.audit(actor, 'user.role_changed', { targetType: 'user', targetId: userId, details: { from: member.role, to: role } });
    return { ...member, role };
  }

  async listAudit(actor: Actor, limit: number, cursor?: number) {
    requirePermission(actor, 'audit.read');
    const rows = await this.repo.listAudit(actor.accountId, limit + 1, cursor);
    const items = rows.slice(0, limit);
    return { items, nextCursor: rows.length > limit ? String(items[items.length - 1]!.id) : null };
  }

  /** Records a security-relevant action by this actor. */
  async audit(
    actor: Actor,
    action: string,
    extra: { targetType?: string; targetId?: string; details?: Record<string, unknown> } = {},
  ): Promise<void> {
    await this.repo.audit({ accountId: actor.accountId, actorUserId: actor.userId, action, ip: actor.ip, ...extra });
  }

  async pruneSessions(): Promise<void> {
    await this.repo.pruneSessions();
  }
}
