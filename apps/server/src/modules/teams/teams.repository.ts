import { and, asc, eq, inArray, isNull, notInArray, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import type { Tx } from '../../platform/db/transaction.js';
import { channels, conversations, memberships } from '../../platform/db/schema.js';
import { teamChannels, teamMembers, teams, userPresence, type WorkingHours } from '../../platform/db/schema.teamwork.js';

export type TeamRow = typeof teams.$inferSelect;
export type PresenceRow = typeof userPresence.$inferSelect;

export interface TeamInput {
  name: string;
  description: string | null;
  assignment: TeamRow['assignment'];
  capacity: number | null;
  workingHours: WorkingHours | null;
}

/** A member who could take a conversation now, with what they carry. */
export interface Candidate {
  userId: string;
  capacity: number | null;
  load: number;
  lastAssignedAt: Date | null;
}

/** Conversations a person carries: taken and not yet resolved or snoozed. */
const OPEN_LOAD = sql<number>`(select count(*)::int from conversations c where c.assignee_id = ${teamMembers.userId} and c.account_id = ${teamMembers.accountId} and c.status in ('open', 'queued'))`;

export class TeamsRepository {
  constructor(private readonly db: Db) {}

  list(db: Db, accountId: string): Promise<TeamRow[]> {
    return db
      .select()
      .from(teams)
      .where(eq(teams.accountId, accountId))
      .orderBy(asc(sql`lower(${teams.name})`));
  }

  async get(db: Db, accountId: string, id: string): Promise<TeamRow | undefined> {
    const [row] = await db
      .select()
      .from(teams)
      .where(and(eq(teams.accountId, accountId), eq(teams.id, id)));
    return row;
  }

  members(db: Db, accountId: string, teamIds: string[]) {
    if (teamIds.length === 0) return Promise.resolve([]);
    return db
      .select({ teamId: teamMembers.teamId, userId: teamMembers.userId, capacity: teamMembers.capacity })
      .from(teamMembers)
      .where(and(eq(teamMembers.accountId, accountId), inArray(teamMembers.teamId, teamIds)))
      .orderBy(asc(teamMembers.createdAt));
  }

  channels(db: Db, accountId: string, teamIds: string[]) {
    if (teamIds.length === 0) return Promise.resolve([]);
    return db
      .select({ teamId: teamChannels.teamId, channelId: teamChannels.channelId })
      .from(teamChannels)
      .where(and(eq(teamChannels.accountId, accountId), inArray(teamChannels.teamId, teamIds)));
  }

  /** Null when the name is taken in the account. */
  async insert(db: Db, accountId: string, input: TeamInput): Promise<TeamRow | null> {
    const [row] = await db
      .insert(teams)
      .values({ accountId, ...input })
      .onConflictDoNothing()
      .returning();
    return row ?? null;
  }

  async nameTaken(db: Db, accountId: string, name: string, exceptId: string): Promise<boolean> {
    const [row] = await db
      .select({ id: teams.id })
      .from(teams)
      .where(and(eq(teams.accountId, accountId), sql`lower(${teams.name}) = lower(${name})`, sql`${teams.id} <> ${exceptId}`));
    return !!row;
  }

  async update(db: Db, accountId: string, id: string, input: TeamInput): Promise<TeamRow | undefined> {
    const [row] = await db
      .update(teams)
      .set({ ...input, updatedAt: sql`now()` })
      .where(and(eq(teams.accountId, accountId), eq(teams.id, id)))
      .returning();
    return row;
  }

  /** Replaces the members, keeping each one's round-robin turn. */
  async setMembers(db: Db, accountId: string, teamId: string, members: { userId: string; capacity: number | null }[]): Promise<void> {
    const keep = members.map((m) => m.userId);
    await db.delete(teamMembers).where(and(eq(teamMembers.teamId, teamId), keep.length ? notInArray(teamMembers.userId, keep) : undefined));
    if (members.length === 0) return;
    await db
      .insert(teamMembers)
      .values(members.map((m) => ({ accountId, teamId, userId: m.userId, capacity: m.capacity })))
      .onConflictDoUpdate({ target: [teamMembers.teamId, teamMembers.userId], set: { capacity: sql`excluded.capacity` } });
  }

  async setChannels(db: Db, accountId: string, teamId: string, channelIds: string[]): Promise<void> {
    await db.delete(teamChannels).where(eq(teamChannels.teamId, teamId));
    if (channelIds.length) await db.insert(teamChannels).values(channelIds.map((channelId) => ({ accountId, teamId, channelId })));
  }

  /** Channels of these ids in the account, and the team each one already serves (if another). */
  async channelOwners(db: Db, accountId: string, channelIds: string[]) {
    if (channelIds.length === 0) return [];
    return db
      .select({ channelId: channels.id, teamId: teamChannels.teamId })
      .from(channels)
      .leftJoin(teamChannels, eq(teamChannels.channelId, channels.id))
      .where(and(eq(channels.accountId, accountId), inArray(channels.id, channelIds), isNull(channels.deletedAt)));
  }

  async activeMembers(db: Db, accountId: string, userIds: string[]): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    const rows = await db
      .select({ userId: memberships.userId })
      .from(memberships)
      .where(and(eq(memberships.accountId, accountId), inArray(memberships.userId, userIds), isNull(memberships.deactivatedAt)));
    return new Set(rows.map((r) => r.userId));
  }

  /** Deletes a team; its conversations leave its queue. Returns their ids (null: no such team). */
  async remove(db: Db, accountId: string, id: string): Promise<string[] | null> {
    const moved = await db
      .update(conversations)
      .set({ teamId: null, updatedAt: sql`now()` })
      .where(and(eq(conversations.accountId, accountId), eq(conversations.teamId, id)))
      .returning({ id: conversations.id });
    const [row] = await db
      .delete(teams)
      .where(and(eq(teams.accountId, accountId), eq(teams.id, id)))
      .returning({ id: teams.id });
    return row ? moved.map((m) => m.id) : null;
  }

  async setConversationTeam(db: Db, accountId: string, conversationId: string, teamId: string | null): Promise<string | null | undefined> {
    const [before] = await db
      .select({ teamId: conversations.teamId })
      .from(conversations)
      .where(and(eq(conversations.accountId, accountId), eq(conversations.id, conversationId)))
      .for('update');
    if (!before) return undefined;
    await db
      .update(conversations)
      .set({ teamId, updatedAt: sql`now()` })
      .where(and(eq(conversations.accountId, accountId), eq(conversations.id, conversationId)));
    return before.teamId;
  }

  // ---- auto-assignment ----

  /** Waiting conversations without a team on a channel a team serves join that team's queue. */
  async routeToTeams(tx: Tx, accountId: string): Promise<{ id: string; teamId: string }[]> {
    const { rows } = await tx.client.query<{ id: string; team_id: string }>(
      `update conversations c set team_id = tc.team_id, updated_at = now()
       from team_channels tc
       where tc.channel_id = c.channel_id and c.account_id = $1 and c.team_id is null and c.assignee_id is null and c.status = 'queued'
       returning c.id, c.team_id`,
      [accountId],
    );
    return rows.map((r) => ({ id: r.id, teamId: r.team_id }));
  }

  /** Teams of the account that hand out conversations by themselves. */
  automaticTeams(db: Db, accountId: string): Promise<TeamRow[]> {
    return db
      .select()
      .from(teams)
      .where(and(eq(teams.accountId, accountId), sql`${teams.assignment} <> 'manual'`));
  }

  /** Accounts with an automatic team or a channel served by a team (what the minute sweep visits). */
  async accountsWithTeams(): Promise<string[]> {
    const rows = await this.db.selectDistinct({ accountId: teams.accountId }).from(teams);
    return rows.map((r) => r.accountId);
  }

  async hasTeams(db: Db, accountId: string): Promise<boolean> {
    const [row] = await db.select({ id: teams.id }).from(teams).where(eq(teams.accountId, accountId)).limit(1);
    return !!row;
  }

  /** The oldest waiting conversation of a team nobody else is assigning right now (locked; skipped when locked). */
  async nextWaiting(tx: Tx, accountId: string, teamId: string): Promise<{ id: string } | undefined> {
    const { rows } = await tx.client.query<{ id: string }>(
      `select id from conversations
       where account_id = $1 and team_id = $2 and status = 'queued' and assignee_id is null
       order by created_at limit 1 for update skip locked`,
      [accountId, teamId],
    );
    return rows[0];
  }

  /** Members of the team who are online (by hand or by activity), with their open load. */
  async candidates(tx: Tx, accountId: string, teamId: string, window: { aliveSince: Date; activeSince: Date }): Promise<Candidate[]> {
    return tx.db
      .select({ userId: teamMembers.userId, capacity: teamMembers.capacity, load: OPEN_LOAD, lastAssignedAt: teamMembers.lastAssignedAt })
      .from(teamMembers)
      .innerJoin(memberships, and(eq(memberships.accountId, teamMembers.accountId), eq(memberships.userId, teamMembers.userId)))
      .innerJoin(userPresence, and(eq(userPresence.accountId, teamMembers.accountId), eq(userPresence.userId, teamMembers.userId)))
      .where(
        and(
          eq(teamMembers.accountId, accountId),
          eq(teamMembers.teamId, teamId),
          isNull(memberships.deactivatedAt),
          sql`coalesce(${userPresence.manual}, 'online') = 'online'`,
          sql`greatest(${userPresence.lastStreamAt}, ${userPresence.lastActiveAt}) >= ${window.aliveSince.toISOString()}`,
          sql`${userPresence.lastActiveAt} >= ${window.activeSince.toISOString()}`,
        ),
      );
  }

  /**
   * Serialises auto-assignment within an account (across processes) until the transaction ends: loads
   * counted after this see every earlier assignment, so two workers never both fill a person's last place.
   */
  async lockAccountAssignment(tx: Tx, accountId: string): Promise<void> {
    await tx.client.query(`select pg_advisory_xact_lock(7220013, hashtext($1))`, [accountId]);
  }

  async assign(tx: Tx, accountId: string, conversationId: string, teamId: string, userId: string): Promise<void> {
    await tx.client.query(
      `update conversations set assignee_id = $3, status = 'open', updated_at = now() where account_id = $1 and id = $2`,
      [accountId, conversationId, userId],
    );
    await tx.client.query(`update team_members set last_assigned_at = clock_timestamp() where team_id = $1 and user_id = $2`, [
      teamId,
      userId,
    ]);
  }

  // ---- presence ----

  presence(db: Db, accountId: string): Promise<PresenceRow[]> {
    return db.select().from(userPresence).where(eq(userPresence.accountId, accountId));
  }

  async presenceOf(db: Db, accountId: string, userId: string): Promise<PresenceRow | undefined> {
    const [row] = await db
      .select()
      .from(userPresence)
      .where(and(eq(userPresence.accountId, accountId), eq(userPresence.userId, userId)));
    return row;
  }

  /** Records a sign of life (`stream`: an open event stream; `request`: an API call) or a status chosen by hand. */
  async touchPresence(
    db: Db,
    accountId: string,
    userId: string,
    patch: { stream?: boolean; request?: boolean; manual?: PresenceRow['manual'] | 'keep' },
  ): Promise<PresenceRow> {
    const now = sql`now()`;
    const set = {
      ...(patch.stream ? { lastStreamAt: now } : {}),
      ...(patch.request ? { lastActiveAt: now } : {}),
      ...(patch.manual !== undefined && patch.manual !== 'keep' ? { manual: patch.manual } : {}),
      updatedAt: now,
    };
    const [row] = await db
      .insert(userPresence)
      .values({
        accountId,
        userId,
        ...(patch.stream ? { lastStreamAt: new Date() } : {}),
        ...(patch.request ? { lastActiveAt: new Date() } : {}),
        ...(patch.manual !== undefined && patch.manual !== 'keep' ? { manual: patch.manual } : {}),
      })
      .onConflictDoUpdate({ target: [userPresence.accountId, userPresence.userId], set })
      .returning();
    return row!;
  }
}
