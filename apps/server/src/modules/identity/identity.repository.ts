import { and, asc, desc, eq, gt, isNull, lt, sql } from 'drizzle-orm';
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

  async findUserByEmail(email: string) {
    const [row] = await this.db.select().from(users).where(eq(users.email, email.toLowerCase()));
    return row;
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
      .innerJoin(memberships, and(eq(memberships.userId, sessions.userId), eq(memberships.accountId, sessions.accountId)))
      .where(
        and(
          eq(sessions.tokenHash, tokenHash),
          isNull(sessions.revokedAt),
          gt(sessions.expiresAt, sql`now()`),
          gt(sessions.lastSeenAt, idleSince),
        ),
      );
    return row;
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
      .innerJoin(memberships, and(eq(memberships.userId, apiTokens.userId), eq(memberships.accountId, apiTokens.accountId)))
      .where(and(eq(apiTokens.tokenHash, tokenHash), isNull(apiTokens.revokedAt)));
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

  async pruneSessions(): Promise<void> {
    await this.db.delete(sessions).where(lt(sessions.expiresAt, sql`now() - interval '7 days'`));
  }
}
