import type { App } from '../../platform/http/server.js';
import type { SseHub } from '../../platform/events/events.routes.js';
import type { JobQueue } from '../../platform/queue/queue.js';
import { notFound } from '../../platform/http/errors.js';
import type { DeliveryContext } from '../conversations/conversations.delivery.js';
import type { ConversationsService } from '../conversations/conversations.service.js';
import { applyBulkAction } from '../conversations/conversations.bulk.js';
import { uploadNoteFile } from '../conversations/conversations.note-files.js';
import { CannedService } from '../canned/canned.service.js';
import { cannedRoutes } from '../canned/canned.routes.js';
import { TagsService } from '../tags/tags.service.js';
import { tagRoutes } from '../tags/tags.routes.js';
import { AutoAssignment } from './teams.assignment.js';
import { collaborationRoutes, teamRoutes } from './teams.routes.js';
import { TeamsService } from './teams.service.js';

/**
 * How a team shares the inbox: tags, canned responses, teams with auto-assignment, presence, bulk
 * actions and the typing warning. Registers the routes, the presence signals and the schedules.
 */
export async function startTeamwork(
  http: App,
  ctx: DeliveryContext,
  conversations: ConversationsService,
  hub: SseHub,
  opts: { scheduler: boolean; queue: JobQueue },
): Promise<{ tags: TagsService; teams: TeamsService }> {
  const assignment = new AutoAssignment(ctx, conversations);
  if (ctx.hooks) ctx.hooks.humanQueue = (tx, accountId) => assignment.request(tx, accountId);
  const tags = new TagsService(ctx, (tx, accountId, id) => conversations.publishConversation(tx, accountId, id));
  const teams = new TeamsService(ctx, conversations, assignment);

  tagRoutes(http, tags);
  teamRoutes(http, teams);
  cannedRoutes(http, new CannedService(ctx));
  collaborationRoutes(http, {
    async typing({ actor, conversationId, kind }) {
      const conv = await conversations.repo.get(ctx.db, actor.accountId, conversationId);
      if (!conv) throw notFound('Conversation');
      ctx.bus.publishTransient(actor.accountId, 'conversation.typing', { conversationId, userId: actor.userId, kind });
    },
    bulk: (actor, body) => applyBulkAction(ctx, { conversations, tags }, actor, body.conversationIds, body.action),
    upload: (actor, conversationId, upload) => uploadNoteFile(ctx, actor, conversationId, upload),
  });

  // Presence from activity: open event streams and API requests of signed-in people.
  hub.onAlive = (actor) => void teams.touch(actor, 'stream').catch((err: unknown) => ctx.log.warn({ err }, 'presence not recorded'));
  http.addHook('onResponse', async (req) => {
    if (req.actor && req.url.startsWith('/api/') && !req.url.startsWith('/api/events')) {
      await teams.touch(req.actor, 'request').catch((err: unknown) => ctx.log.warn({ err }, 'presence not recorded'));
    }
  });

  if (opts.scheduler) {
    await opts.queue.boss.schedule('conversations.wake_due', '* * * * *', {});
    await opts.queue.boss.schedule('teams.assign_all', '* * * * *', {});
  }
  return { tags, teams };
}
