import { and, asc, desc, eq, gt, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import { accounts, apiTokens, auditLog, memberships, sessions, users } from '../../platform/db/schema.js';
import type { Role } from './permissions.js';

export interface AuditEntry {
  accountId: string | null;
  actorUserId: string | null;
  action: string;
  targetType?: string;
  targetId?: string;
  ip?: string | undefined;
  details?: Record<string, unknown>;
}

/** A session that still authenticates: its member still belongs to the account (not deactivated), not revoked, expired or idle. */
const sessionMember = and(
  eq(memberships.userId, sessions.userId),
  eq(memberships.accountId, sessions.accountId),
  isNull(memberships.deactivatedAt),
);
const liveSession = (idleSince: Date) =>
  and(isNull(sessions.revokedAt), gt(sessions.expiresAt, sql`now()`), gt(sessions.lastSeenAt, idleSince));

/** An API token that still authenticates: its member still belongs to the account, not revoked. */
const tokenMember = and(
  eq(memberships.userId, apiTokens.userId),
  eq(memberships.accountId, apiTokens.accountId),
  isNull(memberships.deactivatedAt),
);
const liveToken = and(isNull(apiTokens.revokedAt), or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, sql`now()`)));

/** Open event streams of a suspended account end like those of a revoked session. */
const activeAccount = (accountId: typeof sessions.accountId | typeof apiTokens.accountId) =>
  and(eq(accounts.id, accountId), eq(accounts.status, 'active'));

export class IdentityRepository {
  constructor(private readonly db: Db) {}

  async createAccount(name: string): Promise<{ id: string; name: string }> {
    const [row] = await this.db.insert(accounts).values({ name }).returning();
    return row!;
  }

  async createUser(input: { email: string; name: string; passwordHash: string }): Promise<{ id: string }> {
    const [row] = await this.db.insert(users).values(input).returning({ id: users.id });
    return row!;
  }

  async addMembership(accountId: string, userId: string, role: Role): Promise<void> {
    await this.db.insert(memberships).values({ accountId, userId, role });
  }

  /** Every user of an address (one per account that added it), oldest first. */
  async findUsersByEmail(email: string) {
    return this.db.select().from(users).where(eq(users.email, email.toLowerCase())).orderBy(asc(users.createdAt));
  }

