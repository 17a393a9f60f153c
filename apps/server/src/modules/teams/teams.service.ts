import type { Conversation, Presence, SaveTeamRequest, Team } from '@switchboard/shared';
import { saveTeamRequest } from '@switchboard/shared';
import type { AppContext } from '../../context.js';
import { transaction } from '../../platform/db/transaction.js';
import { AppError, notFound } from '../../platform/http/errors.js';
import { recordAudit } from '../identity/identity.audit.js';
import { requirePermission, type Actor } from '../identity/permissions.js';
import type { ConversationsService } from '../conversations/conversations.service.js';
import type { AutoAssignment } from './teams.assignment.js';
import { toPresence } from './teams.presence.js';
import { TeamsRepository, type TeamRow } from './teams.repository.js';

/** Requests touch presence at most this often per person and process. */
const REQUEST_TOUCH_MS = 30_000;

/** Teams (members, channels, assignment rule, hours), a conversation's team, and people's presence. */
export class TeamsService {
  private readonly repo: TeamsRepository;
  private readonly touched = new Map<string, number>();

  constructor(
    private readonly ctx: AppContext,
    private readonly conversations: ConversationsService,
    readonly assignment: AutoAssignment,
  ) {
    this.repo = new TeamsRepository(ctx.db);
  }

  async list(actor: Actor): Promise<Team[]> {
    requirePermission(actor, 'team.read');
    const rows = await this.repo.list(this.ctx.db, actor.accountId);
    return this.withDetails(actor.accountId, rows);
  }

  async get(actor: Actor, id: string): Promise<Team> {
    requirePermission(actor, 'team.read');
    const row = await this.repo.get(this.ctx.db, actor.accountId, id);
    if (!row) throw notFound('Team');
    return (await this.withDetails(actor.accountId, [row]))[0]!;
  }

  async create(actor: Actor, body: SaveTeamRequest): Promise<Team> {
    requirePermission(actor, 'team.manage');
    const input = saveTeamRequest.parse(body);
    const id = await transaction(this.ctx.pool, async (tx) => {
      await this.validate(tx.db, actor.accountId, input, null);
      const row = await this.repo.insert(tx.db, actor.accountId, teamColumns(input));
      if (!row) throw nameTaken(input.name);
      await this.repo.setMembers(tx.db, actor.accountId, row.id, input.members);
      await this.repo.setChannels(tx.db, actor.accountId, row.id, input.channelIds);
      await recordAudit(tx.db, actor, 'team.created', { targetType: 'team', targetId: row.id, details: { name: row.name } });
      await this.assignment.request(tx, actor.accountId);
      return row.id;
    });
    this.assignment.forget(actor.accountId);
    return this.get(actor, id);
  }

  async update(actor: Actor, id: string, body: SaveTeamRequest): Promise<Team> {
    requirePermission(actor, 'team.manage');
    const input = saveTeamRequest.parse(body);
    await transaction(this.ctx.pool, async (tx) => {
      if (!(await this.repo.get(tx.db, actor.accountId, id))) throw notFound('Team');
      await this.validate(tx.db, actor.accountId, input, id);
      await this.repo.update(tx.db, actor.accountId, id, teamColumns(input));
      await this.repo.setMembers(tx.db, actor.accountId, id, input.members);
      await this.repo.setChannels(tx.db, actor.accountId, id, input.channelIds);
      await recordAudit(tx.db, actor, 'team.updated', {
        targetType: 'team',
        targetId: id,
        details: { name: input.name, assignment: input.assignment, members: input.members.length, channels: input.channelIds.length },
      });
      await this.assignment.request(tx, actor.accountId);
    });
    return this.get(actor, id);
  }

  async remove(actor: Actor, id: string): Promise<void> {
    requirePermission(actor, 'team.manage');
    await transaction(this.ctx.pool, async (tx) => {
      const team = await this.repo.get(tx.db, actor.accountId, id);
      const moved = await this.repo.remove(tx.db, actor.accountId, id);
      if (!team || !moved) throw notFound('Team');
      await recordAudit(tx.db, actor, 'team.deleted', { targetType: 'team', targetId: id, details: { name: team.name } });
      for (const conversationId of moved) {
        await this.ctx.bus.publish(tx, actor.accountId, 'conversation.team_changed', { conversationId, teamId: null });
        await this.conversations.publishConversation(tx, actor.accountId, conversationId);
      }
    });
    this.assignment.forget(actor.accountId);
  }

  /** Moves a conversation to a team's queue (or out of any); the team's auto-assignment may then act. */
  async setConversationTeam(actor: Actor, conversationId: string, teamId: string | null): Promise<Conversation> {
    requirePermission(actor, 'conversation.assign');
    return transaction(this.ctx.pool, async (tx) => {
      if (teamId && !(await this.repo.get(tx.db, actor.accountId, teamId))) {
        throw new AppError('unknown_team', 'No such team in this account', { field: 'teamId' });
      }
      const before = await this.repo.setConversationTeam(tx.db, actor.accountId, conversationId, teamId);
      if (before === undefined) throw notFound('Conversation');
      if (before !== teamId) {
        await this.ctx.bus.publish(tx, actor.accountId, 'conversation.team_changed', { conversationId, teamId });
        await this.assignment.request(tx, actor.accountId);
      }
      return this.conversations.publishConversation(tx, actor.accountId, conversationId);
    });
  }

