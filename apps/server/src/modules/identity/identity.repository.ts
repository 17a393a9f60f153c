import { and, asc, desc, eq, gt, inArray, isNull, lt, sql } from 'drizzle-orm';
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

/** A session that still authenticates: its member still belongs to the account, not revoked, expired or idle. */
const sessionMember = and(eq(memberships.userId, sessions.userId), eq(memberships.accountId, sessions.accountId));
const liveSession = (idleSince: Date) =>
  and(isNull(sessions.revokedAt), gt(sessions.expiresAt, sql`now()`), gt(sessions.lastSeenAt, idleSince));

/** An API token that still authenticates: its member still belongs to the account, not revoked. */
const tokenMember = and(eq(memberships.userId, apiTokens.userId), eq(memberships.accountId, apiTokens.accountId));
const liveToken = isNull(apiTokens.revokedAt);

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
      .where(eq(memberships.userId, userId))
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
      })
      .from(sessions)
      .innerJoin(memberships, sessionMember)
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
        lastUsedAt: apiTokens.lastUsedAt,
      })
      .from(apiTokens)
      .innerJoin(memberships, tokenMember)
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

  async listMembers(accountId: string) {
    return this.db
      .select({ id: users.id, email: users.email, name: users.name, role: memberships.role, createdAt: memberships.createdAt })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(eq(memberships.accountId, accountId))
      .orderBy(asc(memberships.createdAt));
  }

  async findMember(accountId: string, userId: string) {
    const [row] = await this.db
      .select({ id: users.id, email: users.email, name: users.name, role: memberships.role, createdAt: memberships.createdAt })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.accountId, accountId), eq(memberships.userId, userId)));
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

  /** Week-old expired sessions (hourly maintenance). */
  async pruneExpired(): Promise<void> {
    await this.db.delete(sessions).where(lt(sessions.expiresAt, sql`now() - interval '7 days'`));
  }
}
