import { defineJob } from '../../platform/queue/queue.js';
import type { DeliveryContext } from '../conversations/conversations.delivery.js';
import { ConversationsService } from '../conversations/conversations.service.js';
import { ConversationsRepository } from '../conversations/conversations.repository.js';
import { AutoAssignment } from './teams.assignment.js';
import { TeamsRepository } from './teams.repository.js';

/** Wakes one snoozed conversation at its time (a conversation woken or snoozed again meanwhile is skipped). */
export const conversationWakeJob = defineJob<'conversation.wake', DeliveryContext>({
  name: 'conversation.wake',
  concurrency: 2,
  options: { retryLimit: 5, retryDelay: 30, retryBackoff: true, expireInSeconds: 120 },
  async handler(data, _meta, ctx) {
    await new ConversationsService(ctx).wakeIfDue(data.accountId, data.conversationId);
  },
});

/** Every minute: wakes whatever is due (a lost or late wake-up job, a clock change). */
export const conversationsWakeDueJob = defineJob<'conversations.wake_due', DeliveryContext>({
  name: 'conversations.wake_due',
  concurrency: 1,
  options: { retryLimit: 1, retryDelay: 30, retryBackoff: false, expireInSeconds: 120 },
  async handler(_data, _meta, ctx) {
    const service = new ConversationsService(ctx);
    for (const due of await new ConversationsRepository(ctx.db).dueSnoozed(500)) await service.wakeIfDue(due.accountId, due.id);
  },
});

/** Hands out an account's waiting conversations (idempotent: only unassigned ones, capacity re-counted under a lock). */
export const teamsAssignJob = defineJob<'teams.assign', DeliveryContext>({
  name: 'teams.assign',
  concurrency: 2,
  options: { retryLimit: 3, retryDelay: 5, retryBackoff: true, expireInSeconds: 120 },
  async handler(data, _meta, ctx) {
    await new AutoAssignment(ctx, new ConversationsService(ctx)).run(data.accountId);
  },
});

/** Every minute: presence and working hours change without any request, so every account with teams gets a run. */
export const teamsAssignAllJob = defineJob<'teams.assign_all', DeliveryContext>({
  name: 'teams.assign_all',
  concurrency: 1,
  options: { retryLimit: 1, retryDelay: 30, retryBackoff: false, expireInSeconds: 300 },
  async handler(_data, _meta, ctx) {
    const assignment = new AutoAssignment(ctx, new ConversationsService(ctx));
    for (const accountId of await new TeamsRepository(ctx.db).accountsWithTeams()) await assignment.run(accountId);
  },
});

export const teamworkJobs = [conversationWakeJob, conversationsWakeDueJob, teamsAssignJob, teamsAssignAllJob] as const;
