import type { AppContext } from '../../context.js';
import type { Tx } from '../../platform/db/transaction.js';
import type { OutboxEvent } from '../../platform/events/events.outbox.js';
import { notify, type Audience } from './notifications.create.js';
import { NotificationsRepository, type ConversationFacts } from './notifications.repository.js';

/** Events that may notify someone. */
export const WATCHED = [
  'message.created',
  'conversation.assigned',
  'note.mentioned',
  'conversation.handed_over',
  'csat.rated',
  'chat.message',
] as const;

/** A customer rating at or below this (of 5) is "low". */
export const LOW_CSAT = 2;

const linkTo = (conversationId: string) => `/inbox/${conversationId}`;
const text = (v: unknown) => (typeof v === 'string' ? v : '');

/** Who hears of a conversation nobody has yet: its team, or (no team) everyone who can take conversations. */
async function queueOf(tx: Tx, audience: Audience, conv: ConversationFacts): Promise<string[]> {
  const readers = conv.teamId
    ? await new NotificationsRepository(tx.db).teamMemberIds(tx.db, audience.accountId, conv.teamId)
    : audience.with('conversation.assign');
  return readers.filter((id) => audience.can(id, 'conversation.read'));
}

/** Turns one outbox event into the notifications it causes (idempotent: sources are once-only). */
export async function handleEvent(ctx: AppContext, tx: Tx, audience: Audience, e: OutboxEvent): Promise<void> {
  const repo = new NotificationsRepository(tx.db);
  const p = e.payload;
  // A blocked contact's conversations notify nobody (their messages are still kept).
  const conversationOf = async (id: unknown) => {
    const conv = typeof id === 'string' ? await repo.conversation(tx.db, e.accountId, id) : undefined;
    return conv?.blocked ? undefined : conv;
  };
  const facts = (c: ConversationFacts) => ({ contact: c.contactName, channel: c.channelName });

  switch (e.type) {
    case 'message.created': {
      const m = p.message as { id: string; direction: string; private: boolean; text: string | null } | undefined;
      const status = (p.conversation as { status?: string } | undefined)?.status;
      // The bot's own conversations reach people when it hands them over.
      if (!m || m.direction !== 'in' || m.private || status === 'bot') return;
      const conv = await conversationOf(p.conversationId);
      if (!conv || conv.status === 'bot') return;
      const body = m.text ?? '';
      if (!(await repo.hasEarlierInbound(tx.db, e.accountId, conv.id, m.id))) {
        const to = conv.assigneeId ? [conv.assigneeId] : await queueOf(tx, audience, conv);
        await notify(ctx, tx, audience, {
          accountId: e.accountId,
          userIds: to,
          kind: 'new_conversation',
          sourceKey: `conversation:${conv.id}:new`,
          facts: facts(conv),
          body,
          link: linkTo(conv.id),
          conversationId: conv.id,
        });
      } else if (conv.assigneeId) {
        await notify(ctx, tx, audience, {
          accountId: e.accountId,
          userIds: [conv.assigneeId],
          kind: 'customer_replied',
          sourceKey: `message:${m.id}`,
          facts: facts(conv),
          body,
          link: linkTo(conv.id),
          conversationId: conv.id,
        });
      }
      return;
    }
    case 'conversation.assigned': {
      const assigneeId = p.assigneeId as string | null;
      if (!assigneeId || assigneeId === p.byUserId) return;
      const conv = await conversationOf(p.conversationId);
      if (!conv) return;
      await notify(ctx, tx, audience, {
        accountId: e.accountId,
        userIds: [assigneeId],
        kind: 'assigned',
        sourceKey: `assigned:${e.id}`,
        facts: { ...facts(conv), author: nameOf(audience, p.byUserId) },
        body: conv.preview ?? '',
        link: linkTo(conv.id),
        conversationId: conv.id,
      });
      return;
    }
    case 'note.mentioned': {
      const conv = await conversationOf(p.conversationId);
      const ids = Array.isArray(p.mentionedUserIds) ? (p.mentionedUserIds as string[]) : [];
      if (!conv || ids.length === 0) return;
      const note = typeof p.messageId === 'string' ? await repo.messageText(tx.db, e.accountId, p.messageId) : null;
      await notify(ctx, tx, audience, {
        accountId: e.accountId,
        userIds: ids.filter((id) => id !== p.authorId && audience.can(id, 'conversation.read')),
        kind: 'mention',
        sourceKey: `note:${text(p.messageId) || e.id}`,
        facts: { ...facts(conv), author: nameOf(audience, p.authorId) },
        body: note ?? '',
        link: linkTo(conv.id),
        conversationId: conv.id,
      });
      return;
    }
    case 'conversation.handed_over': {
      const conv = await conversationOf(p.conversationId);
      if (!conv) return;
      await notify(ctx, tx, audience, {
        accountId: e.accountId,
        userIds: conv.assigneeId ? [conv.assigneeId] : await queueOf(tx, audience, conv),
        kind: 'handed_over',
        sourceKey: `handover:${e.id}`,
        facts: facts(conv),
        body: conv.preview ?? '',
        link: linkTo(conv.id),
        conversationId: conv.id,
        data: { reason: p.reason ?? null },
      });
      return;
    }
    case 'csat.rated': {
      // Ready for customer ratings (the service-desk work publishes `csat.rated`).
      const score = Number(p.score);
      const conv = await conversationOf(p.conversationId);
      if (!conv || !Number.isFinite(score) || score > LOW_CSAT) return;
      await notify(ctx, tx, audience, {
        accountId: e.accountId,
        userIds: [...(conv.assigneeId ? [conv.assigneeId] : []), ...audience.managers()],
        kind: 'low_csat',
        sourceKey: `csat:${e.id}`,
        facts: { ...facts(conv), score },
        body: text(p.comment),
        link: linkTo(conv.id),
        conversationId: conv.id,
        data: { score },
      });
      return;
    }
    case 'chat.message': {
      if (p.change !== 'created') return;
      const m = p.message as {
        id: string;
        channelId: string;
        authorId: string | null;
        text: string;
        mentions: string[];
        threadRootId: string | null;
      };
      const channel = p.channel as { kind: string; name: string | null; memberIds?: string[] };
      const author = nameOf(audience, m.authorId);
      const link = `/chat/${m.channelId}${m.threadRootId ? `?thread=${m.threadRootId}` : ''}`;
      const mentioned = m.mentions.filter((id) => id !== m.authorId && audience.can(id, 'chat.use'));
      const base = {
        accountId: e.accountId,
        sourceKey: `chat:${m.id}`,
        body: m.text,
        link,
        data: { channelId: m.channelId, messageId: m.id },
      };
      await notify(ctx, tx, audience, { ...base, userIds: mentioned, kind: 'chat_mention', facts: { author, chatName: channel.name } });
      if (channel.kind === 'direct') {
        const others = (channel.memberIds ?? []).filter((id) => id !== m.authorId && !mentioned.includes(id));
        await notify(ctx, tx, audience, { ...base, userIds: others, kind: 'chat_direct', facts: { author } });
      }
      return;
    }
  }
}

function nameOf(audience: Audience, userId: unknown): string | null {
  return typeof userId === 'string' ? (audience.people.get(userId)?.name ?? null) : null;
}