  /** Whether a member of this account already has the address. */
  async hasMemberWithEmail(accountId: string, email: string): Promise<boolean> {
    const [row] = await this.db
      .select({ id: users.id })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.accountId, accountId), eq(users.email, email)))
      .limit(1);
    return Boolean(row);
  }

  /** Serialises additions of one address to one account until the transaction ends. */
  async lockAddress(accountId: string, email: string): Promise<void> {
    await this.db.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`${accountId}:${email}`}, 7220003))`);
  }

  async countAccounts(): Promise<number> {
    const [row] = await this.db.select({ n: sql<number>`count(*)::int` }).from(accounts);
    return row?.n ?? 0;
  }

  /** The oldest membership decides which account a login opens. */
  async firstMembership(userId: string) {
    const [row] = await this.db
      .select({ accountId: memberships.accountId, role: memberships.role })
      .from(memberships)
      .where(and(eq(memberships.userId, userId), isNull(memberships.deactivatedAt)))
      .orderBy(asc(memberships.createdAt))
      .limit(1);
    return row;
  }

  async createSession(input: typeof sessions.$inferInsert): Promise<{ id: string }> {
    const [row] = await this.db.insert(sessions).values(input).returning({ id: sessions.id });
    return row!;
  }

  /** A live session with the member's current role (a role change applies at once). */
  async findLiveSession(tokenHash: string, idleSince: Date) {
    const [row] = await this.db
      .select({
        id: sessions.id,
        userId: sessions.userId,
        accountId: sessions.accountId,
        csrfToken: sessions.csrfToken,
        lastSeenAt: sessions.lastSeenAt,
        role: memberships.role,
        accountStatus: accounts.status,
      })
      .from(sessions)
      .innerJoin(memberships, sessionMember)
      .innerJoin(accounts, eq(accounts.id, sessions.accountId))
      .where(and(eq(sessions.tokenHash, tokenHash), liveSession(idleSince)));
    return row;
  }

  /** Which of these sessions would still authenticate (see `findLiveSession`). */
  async liveSessionIds(ids: string[], idleSince: Date): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.db
      .select({ id: sessions.id })
      .from(sessions)
      .innerJoin(memberships, sessionMember)
      .innerJoin(accounts, activeAccount(sessions.accountId))
      .where(and(inArray(sessions.id, ids), liveSession(idleSince)));
    return new Set(rows.map((r) => r.id));
  }

  /** Which of these API tokens would still authenticate (see `findLiveToken`). */
  async liveTokenIds(ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.db
      .select({ id: apiTokens.id })
      .from(apiTokens)
      .innerJoin(memberships, tokenMember)
      .innerJoin(accounts, activeAccount(apiTokens.accountId))
      .where(and(inArray(apiTokens.id, ids), liveToken));
    return new Set(rows.map((r) => r.id));
  }

  async touchSession(id: string): Promise<void> {
    await this.db
      .update(sessions)
      .set({ lastSeenAt: sql`now()` })
      .where(eq(sessions.id, id));
  }

  async revokeSession(id: string): Promise<void> {
    await this.db
      .update(sessions)
      .set({ revokedAt: sql`now()` })
      .where(eq(sessions.id, id));
  }

  async revokeUserSessions(userId: string): Promise<number> {
    const rows = await this.db
      .update(sessions)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)))
      .returning({ id: sessions.id });
    return rows.length;
  }

  async createToken(input: typeof apiTokens.$inferInsert): Promise<{ id: string; createdAt: Date }> {
    const [row] = await this.db.insert(apiTokens).values(input).returning({ id: apiTokens.id, createdAt: apiTokens.createdAt });
    return row!;
  }

  async findLiveToken(tokenHash: string) {
    const [row] = await this.db
      .select({
        id: apiTokens.id,
        userId: apiTokens.userId,
        accountId: apiTokens.accountId,
        role: memberships.role,
        scopes: apiTokens.scopes,
        lastUsedAt: apiTokens.lastUsedAt,
        accountStatus: accounts.status,
      })
      .from(apiTokens)
      .innerJoin(memberships, tokenMember)
      .innerJoin(accounts, eq(accounts.id, apiTokens.accountId))
      .where(and(eq(apiTokens.tokenHash, tokenHash), liveToken));
    return row;
  }

  async touchToken(id: string): Promise<void> {
    await this.db
      .update(apiTokens)
      .set({ lastUsedAt: sql`now()` })
      .where(eq(apiTokens.id, id));
  }

  async listTokens(accountId: string, userId: string) {
    return this.db
      .select({
        id: apiTokens.id,
        name: apiTokens.name,
        prefix: apiTokens.prefix,
        createdAt: apiTokens.createdAt,
        lastUsedAt: apiTokens.lastUsedAt,
        scopes: apiTokens.scopes,
        expiresAt: apiTokens.expiresAt,
      })
      .from(apiTokens)
      .where(and(eq(apiTokens.accountId, accountId), eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
      .orderBy(desc(apiTokens.createdAt));
  }

  async revokeToken(accountId: string, userId: string, id: string): Promise<boolean> {
    const rows = await this.db
      .update(apiTokens)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(apiTokens.accountId, accountId), eq(apiTokens.userId, userId), eq(apiTokens.id, id), isNull(apiTokens.revokedAt)))
      .returning({ id: apiTokens.id });
    return rows.length > 0;
  }

  /** Active members (assignee pickers); the Team page lists deactivated ones too. */
  async listMembers(accountId: string) {
    return this.db
      .select({ id: users.id, email: users.email, name: users.name, role: memberships.role, createdAt: memberships.createdAt })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.accountId, accountId), isNull(memberships.deactivatedAt)))
      .orderBy(asc(memberships.createdAt));
  }

  /** An active (not deactivated) member: who may be assigned, have their role changed, be looked up. */
  async findMember(accountId: string, userId: string) {
    const [row] = await this.db
      .select({ id: users.id, email: users.email, name: users.name, role: memberships.role, createdAt: memberships.createdAt })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.accountId, accountId), eq(memberships.userId, userId), isNull(memberships.deactivatedAt)));
    return row;
  }

  async setRole(accountId: string, userId: string, role: Role): Promise<void> {
    await this.db
      .update(memberships)
      .set({ role })
      .where(and(eq(memberships.accountId, accountId), eq(memberships.userId, userId)));
  }

  async countOwners(accountId: string): Promise<number> {
    const [row] = await this.db
      .select({ n: sql<number>`count(*)::int` })
      .from(memberships)
      .where(and(eq(memberships.accountId, accountId), eq(memberships.role, 'owner')));
    return row?.n ?? 0;
  }

  async audit(entry: AuditEntry): Promise<void> {
    await this.db.insert(auditLog).values({ ...entry, ip: entry.ip ?? null });
  }

  async listAudit(accountId: string, limit: number, beforeId?: number) {
    return this.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.accountId, accountId), beforeId ? lt(auditLog.id, beforeId) : undefined))
      .orderBy(desc(auditLog.id))
      .limit(limit);
  }

  /** Every account a user is an active (not deactivated) member of, oldest membership first (login response, account switcher). */
  async membershipsOf(userId: string) {
    return this.db
      .select({ id: accounts.id, name: accounts.name, role: memberships.role, status: accounts.status })
      .from(memberships)
      .innerJoin(accounts, eq(accounts.id, memberships.accountId))
      .where(and(eq(memberships.userId, userId), isNull(memberships.deactivatedAt)))
      .orderBy(asc(memberships.createdAt));
  }

  /** Whether the user is the installation's operator (platform cabinet). */
  async isPlatformAdmin(userId: string): Promise<boolean> {
    const [row] = await this.db.select({ on: users.platformAdmin }).from(users).where(eq(users.id, userId));
    return row?.on ?? false;
  }

  async setPlatformAdmin(userId: string): Promise<void> {
    await this.db.update(users).set({ platformAdmin: true }).where(eq(users.id, userId));
  }

  /** Platform-cabinet actions across every account, newest first. */
  async listPlatformAudit(limit: number, beforeId?: number) {
    return this.db
      .select()
      .from(auditLog)
      .where(and(sql`${auditLog.action} like 'platform.%'`, beforeId ? lt(auditLog.id, beforeId) : undefined))
      .orderBy(desc(auditLog.id))
      .limit(limit);
  }

  /** Week-old expired sessions (hourly maintenance). */
  async pruneExpired(): Promise<void> {
    await this.db.delete(sessions).where(lt(sessions.expiresAt, sql`now() - interval '7 days'`));
  }
}
