import { and, desc, eq, gt, inArray, isNull, ne, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import { accounts, apiTokens, conversations, memberships, sessions, users } from '../../platform/db/schema.js';
import { operatorLinks, operatorLinkTokens } from '../../platform/db/schema.channels.js';
import { invitations, loginChallenges, passwordResets, recoveryCodes, twoFactor, userAvatars } from '../../platform/db/schema.people.js';

/** SQL of the people features: invitations, resets, two-factor, profile, cutting someone off. */
export class PeopleRepository {
  constructor(private readonly db: Db) {}

  // ---- invitations

  async createInvitation(row: typeof invitations.$inferInsert) {
    const [created] = await this.db.insert(invitations).values(row).returning();
    return created!;
  }

  /** Pending invitations of one address to one account end when a new one is sent. */
  async revokePendingInvitations(accountId: string, email: string): Promise<void> {
    await this.db
      .update(invitations)
      .set({ revokedAt: sql`now()` })
      .where(
        and(
          eq(invitations.accountId, accountId),
          eq(invitations.email, email),
          isNull(invitations.acceptedAt),
          isNull(invitations.revokedAt),
        ),
      );
  }

  /** Invitations not accepted, newest first (pending, expired and revoked of the last 30 days). */
  async listInvitations(accountId: string) {
    return this.db
      .select({
        id: invitations.id,
        email: invitations.email,
        role: invitations.role,
        invitedBy: users.name,
        sentAt: invitations.sentAt,
        expiresAt: invitations.expiresAt,
        acceptedAt: invitations.acceptedAt,
        revokedAt: invitations.revokedAt,
        createdAt: invitations.createdAt,
      })
      .from(invitations)
      .leftJoin(users, eq(users.id, invitations.invitedBy))
      .where(
        and(
          eq(invitations.accountId, accountId),
          isNull(invitations.acceptedAt),
          gt(invitations.createdAt, sql`now() - interval '30 days'`),
          sql`(${invitations.revokedAt} is null or ${invitations.revokedAt} > now() - interval '1 day')`,
        ),
      )
      .orderBy(desc(invitations.createdAt))
      .limit(200);
  }

  async findInvitation(accountId: string, id: string) {
    const [row] = await this.db
      .select()
      .from(invitations)
      .where(and(eq(invitations.accountId, accountId), eq(invitations.id, id)));
    return row;
  }

  /** The invitation of a link with its account's name, locked for the accepting transaction. */
  async invitationByToken(tokenHash: string, forUpdate = false) {
    const q = this.db
      .select({ invitation: invitations, accountName: accounts.name })
      .from(invitations)
      .innerJoin(accounts, eq(accounts.id, invitations.accountId))
      .where(eq(invitations.tokenHash, tokenHash));
    const [row] = forUpdate ? await q.for('update', { of: invitations }) : await q;
    return row;
  }

  async renewInvitation(id: string, tokenHash: string, expiresAt: Date) {
    const [row] = await this.db
      .update(invitations)
      .set({ tokenHash, expiresAt, sentAt: sql`now()` })
      .where(eq(invitations.id, id))
      .returning();
    return row!;
  }

  async revokeInvitation(accountId: string, id: string): Promise<boolean> {
    const rows = await this.db
      .update(invitations)
      .set({ revokedAt: sql`now()` })
      .where(
        and(eq(invitations.accountId, accountId), eq(invitations.id, id), isNull(invitations.acceptedAt), isNull(invitations.revokedAt)),
      )
      .returning({ id: invitations.id });
    return rows.length > 0;
  }

  async markInvitationAccepted(id: string, userId: string): Promise<void> {
    await this.db
      .update(invitations)
      .set({ acceptedAt: sql`now()`, acceptedUserId: userId })
      .where(eq(invitations.id, id));
  }

  // ---- members

  /** The team list: every member with status, last activity and whether two-factor sign-in is on. */
  async listTeam(accountId: string) {
    return this.db
      .select({
        id: users.id,
        email: users.email,
        name: users.name,
        role: memberships.role,
        deactivatedAt: memberships.deactivatedAt,
        createdAt: memberships.createdAt,
        lastActiveAt: sql<Date | null>`(select max(s.last_seen_at) from sessions s where s.user_id = ${users.id} and s.account_id = ${accountId})`,
        twoFactor: sql<boolean>`exists (select 1 from two_factor t where t.user_id = ${users.id} and t.enabled_at is not null)`,
        hasAvatar: sql<boolean>`exists (select 1 from user_avatars a where a.user_id = ${users.id})`,
      })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(eq(memberships.accountId, accountId))
      .orderBy(memberships.createdAt);
  }

  async membership(accountId: string, userId: string) {
    const [row] = await this.db
      .select({ role: memberships.role, deactivatedAt: memberships.deactivatedAt, email: users.email, name: users.name })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.accountId, accountId), eq(memberships.userId, userId)));
    return row;
  }

  async setDeactivated(accountId: string, userId: string, deactivated: boolean): Promise<void> {
    await this.db
      .update(memberships)
      .set({ deactivatedAt: deactivated ? sql`now()` : null })
      .where(and(eq(memberships.accountId, accountId), eq(memberships.userId, userId)));
  }

  async countActiveOwners(accountId: string): Promise<number> {
    const [row] = await this.db
      .select({ n: sql<number>`count(*)::int` })
      .from(memberships)
      .where(and(eq(memberships.accountId, accountId), eq(memberships.role, 'owner'), isNull(memberships.deactivatedAt)));
    return row?.n ?? 0;
  }

  /** Every account a user belongs to, active or not. */
  async accountsOf(userId: string): Promise<string[]> {
    const rows = await this.db.select({ accountId: memberships.accountId }).from(memberships).where(eq(memberships.userId, userId));
    return rows.map((r) => r.accountId);
  }

  /** Every account a user is an active member of (a password reset is audited in each). */
  async activeAccountsOf(userId: string): Promise<string[]> {
    const rows = await this.db
      .select({ accountId: memberships.accountId })
      .from(memberships)
      .where(and(eq(memberships.userId, userId), isNull(memberships.deactivatedAt)));
    return rows.map((r) => r.accountId);
  }

  // ---- cutting off

  /** Revokes the user's sessions in one account, except `keepSessionId`; returns how many. */
  async revokeSessions(accountId: string, userId: string, keepSessionId?: string): Promise<number> {
    const rows = await this.db
      .update(sessions)
      .set({ revokedAt: sql`now()` })
      .where(
        and(
          eq(sessions.accountId, accountId),
          eq(sessions.userId, userId),
          isNull(sessions.revokedAt),
          keepSessionId ? ne(sessions.id, keepSessionId) : undefined,
        ),
      )
      .returning({ id: sessions.id });
    return rows.length;
  }

  async revokeTokens(accountId: string, userId: string): Promise<number> {
    const rows = await this.db
      .update(apiTokens)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(apiTokens.accountId, accountId), eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
      .returning({ id: apiTokens.id });
    return rows.length;
  }

  /** Unlinks the user's Telegram (the operator bot stops forwarding and accepting their replies). */
  async removeBridgeLinks(accountId: string, userId: string): Promise<number> {
    await this.db.delete(operatorLinkTokens).where(and(eq(operatorLinkTokens.accountId, accountId), eq(operatorLinkTokens.userId, userId)));
    const rows = await this.db
      .delete(operatorLinks)
      .where(and(eq(operatorLinks.accountId, accountId), eq(operatorLinks.userId, userId)))
      .returning({ id: operatorLinks.id });
    return rows.length;
  }

  /** Conversations assigned to the user go back to the queue (unassigned); returns their ids. */
  async returnConversationsToQueue(accountId: string, userId: string): Promise<string[]> {
    const rows = await this.db
      .update(conversations)
      .set({
        assigneeId: null,
        status: sql`case when ${conversations.status} in ('open', 'snoozed') then 'queued' else ${conversations.status} end`,
        updatedAt: sql`now()`,
      })
      .where(and(eq(conversations.accountId, accountId), eq(conversations.assigneeId, userId), ne(conversations.status, 'resolved')))
      .returning({ id: conversations.id });
    return rows.map((r) => r.id);
  }

  // ---- sessions and tokens of a person

  async listSessions(accountId: string, userId: string) {
    return this.db
      .select({
        id: sessions.id,
        ip: sessions.ip,
        userAgent: sessions.userAgent,
        createdAt: sessions.createdAt,
        lastSeenAt: sessions.lastSeenAt,
      })
      .from(sessions)
      .where(
        and(eq(sessions.accountId, accountId), eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, sql`now()`)),
      )
      .orderBy(desc(sessions.lastSeenAt))
      .limit(100);
  }

  async revokeOwnSession(accountId: string, userId: string, id: string): Promise<boolean> {
    const rows = await this.db
      .update(sessions)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(sessions.accountId, accountId), eq(sessions.userId, userId), eq(sessions.id, id), isNull(sessions.revokedAt)))
      .returning({ id: sessions.id });
    return rows.length > 0;
  }

  /** Every live API token of the account, with whose it is. */
  async listAccountTokens(accountId: string) {
    return this.db
      .select({
        id: apiTokens.id,
        name: apiTokens.name,
        prefix: apiTokens.prefix,
        userId: apiTokens.userId,
        userName: users.name,
        createdAt: apiTokens.createdAt,
        lastUsedAt: apiTokens.lastUsedAt,
      })
      .from(apiTokens)
      .innerJoin(users, eq(users.id, apiTokens.userId))
      .where(and(eq(apiTokens.accountId, accountId), isNull(apiTokens.revokedAt)))
      .orderBy(desc(apiTokens.createdAt));
  }

  async revokeAccountToken(accountId: string, id: string): Promise<{ userId: string } | undefined> {
    const [row] = await this.db
      .update(apiTokens)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(apiTokens.accountId, accountId), eq(apiTokens.id, id), isNull(apiTokens.revokedAt)))
      .returning({ userId: apiTokens.userId });
    return row;
  }

  // ---- password and profile

  async user(userId: string) {
    const [row] = await this.db.select().from(users).where(eq(users.id, userId));
    return row;
  }

  async setPassword(userId: string, passwordHash: string): Promise<void> {
    await this.db.update(users).set({ passwordHash }).where(eq(users.id, userId));
  }

  async updateProfile(userId: string, patch: { name?: string; locale?: string | null; timeZone?: string | null }): Promise<void> {
    if (Object.keys(patch).length === 0) return;
    await this.db.update(users).set(patch).where(eq(users.id, userId));
  }

  async setAvatar(userId: string, contentType: string, data: Buffer): Promise<void> {
    await this.db
      .insert(userAvatars)
      .values({ userId, contentType, data })
      .onConflictDoUpdate({ target: userAvatars.userId, set: { contentType, data, updatedAt: sql`now()` } });
  }

  async deleteAvatar(userId: string): Promise<void> {
    await this.db.delete(userAvatars).where(eq(userAvatars.userId, userId));
  }

  /** A member's avatar, only when the user belongs to the account. */
  async avatarOf(accountId: string, userId: string) {
    const [row] = await this.db
      .select({ contentType: userAvatars.contentType, data: userAvatars.data, updatedAt: userAvatars.updatedAt })
      .from(userAvatars)
      .innerJoin(memberships, and(eq(memberships.userId, userAvatars.userId), eq(memberships.accountId, accountId)))
      .where(eq(userAvatars.userId, userId));
    return row;
  }

  async hasAvatar(userId: string): Promise<boolean> {
    const [row] = await this.db.select({ userId: userAvatars.userId }).from(userAvatars).where(eq(userAvatars.userId, userId));
    return Boolean(row);
  }

  // ---- password resets

  /** Active users of an address (one per account that has it), with their first active membership's account name. */
  async resettableUsers(email: string) {
    return this.db
      .selectDistinctOn([users.id], { id: users.id, name: users.name, accountName: accounts.name })
      .from(users)
      .innerJoin(memberships, and(eq(memberships.userId, users.id), isNull(memberships.deactivatedAt)))
      .innerJoin(accounts, eq(accounts.id, memberships.accountId))
      .where(eq(users.email, email))
      .orderBy(users.id, memberships.createdAt);
  }

  async recentResets(userId: string): Promise<number> {
    const [row] = await this.db
      .select({ n: sql<number>`count(*)::int` })
      .from(passwordResets)
      .where(and(eq(passwordResets.userId, userId), gt(passwordResets.createdAt, sql`now() - interval '1 hour'`)));
    return row?.n ?? 0;
  }

  async createReset(row: typeof passwordResets.$inferInsert): Promise<void> {
    await this.db.insert(passwordResets).values(row);
  }

  /** A reset link that can still be used, with its person's address. */
  async liveReset(tokenHash: string) {
    const [row] = await this.db
      .select({ userId: passwordResets.userId, email: users.email })
      .from(passwordResets)
      .innerJoin(users, eq(users.id, passwordResets.userId))
      .where(and(eq(passwordResets.tokenHash, tokenHash), isNull(passwordResets.usedAt), gt(passwordResets.expiresAt, sql`now()`)));
    return row;
  }

  /** Uses a reset link once: the row is claimed only if unused and unexpired. */
  async claimReset(tokenHash: string): Promise<{ userId: string } | undefined> {
    const [row] = await this.db
      .update(passwordResets)
      .set({ usedAt: sql`now()` })
      .where(and(eq(passwordResets.tokenHash, tokenHash), isNull(passwordResets.usedAt), gt(passwordResets.expiresAt, sql`now()`)))
      .returning({ userId: passwordResets.userId });
    return row;
  }

  /** Other unused links of the person end with a reset. */
  async expireResets(userId: string): Promise<void> {
    await this.db
      .update(passwordResets)
      .set({ usedAt: sql`now()` })
      .where(and(eq(passwordResets.userId, userId), isNull(passwordResets.usedAt)));
  }

  // ---- two-factor

  async twoFactor(userId: string) {
    const [row] = await this.db.select().from(twoFactor).where(eq(twoFactor.userId, userId));
    return row;
  }

  /** A new (not yet enabled) secret replaces any earlier unconfirmed one. */
  async startTwoFactor(userId: string, secretSealed: string): Promise<void> {
    await this.db
      .insert(twoFactor)
      .values({ userId, secretSealed })
      .onConflictDoUpdate({ target: twoFactor.userId, set: { secretSealed, enabledAt: null, lastTimeStep: null, createdAt: sql`now()` } });
  }

  async enableTwoFactor(userId: string, timeStep: number): Promise<void> {
    await this.db
      .update(twoFactor)
      .set({ enabledAt: sql`now()`, lastTimeStep: timeStep })
      .where(eq(twoFactor.userId, userId));
  }

  /** Records a used time step, only when later than the last one (a code is good once). */
  async useTimeStep(userId: string, timeStep: number): Promise<boolean> {
    const rows = await this.db
      .update(twoFactor)
      .set({ lastTimeStep: timeStep })
      .where(and(eq(twoFactor.userId, userId), sql`coalesce(${twoFactor.lastTimeStep}, -1) < ${timeStep}`))
      .returning({ userId: twoFactor.userId });
    return rows.length > 0;
  }

  async removeTwoFactor(userId: string): Promise<void> {
    await this.db.delete(twoFactor).where(eq(twoFactor.userId, userId));
    await this.db.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
  }

  async replaceRecoveryCodes(userId: string, hashes: string[]): Promise<void> {
    await this.db.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
    await this.db.insert(recoveryCodes).values(hashes.map((codeHash) => ({ userId, codeHash })));
  }

  async recoveryCodesLeft(userId: string): Promise<number> {
    const [row] = await this.db
      .select({ n: sql<number>`count(*)::int` })
      .from(recoveryCodes)
      .where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)));
    return row?.n ?? 0;
  }

  async useRecoveryCode(userId: string, codeHash: string): Promise<boolean> {
    const rows = await this.db
      .update(recoveryCodes)
      .set({ usedAt: sql`now()` })
      .where(and(eq(recoveryCodes.userId, userId), eq(recoveryCodes.codeHash, codeHash), isNull(recoveryCodes.usedAt)))
      .returning({ id: recoveryCodes.id });
    return rows.length > 0;
  }

  async requiresTwoFactor(accountId: string): Promise<boolean> {
    const [row] = await this.db.select({ v: accounts.requireTwoFactor }).from(accounts).where(eq(accounts.id, accountId));
    return row?.v ?? false;
  }

  async setRequireTwoFactor(accountId: string, value: boolean): Promise<void> {
    await this.db.update(accounts).set({ requireTwoFactor: value }).where(eq(accounts.id, accountId));
  }

  // ---- sign-in challenges

  async createChallenge(row: typeof loginChallenges.$inferInsert): Promise<void> {
    await this.db.insert(loginChallenges).values(row);
  }

  /** A live challenge, counting this attempt (five at most). */
  async attemptChallenge(tokenHash: string) {
    const [row] = await this.db
      .update(loginChallenges)
      .set({ attempts: sql`${loginChallenges.attempts} + 1` })
      .where(
        and(
          eq(loginChallenges.tokenHash, tokenHash),
          isNull(loginChallenges.usedAt),
          gt(loginChallenges.expiresAt, sql`now()`),
          sql`${loginChallenges.attempts} < 5`,
        ),
      )
      .returning();
    return row;
  }

  /** A live challenge without counting an attempt (showing the enrolment QR code). */
  async peekChallenge(tokenHash: string) {
    const [row] = await this.db
      .select()
      .from(loginChallenges)
      .where(and(eq(loginChallenges.tokenHash, tokenHash), isNull(loginChallenges.usedAt), gt(loginChallenges.expiresAt, sql`now()`)));
    return row;
  }

  async useChallenge(id: string): Promise<boolean> {
    const rows = await this.db
      .update(loginChallenges)
      .set({ usedAt: sql`now()` })
      .where(and(eq(loginChallenges.id, id), isNull(loginChallenges.usedAt)))
      .returning({ id: loginChallenges.id });
    return rows.length > 0;
  }

  /** Hourly maintenance: spent links and challenges older than a day. */
  async prune(): Promise<void> {
    await this.db.delete(loginChallenges).where(sql`${loginChallenges.expiresAt} < now() - interval '1 day'`);
    await this.db.delete(passwordResets).where(sql`${passwordResets.expiresAt} < now() - interval '1 day'`);
  }

  async accountName(accountId: string): Promise<string> {
    const [row] = await this.db.select({ name: accounts.name }).from(accounts).where(eq(accounts.id, accountId));
    return row?.name ?? '';
  }

  async usersByIds(ids: string[]) {
    if (ids.length === 0) return [];
    return this.db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, ids));
  }
}