  // ---- presence ----

  async presence(actor: Actor): Promise<Presence[]> {
    const now = new Date();
    const rows = await this.repo.presence(this.ctx.db, actor.accountId);
    return rows.map((r) => toPresence(r.userId, r, now));
  }

  async myPresence(actor: Actor): Promise<Presence> {
    return toPresence(actor.userId, await this.repo.presenceOf(this.ctx.db, actor.accountId, actor.userId), new Date());
  }

  /** A status chosen by hand (`auto`: from activity again). Coming online may hand out waiting conversations. */
  async setPresence(actor: Actor, status: 'online' | 'away' | 'offline' | 'auto'): Promise<Presence> {
    const presence = await transaction(this.ctx.pool, async (tx) => {
      const row = await this.repo.touchPresence(tx.db, actor.accountId, actor.userId, {
        request: true,
        manual: status === 'auto' ? null : status,
      });
      const p = toPresence(actor.userId, row, new Date());
      if (p.status === 'online') await this.assignment.request(tx, actor.accountId);
      return p;
    });
    this.ctx.bus.publishTransient(actor.accountId, 'presence.updated', presence);
    return presence;
  }

  /** A sign of life: an open event stream (every minute) or an API request (throttled). Someone coming back may get work. */
  async touch(actor: Actor, kind: 'stream' | 'request'): Promise<void> {
    if (actor.via !== 'session') return;
    const key = `${actor.accountId}:${actor.userId}:${kind}`;
    const last = this.touched.get(key) ?? 0;
    if (kind === 'request' && Date.now() - last < REQUEST_TOUCH_MS) return;
    this.touched.set(key, Date.now());
    const returning = Date.now() - last > 2 * 60_000;
    await transaction(this.ctx.pool, async (tx) => {
      const row = await this.repo.touchPresence(tx.db, actor.accountId, actor.userId, { [kind]: true });
      if (returning && toPresence(actor.userId, row, new Date()).status === 'online') await this.assignment.request(tx, actor.accountId);
    });
  }

  private async validate(db: AppContext['db'], accountId: string, input: ReturnType<typeof saveTeamRequest.parse>, teamId: string | null) {
    if (teamId && (await this.repo.nameTaken(db, accountId, input.name, teamId))) throw nameTaken(input.name);
    const userIds = input.members.map((m) => m.userId);
    const members = await this.repo.activeMembers(db, accountId, userIds);
    const strangers = userIds.filter((u) => !members.has(u));
    if (strangers.length) throw new AppError('validation_failed', 'Not a member of this account', { field: 'members', userIds: strangers });
    const owners = await this.repo.channelOwners(db, accountId, input.channelIds);
    const unknown = input.channelIds.filter((c) => !owners.some((o) => o.channelId === c));
    if (unknown.length)
      throw new AppError('validation_failed', 'No such channel in this account', { field: 'channelIds', channelIds: unknown });
    const taken = owners.filter((o) => o.teamId && o.teamId !== teamId);
    if (taken.length) {
      throw new AppError('conflict', 'A channel is served by another team already', {
        field: 'channelIds',
        channelIds: taken.map((t) => t.channelId),
      });
    }
    if (input.workingHours) {
      try {
        new Intl.DateTimeFormat('en', { timeZone: input.workingHours.timeZone });
      } catch {
        throw new AppError('validation_failed', 'Unknown time zone', { field: 'workingHours.timeZone' });
      }
    }
  }

  private async withDetails(accountId: string, rows: TeamRow[]): Promise<Team[]> {
    const ids = rows.map((r) => r.id);
    const [members, channels] = await Promise.all([
      this.repo.members(this.ctx.db, accountId, ids),
      this.repo.channels(this.ctx.db, accountId, ids),
    ]);
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      description: r.description,
      assignment: r.assignment,
      capacity: r.capacity,
      workingHours: r.workingHours,
      members: members.filter((m) => m.teamId === r.id).map((m) => ({ userId: m.userId, capacity: m.capacity })),
      channelIds: channels.filter((c) => c.teamId === r.id).map((c) => c.channelId),
      createdAt: r.createdAt.toISOString(),
    }));
  }
}

const teamColumns = (input: ReturnType<typeof saveTeamRequest.parse>) => ({
  name: input.name,
  description: input.description,
  assignment: input.assignment,
  capacity: input.capacity,
  workingHours: input.workingHours,
});

const nameTaken = (name: string) => new AppError('conflict', `A team named "${name}" exists already`, { field: 'name' });
