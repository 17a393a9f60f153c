import type { Conversation, Tag } from '@switchboard/shared';
import type { AppContext } from '../../context.js';
import { transaction, type Tx } from '../../platform/db/transaction.js';
import type { Db } from '../../platform/db/client.js';
import { AppError, notFound } from '../../platform/http/errors.js';
import { recordAudit } from '../identity/identity.audit.js';
import { requirePermission, type Actor } from '../identity/permissions.js';
import { TagsRepository, type TagRow } from './tags.repository.js';

/** Publishes a conversation's new state in the transaction (the conversations domain owns its shape). */
export type PublishConversation = (tx: Tx, accountId: string, conversationId: string) => Promise<Conversation>;

export const toTag = (t: TagRow): Tag => ({ id: t.id, name: t.name, color: t.color as Tag['color'], createdAt: t.createdAt.toISOString() });

/** Coloured labels: managed with `tag.manage`, put on conversations (`conversation.assign`) and contacts (`contact.edit`). */
export class TagsService {
  readonly repo: TagsRepository;

  constructor(
    private readonly ctx: AppContext,
    private readonly publishConversation: PublishConversation,
  ) {
    this.repo = new TagsRepository(ctx.db);
  }

  async list(actor: Actor): Promise<Tag[]> {
    return (await this.repo.list(actor.accountId)).map(toTag);
  }

  async create(actor: Actor, input: { name: string; color: string }): Promise<Tag> {
    requirePermission(actor, 'tag.manage');
    return transaction(this.ctx.pool, async (tx) => {
      const row = await this.repo.insert(tx.db, actor.accountId, input);
      if (!row) throw nameTaken(input.name);
      await recordAudit(tx.db, actor, 'tag.created', { targetType: 'tag', targetId: row.id, details: { name: row.name } });
      return toTag(row);
    });
  }

  async update(actor: Actor, id: string, patch: { name?: string | undefined; color?: string | undefined }): Promise<Tag> {
    requirePermission(actor, 'tag.manage');
    return transaction(this.ctx.pool, async (tx) => {
      const before = await this.repo.get(tx.db, actor.accountId, id);
      if (!before) throw notFound('Tag');
      if (patch.name !== undefined && (await this.repo.nameTaken(tx.db, actor.accountId, patch.name, id))) throw nameTaken(patch.name);
      const row = await this.repo.update(tx.db, actor.accountId, id, {
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.color !== undefined ? { color: patch.color } : {}),
      });
      await recordAudit(tx.db, actor, 'tag.updated', { targetType: 'tag', targetId: id, details: { from: before.name, to: row!.name } });
      return toTag(row!);
    });
  }

  async remove(actor: Actor, id: string): Promise<void> {
    requirePermission(actor, 'tag.manage');
    await transaction(this.ctx.pool, async (tx) => {
      const tag = await this.repo.get(tx.db, actor.accountId, id);
      const touched = await this.repo.remove(tx.db, actor.accountId, id);
      if (!tag || !touched) throw notFound('Tag');
      await recordAudit(tx.db, actor, 'tag.deleted', { targetType: 'tag', targetId: id, details: { name: tag.name } });
      // Open inboxes drop the badge at once (a large tag's conversations refresh as they are next touched).
      for (const conversationId of touched.slice(0, 200)) await this.publishConversation(tx, actor.accountId, conversationId);
    });
  }

  /** Replaces the tags of a conversation. */
  async setConversationTags(actor: Actor, conversationId: string, tagIds: string[]) {
    requirePermission(actor, 'conversation.assign');
    return transaction(this.ctx.pool, async (tx) => {
      if (!(await this.repo.conversationExists(tx.db, actor.accountId, conversationId))) throw notFound('Conversation');
      const ids = await this.requireTags(tx.db, actor.accountId, tagIds);
      await this.repo.removeFromConversation(tx.db, actor.accountId, conversationId, 'all');
      await this.repo.addToConversation(tx.db, actor.accountId, conversationId, ids);
      return this.publishConversation(tx, actor.accountId, conversationId);
    });
  }

  /** Adds and removes tags on one conversation inside the caller's transaction (bulk actions). */
  async changeConversationTags(tx: Tx, actor: Actor, conversationId: string, add: string[], remove: string[]): Promise<void> {
    await this.repo.removeFromConversation(tx.db, actor.accountId, conversationId, remove);
    await this.repo.addToConversation(tx.db, actor.accountId, conversationId, add);
  }

  /** Replaces the tags of a contact (used by the contacts domain and `PUT /api/contacts/:id/tags`). */
  async setContactTags(actor: Actor, contactId: string, tagIds: string[]): Promise<Tag[]> {
    requirePermission(actor, 'contact.edit');
    return transaction(this.ctx.pool, async (tx) => {
      if (!(await this.repo.contactExists(tx.db, actor.accountId, contactId))) throw notFound('Contact');
      const ids = await this.requireTags(tx.db, actor.accountId, tagIds);
      await this.repo.setContactTags(tx.db, actor.accountId, contactId, ids);
      return (await this.repo.listForContact(tx.db, actor.accountId, contactId)).map(toTag);
    });
  }

  async listForContact(actor: Actor, contactId: string): Promise<Tag[]> {
    requirePermission(actor, 'contact.read');
    if (!(await this.repo.contactExists(this.ctx.db, actor.accountId, contactId))) throw notFound('Contact');
    return (await this.repo.listForContact(this.ctx.db, actor.accountId, contactId)).map(toTag);
  }

  /** The ids, de-duplicated, all tags of this account — else `unknown_tag` (another account's tag is unknown here). */
  async requireTags(db: Db, accountId: string, tagIds: string[]): Promise<string[]> {
    const ids = [...new Set(tagIds)];
    const found = await this.repo.existing(db, accountId, ids);
    const missing = ids.filter((id) => !found.has(id));
    if (missing.length) throw new AppError('unknown_tag', 'No such tag in this account', { tagIds: missing });
    return ids;
  }
}

const nameTaken = (name: string) => new AppError('conflict', `A tag named "${name}" exists already`, { field: 'name' });
