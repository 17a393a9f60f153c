import type { BridgeScope, Role } from '@switchboard/shared';
import type { Db } from '../../platform/db/client.js';
import { rolePermissions } from '../access/access.resolve.js';
import type { BridgeState } from './bridge.outbox.repository.js';
import { BridgeRepository } from './bridge.repository.js';
import { languageOf, type Lang } from './bridge.texts.js';

/** One Telegram chat that receives a conversation: a linked user's private chat, or the bridge group. */
export interface Recipient {
  chatId: string;
  /** Null for the bridge group. */
  userId: string | null;
  lang: Lang;
}

/** Managers see everything; everyone else the queue and their own conversations. */
export function defaultScope(role: Role): BridgeScope {
  return role === 'owner' || role === 'admin' ? 'all' : 'queue';
}

/** Whether a user with this scope receives a conversation in its current state. */
export function receives(scope: BridgeScope, userId: string, conv: { assigneeId: string | null }): boolean {
  switch (scope) {
    case 'all':
      return true;
    case 'queue':
      // Once somebody takes it, the others stop receiving it.
      return conv.assigneeId === null || conv.assigneeId === userId;
    case 'mine':
      return conv.assigneeId === userId;
    case 'none':
      return false;
    default: {
      const never: never = scope;
      throw new Error(`unknown scope ${String(never)}`);
    }
  }
}

export function groupChatOf(config: Record<string, unknown>): string | null {
  const id = config.bridgeGroupChatId;
  return typeof id === 'string' && id.trim() ? id.trim() : null;
}

/**
 * Who gets a conversation from this bot right now: the bridge group when the bot has one,
 * otherwise every linked member whose scope covers it.
 */
export async function recipientsOf(
  db: Db,
  bot: { id: string; accountId: string; config: Record<string, unknown>; bridge: BridgeState },
  conv: { assigneeId: string | null },
): Promise<Recipient[]> {
  const group = groupChatOf(bot.config);
  if (group) return [{ chatId: group, userId: null, lang: 'ru' }];
  const links = await new BridgeRepository(db).listLinks(bot.accountId, bot.id, db);
  // Only people whose current role may read conversations and work from Telegram receive them.
  const allowed = new Map<string, boolean>();
  for (const role of new Set(links.map((l) => l.role))) {
    const perms = await rolePermissions(db, bot.accountId, role);
    allowed.set(role, perms.has('conversation.read') && perms.has('bridge.use'));
  }
  return links
    .filter((l) => allowed.get(l.role) && receives(bot.bridge.scopes?.[l.userId] ?? defaultScope(l.role), l.userId, conv))
    .map((l) => ({ chatId: l.telegramChatId, userId: l.userId, lang: languageOf(l.userLocale) }));
}
