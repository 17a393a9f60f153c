import { hash, verify } from '@node-rs/argon2';
import type { AppContext } from '../../context.js';
import { randomToken, sha256 } from '../../platform/crypto/secret-box.js';
import { AppError, notFound } from '../../platform/http/errors.js';
import { transaction } from '../../platform/db/transaction.js';
import { recordAudit } from './identity.audit.js';
import { IdentityRepository } from './identity.repository.js';
import { knownDeviceCookie, knownDeviceUser, rememberTwoFactorCookie } from './known-device.js';
import { LoginThrottle } from './login-throttle.js';
import { assertStrongPassword } from './password-policy.js';
import { PeopleRepository } from './people.repository.js';
import { cutOffEverywhere } from './cut-off.js';
import { TwoFactorService, type SignInChallenge } from './two-factor.service.js';
import { can, requirePermission, type Actor, type Role } from './permissions.js';
import { actorFor } from '../access/access.resolve.js';
import { assertCanAssignRole } from '../access/roles.service.js';
import { checkedTokenScopes } from '../access/token-scopes.js';
import type { TokenScopes } from '@switchboard/shared';
import { assertWithinLimit } from '../accounts/accounts.limits.js';

const ARGON2 = { algorithm: 2 /* Argon2id */, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;
const TOKEN_PREFIX = 'sbt_';
/** Sessions are touched at most this often, so reading does not write on every request. */
const TOUCH_EVERY_MS = 60_000;

export const hashPassword = (password: string): Promise<string> => hash(password, ARGON2);

/** A new member's address (lower case) and password hash, once the password passes the policy. */
async function checkedMember(input: { email: string; name: string; password: string; role: Role }) {
  const email = input.email.toLowerCase();
  await assertStrongPassword(input.password, email);
  return { email, name: input.name, role: input.role, passwordHash: await hashPassword(input.password) };
}

export interface LoginResult {
  sessionToken: string;
  csrfToken: string;
  /** The signed "known device" cookie value for this browser. */
  knownDevice: string;
  actor: Actor;
  user: { id: string; email: string; name: string };
  /** Every account the person belongs to; `actor.accountId` is the one this session opened. */
  accounts: AccountChoice[];
}

export interface AccountChoice {
  id: string;
  name: string;
  role: Role;
  status: 'active' | 'suspended';
}

/** The refusal a suspended account's people see (sign-in, sessions, tokens). */
export const accountSuspended = (): AppError =>
  new AppError('account_suspended', 'This account is suspended; contact the service provider to restore access');

export class IdentityService {
  private readonly repo: IdentityRepository;
  readonly throttle: LoginThrottle;
  readonly twoFactor: TwoFactorService;
  private readonly people: PeopleRepository;
  private dummyHash: Promise<string> | undefined;

  constructor(private readonly ctx: AppContext) {
    this.repo = new IdentityRepository(ctx.db);
    this.throttle = new LoginThrottle(ctx);
    this.twoFactor = new TwoFactorService(ctx);
    this.people = new PeopleRepository(ctx.db);
  }

  /** Creates an account with its first owner (first boot, tests, sign-up later). */
  async createAccountWithOwner(input: {
    accountName: string;
    email: string;
    name: string;
    password: string;
    role?: Role;
    /** The installation's operator (the first owner created at boot). */
    platformAdmin?: boolean;
  }) {
    const member = await checkedMember({ ...input, role: input.role ?? 'owner' });
    return transaction(this.ctx.pool, async (tx) => {
      const repo = new IdentityRepository(tx.db);
      const account = await repo.createAccount(input.accountName);
      const user = await this.insertMember(repo, account.id, member);
      if (input.platformAdmin) await repo.setPlatformAdmin(user.id);
      return { account, user };
    });
  }

  /**
   * A manager adds a teammate with an initial password (they sign in and may change it later). Only
   * this account's members are compared: whether the address is used in another account stays unsaid.
   */
  async createMember(actor: Actor, input: { email: string; name: string; password: string; role: Role }) {
    await assertCanAssignRole(this.ctx.db, actor, undefined, input.role);
    await assertWithinLimit(this.ctx.db, actor.accountId, 'people');
    const user = await this.addUser(actor.accountId, input, actor);
    return this.getUser(actor, user.id);
  }

  /**
   * Adds a user to an account (`conflict` when a member already has the address; `weak_password`);
   * `by` is audited as having added them, in the same transaction.
   */
  async addUser(accountId: string, input: { email: string; name: string; password: string; role: Role }, by?: Actor) {
    const member = await checkedMember(input);
    return transaction(this.ctx.pool, async (tx) => {
      const user = await this.insertMember(new IdentityRepository(tx.db), accountId, member);
      if (by)
        await recordAudit(tx.db, by, 'user.created', {
          targetType: 'user',
          targetId: user.id,
          details: { email: member.email, role: member.role },
        });
      return user;
    });
  }

  private async insertMember(
    repo: IdentityRepository,
    accountId: string,
    input: { email: string; name: string; passwordHash: string; role: Role },
  ) {
    await repo.lockAddress(accountId, input.email);
    if (await repo.hasMemberWithEmail(accountId, input.email))
      throw new AppError('conflict', 'A member of this account already has this e-mail');
    const user = await repo.createUser({ email: input.email, name: input.name, passwordHash: input.passwordHash });
    await repo.addMembership(accountId, user.id, input.role);
    return { ...user, email: input.email };
  }

  async hasAnyAccount(): Promise<boolean> {
    return (await this.repo.countAccounts()) > 0;
  }

  /**
   * Signs in with the address's user whose password matches (an address may be in several accounts).
   * Limits: see `LoginThrottle`; users this IP has signed in as before are tried without back-off.
   */
  async login(
    rawEmail: string,
    password: string,
    meta: { ip: string; userAgent?: string; knownDevice?: string; rememberedTwoFactor?: string },
  ): Promise<LoginResult | SignInChallenge> {
    const email = rawEmail.toLowerCase();
    await this.throttle.admit(email, meta.ip);
    const candidates = await this.repo.findUsersByEmail(email);
    const usual = await this.throttle.usualPlaces(
      candidates.map((u) => u.id),
      meta.ip,
    );
    // A browser the user signed in with before is a usual place wherever it connects from.
    const device = knownDeviceUser(this.ctx.secrets, meta.knownDevice);
    if (device && candidates.some((u) => u.id === device)) usual.add(device);
    const match = await this.passwordMatch(candidates, usual, email, password);
    const accounts = match ? await this.repo.membershipsOf(match.id) : [];
    // The oldest membership whose account is not suspended opens; the others are a switch away.
    const open = accounts.find((a) => a.status === 'active');
    const membership = open && { accountId: open.id, role: open.role };
    if (match && accounts.length > 0 && !membership) {
      await this.throttle.succeeded(email);
      throw accountSuspended();
    }
    if (!match || !membership) {
      const owners = await this.membersOf(candidates);
      await this.throttle.failed(
        email,
        meta.ip,
        owners.map((o) => o.accountId),
      );
      for (const o of owners.length ? owners : [{ accountId: null, userId: null }]) {
        await this.repo.audit({ accountId: o.accountId, actorUserId: o.userId, action: 'login.failed', ip: meta.ip, details: { email } });
      }
      throw new AppError('invalid_credentials', 'E-mail or password is incorrect');
    }
    const user = match;
    // A second factor, when the person has one (or the account requires one), before any session exists.
    const challenge = await this.twoFactor.gate(user, membership, {
      ip: meta.ip,
      userAgent: meta.userAgent,
      remembered: meta.rememberedTwoFactor,
    });
    await this.throttle.succeeded(email);
    if (challenge) return challenge;
    return this.startSession(user, membership, accounts, meta);
  }

  /** The second step of a sign-in: a TOTP or recovery code for the challenge the password step issued. */
  async loginSecondStep(
    input: { challenge: string; code?: string | undefined; recoveryCode?: string | undefined; rememberDevice: boolean },
    meta: { ip: string; userAgent?: string },
  ): Promise<LoginResult & { recoveryCodes?: string[]; rememberedTwoFactor?: string }> {
    const passed = await this.twoFactor.passChallenge(input, meta.ip);
    const accounts = await this.repo.membershipsOf(passed.userId);
    const open = accounts.find((a) => a.id === passed.accountId && a.status === 'active');
    if (!open)
      throw new AppError('two_factor_challenge_invalid', 'This sign-in step has expired or was used; sign in with your password again');
    const user = (await this.people.user(passed.userId))!;
    const result = await this.startSession(user, { accountId: open.id, role: open.role }, accounts, meta);
    return {
      ...result,
      ...(passed.recoveryCodes ? { recoveryCodes: passed.recoveryCodes } : {}),
      ...(input.rememberDevice ? { rememberedTwoFactor: rememberTwoFactorCookie(this.ctx.secrets, user.id, passed.enabledAt) } : {}),
    };
  }

  /**
   * Opens a session for a member whose credentials (and second factor) passed: sign-in, its second step,
   * and an accepted invitation all end here.
   */
  async startSession(
    user: { id: string; email: string; name: string },
    membership: { accountId: string; role: Role },
    accounts: AccountChoice[],
    meta: { ip: string; userAgent?: string | undefined },
  ): Promise<LoginResult> {
    const sessionToken = randomToken();
    const csrfToken = randomToken(24);
    // The session exists only with its audit entry: a failed entry must not leave a live session behind.
    const session = await transaction(this.ctx.pool, async (tx) => {
      const repo = new IdentityRepository(tx.db);
      const created = await repo.createSession({
        accountId: membership.accountId,
        userId: user.id,
        tokenHash: sha256(sessionToken),
        csrfToken,
        ip: meta.ip,
        userAgent: meta.userAgent?.slice(0, 500),
        expiresAt: new Date(Date.now() + this.ctx.config.sessionAbsoluteMs),
      });
      await repo.audit({ accountId: membership.accountId, actorUserId: user.id, action: 'login.succeeded', ip: meta.ip });
      return created;
    });
    const actor = await actorFor(this.ctx.db, {
      userId: user.id,
      accountId: membership.accountId,
      role: membership.role,
      via: 'session',
      sessionId: session.id,
    });
    const knownDevice = knownDeviceCookie(this.ctx.secrets, user.id);
    return { sessionToken, csrfToken, knownDevice, actor, user: { id: user.id, email: user.email, name: user.name }, accounts };
  }

  /** Every account the actor's person belongs to (login response, session, account switcher). */
  accountsOf(actor: Actor): Promise<AccountChoice[]> {
    return this.repo.membershipsOf(actor.userId);
  }

  /**
   * Moves a browser session into another account of the same person: the old session ends (its open
   * event streams close) and a new one starts in the chosen account, so nothing of the previous account
   * stays reachable through it. 404 for an account the person does not belong to.
   */
  async switchAccount(
    actor: Actor,
    accountId: string,
    meta: { ip: string; userAgent?: string },
  ): Promise<Omit<LoginResult, 'knownDevice' | 'user'>> {
    if (actor.via !== 'session' || !actor.sessionId)
      throw new AppError('bad_request', 'Only a signed-in browser session can switch accounts');
    const accounts = await this.repo.membershipsOf(actor.userId);
    const target = accounts.find((a) => a.id === accountId);
    if (!target) throw notFound('Account');
    if (target.status !== 'active') throw accountSuspended();
    const sessionToken = randomToken();
    const csrfToken = randomToken(24);
    const previousSessionId = actor.sessionId;
    const session = await transaction(this.ctx.pool, async (tx) => {
      const repo = new IdentityRepository(tx.db);
      await repo.revokeSession(previousSessionId);
      const created = await repo.createSession({
        accountId,
        userId: actor.userId,
        tokenHash: sha256(sessionToken),
        csrfToken,
        ip: meta.ip,
        userAgent: meta.userAgent?.slice(0, 500),
        expiresAt: new Date(Date.now() + this.ctx.config.sessionAbsoluteMs),
      });
      await recordAudit(tx.db, actor, 'account.switched_out', { targetType: 'account', targetId: accountId });
      await repo.audit({
        accountId,
        actorUserId: actor.userId,
        action: 'account.switched_in',
        ip: meta.ip,
        details: { from: actor.accountId },
      });
      return created;
    });
    const next = await actorFor(this.ctx.db, {
      userId: actor.userId,
      accountId,
      role: target.role,
      via: 'session',
      sessionId: session.id,
    });
    return { sessionToken, csrfToken, actor: next, accounts };
  }

  /**
   * The user whose password this is. Users this IP signed in as before are tried first; any other is
   * tried only after the address's back-off lets the attempt through (unknown addresses too, alike).
   */
  private async passwordMatch<U extends { id: string; passwordHash: string }>(
    candidates: U[],
    usual: Set<string>,
    email: string,
    password: string,
  ): Promise<U | undefined> {
    let tried = 0;
    const firstMatch = async (users: U[]) => {
      for (const u of users) {
        tried++;
        if (await verify(u.passwordHash, password).catch(() => false)) return u;
      }
      return undefined;
    };
    const mine = candidates.filter((u) => usual.has(u.id));
    if (mine.length > 0) await this.throttle.claim(email, false);
    const known = await firstMatch(mine);
    if (known) return known;
    const others = candidates.filter((u) => !usual.has(u.id));
    if (others.length > 0 || tried === 0) await this.throttle.claim(email, true);
    const found = await firstMatch(others);
    // Verify against a dummy hash for unknown e-mails so timing does not reveal who has an account.
    if (tried === 0) {
      this.dummyHash ??= hashPassword(randomToken());
      await verify(await this.dummyHash, password).catch(() => false);
    }
    return found;
  }

  /** The accounts (and their user) an address belongs to: where a failed sign-in is audited. */
  private async membersOf(users: { id: string }[]): Promise<{ accountId: string; userId: string }[]> {
    const out: { accountId: string; userId: string }[] = [];
    for (const u of users) {
      const m = await this.repo.firstMembership(u.id);
      if (m) out.push({ accountId: m.accountId, userId: u.id });
    }
    return out;
  }

  /** Resolves a session cookie to an actor and its CSRF token, or undefined when expired/revoked. */
  async authenticateSession(token: string): Promise<{ actor: Actor; csrfToken: string } | undefined> {
    const idleSince = new Date(Date.now() - this.ctx.config.sessionIdleMs);
    const s = await this.repo.findLiveSession(sha256(token), idleSince);
    if (!s) return undefined;
    if (s.accountStatus !== 'active') throw accountSuspended();
    if (Date.now() - s.lastSeenAt.getTime() > TOUCH_EVERY_MS) await this.repo.touchSession(s.id);
    const actor = await actorFor(this.ctx.db, { userId: s.userId, accountId: s.accountId, role: s.role, via: 'session', sessionId: s.id });
    return { actor, csrfToken: s.csrfToken };
  }

  async authenticateToken(token: string): Promise<Actor | undefined> {
    if (!token.startsWith(TOKEN_PREFIX)) return undefined;
    const t = await this.repo.findLiveToken(sha256(token));
    if (!t) return undefined;
    if (t.accountStatus !== 'active') throw accountSuspended();
    if (!t.lastUsedAt || Date.now() - t.lastUsedAt.getTime() > TOUCH_EVERY_MS) await this.repo.touchToken(t.id);
    return actorFor(this.ctx.db, { userId: t.userId, accountId: t.accountId, role: t.role, via: 'token', tokenId: t.id, scopes: t.scopes });
  }

  /** Whether each actor's session or API token still authenticates (open event streams re-check this). */
  async stillValid(actors: Actor[]): Promise<boolean[]> {
    const idleSince = new Date(Date.now() - this.ctx.config.sessionIdleMs);
    const sessionIds = actors.flatMap((a) => (a.sessionId ? [a.sessionId] : []));
    const tokenIds = actors.flatMap((a) => (a.tokenId ? [a.tokenId] : []));
    const [liveSessions, liveTokens] = await Promise.all([
      this.repo.liveSessionIds(sessionIds, idleSince),
      this.repo.liveTokenIds(tokenIds),
    ]);
    return actors.map((a) => (a.sessionId ? liveSessions.has(a.sessionId) : a.tokenId ? liveTokens.has(a.tokenId) : true));
  }

  async logout(actor: Actor): Promise<void> {
    await transaction(this.ctx.pool, async (tx) => {
      if (actor.sessionId) await new IdentityRepository(tx.db).revokeSession(actor.sessionId);
      await recordAudit(tx.db, actor, 'logout');
    });
  }

  /** Signs the person out of every session in every account; with `includeTokens`, their API tokens stop working too. */
  async logoutEverywhere(actor: Actor, opts: { includeTokens: boolean } = { includeTokens: false }): Promise<number> {
    return transaction(this.ctx.pool, async (tx) => {
      const done = await cutOffEverywhere(tx.db, actor.userId, { tokens: opts.includeTokens, bridge: false });
      const sessions = [...done.values()].reduce((n, r) => n + r.sessions, 0);
      const tokens = [...done.values()].reduce((n, r) => n + r.tokens, 0);
      await recordAudit(tx.db, actor, 'logout.all', { details: { sessions, tokens, includeTokens: opts.includeTokens } });
      return sessions;
    });
  }

  async me(actor: Actor) {
    const member = await this.repo.findMember(actor.accountId, actor.userId);
    if (!member) throw notFound('User');
    return { ...member, accountId: actor.accountId, platformAdmin: await this.repo.isPlatformAdmin(actor.userId) };
  }

  async createToken(actor: Actor, name: string, limits: { scopes?: TokenScopes | undefined; expiresAt?: string | null | undefined } = {}) {
    requirePermission(actor, 'token.manage');
    const { scopes, expiresAt } = await checkedTokenScopes(this.ctx.db, actor, limits);
    const token = TOKEN_PREFIX + randomToken();
    // With its audit entry, or not at all: a token the client never received must not stay live.
    const row = await transaction(this.ctx.pool, async (tx) => {
      const row = await new IdentityRepository(tx.db).createToken({
        accountId: actor.accountId,
        userId: actor.userId,
        name,
        tokenHash: sha256(token),
        prefix: token.slice(0, 10),
        scopes,
        expiresAt,
      });
      await recordAudit(tx.db, actor, 'token.created', {
        targetType: 'api_token',
        targetId: row.id,
        details: { name, scopes, expiresAt: expiresAt?.toISOString() ?? null },
      });
      return row;
    });
    return { id: row.id, name, token, prefix: token.slice(0, 10), createdAt: row.createdAt, scopes, expiresAt };
  }

  async listTokens(actor: Actor) {
    requirePermission(actor, 'token.manage');
    return this.repo.listTokens(actor.accountId, actor.userId);
  }

  /** Revokes one of my tokens; with `token.manage_all`, anyone's token in the account. */
  async revokeToken(actor: Actor, id: string): Promise<void> {
    const anyone = can(actor, 'token.manage_all');
    if (!anyone) requirePermission(actor, 'token.manage');
    await transaction(this.ctx.pool, async (tx) => {
      const mine = await new IdentityRepository(tx.db).revokeToken(actor.accountId, actor.userId, id);
      const other = !mine && anyone ? await new PeopleRepository(tx.db).revokeAccountToken(actor.accountId, id) : undefined;
      if (!mine && !other) throw notFound('Token');
      await recordAudit(tx.db, actor, 'token.revoked', {
        targetType: 'api_token',
        targetId: id,
        ...(other ? { details: { ownerUserId: other.userId } } : {}),
      });
    });
  }

  /** Every live API token of the account, whoever holds it (managers see and revoke them). */
  async listAccountTokens(actor: Actor) {
    requirePermission(actor, 'token.manage_all');
    return this.people.listAccountTokens(actor.accountId);
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
    await assertCanAssignRole(this.ctx.db, actor, member.role, role);
    if (member.role === 'owner' && role !== 'owner' && (await this.repo.countOwners(actor.accountId)) <= 1) {
      throw new AppError('conflict', 'An account must keep at least one owner');
    }
    await transaction(this.ctx.pool, async (tx) => {
      await new IdentityRepository(tx.db).setRole(actor.accountId, userId, role);
      await recordAudit(tx.db, actor, 'user.role_changed', {
        targetType: 'user',
        targetId: userId,
        details: { from: member.role, to: role },
      });
    });
    return { ...member, role };
  }
}
