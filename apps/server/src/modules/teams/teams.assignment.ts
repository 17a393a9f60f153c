import type { AppContext } from '../../context.js';
import { transaction, type Tx } from '../../platform/db/transaction.js';
import type { ConversationsService } from '../conversations/conversations.service.js';
import { withinWorkingHours } from './teams.hours.js';
import { presenceWindow } from './teams.presence.js';
import { TeamsRepository, type Candidate, type TeamRow } from './teams.repository.js';

/** At most this many conversations handed out per team and run (the next run continues). */
const MAX_PER_RUN = 200;

/** Accounts known to have teams, cached briefly: the ingest hot path asks for every waiting conversation. */
const TEAMS_CACHE_MS = 15_000;

/**
 * Hands waiting conversations to people: a conversation on a channel a team serves joins its queue; an
 * automatic team (round-robin or least-busy) gives it to a member who is online, inside the team's hours
 * and under their capacity. Runs in the `teams.assign` job, asked for whenever a conversation enters the
 * queue or someone frees capacity or comes online, and every minute as a sweep.
 */
export class AutoAssignment {
  private readonly repo: TeamsRepository;
  private readonly known = new Map<string, { has: boolean; at: number }>();

  constructor(
    private readonly ctx: AppContext,
    private readonly conversations: ConversationsService,
  ) {
    this.repo = new TeamsRepository(ctx.db);
  }

  /** Asks for a run for the account after this transaction commits (nothing when the account has no team). */
  async request(tx: Tx, accountId: string): Promise<void> {
    const cached = this.known.get(accountId);
    let has = cached && Date.now() - cached.at < TEAMS_CACHE_MS ? cached.has : undefined;
    if (has === undefined) {
      has = await this.repo.hasTeams(tx.db, accountId);
      this.known.set(accountId, { has, at: Date.now() });
    }
    if (has) await this.ctx.queue.send(tx, 'teams.assign', { accountId }, { singletonKey: `teams.assign:${accountId}` });
  }

  /** Teams changed: the next request looks again. */
  forget(accountId: string): void {
    this.known.delete(accountId);
  }

  /** One run for an account; returns how many conversations were handed out. */
  async run(accountId: string, now = new Date()): Promise<number> {
    await transaction(this.ctx.pool, async (tx) => {
      for (const routed of await this.repo.routeToTeams(tx, accountId)) {
        await this.ctx.bus.publish(tx, accountId, 'conversation.team_changed', { conversationId: routed.id, teamId: routed.teamId });
        await this.conversations.publishConversation(tx, accountId, routed.id);
      }
    });
    let assigned = 0;
    for (const team of await this.repo.automaticTeams(this.ctx.db, accountId)) {
      if (!withinWorkingHours(team.workingHours, now)) continue;
      for (let i = 0; i < MAX_PER_RUN && (await this.assignOne(team, now)); i++) assigned++;
    }
    return assigned;
  }

  /** Gives the team's oldest waiting conversation to the next person with room; false when nothing (or nobody) is left. */
  private assignOne(team: TeamRow, now: Date): Promise<boolean> {
    return transaction(this.ctx.pool, async (tx) => {
      await this.repo.lockAccountAssignment(tx, team.accountId);
      const conv = await this.repo.nextWaiting(tx, team.accountId, team.id);
      if (!conv) return false;
      const candidates = await this.repo.candidates(tx, team.accountId, team.id, presenceWindow(now));
      const person = pickAssignee(team, candidates);
      if (!person) return false;
      await this.repo.assign(tx, team.accountId, conv.id, team.id, person.userId);
      await this.conversations.autoAssigned(tx, team.accountId, conv.id, person.userId);
      return true;
    });
  }
}

/** The next person by the team's rule among those under their capacity (a member's own limit overrides the team's). */
export function pickAssignee(team: Pick<TeamRow, 'assignment' | 'capacity'>, candidates: Candidate[]): Candidate | undefined {
  const withRoom = candidates.filter((c) => {
    const cap = c.capacity ?? team.capacity;
    return cap === null || c.load < cap;
  });
  const turn = (c: Candidate) => c.lastAssignedAt?.getTime() ?? 0;
  const byTurn = (a: Candidate, b: Candidate) => turn(a) - turn(b) || a.userId.localeCompare(b.userId);
  if (team.assignment === 'least_busy') return withRoom.sort((a, b) => a.load - b.load || byTurn(a, b))[0];
  return withRoom.sort(byTurn)[0];
}
