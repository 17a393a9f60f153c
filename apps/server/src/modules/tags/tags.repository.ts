import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import { contacts, conversations } from '../../platform/db/schema.js';
import { contactTags, conversationTags, tags } from '../../platform/db/schema.teamwork.js';

export type TagRow = typeof tags.$inferSelect;

/** Tags of an account and the links between tags, conversations and contacts. */
export class TagsRepository {
  constructor(private readonly db: Db) {}

  list(accountId: string): Promise<TagRow[]> {
    return this.db
      .select()
      .from(tags)
      .where(eq(tags.accountId, accountId))
      .orderBy(asc(sql`lower(${tags.name})`));
  }

  async get(db: Db, accountId: string, id: string): Promise<TagRow | undefined> {
    const [row] = await db
      .select()
      .from(tags)
      .where(and(eq(tags.accountId, accountId), eq(tags.id, id)));
    return row;
  }

  /** Null when another tag of the account has this name already (whatever the case). */
  async insert(db: Db, accountId: string, input: { name: string; color: string }): Promise<TagRow | null> {
    const [row] = await db
      .insert(tags)
      .values({ accountId, ...input })
      .onConflictDoNothing()
      .returning();
    return row ?? null;
  }

  async nameTaken(db: Db, accountId: string, name: string, exceptId: string): Promise<boolean> {
    const [row] = await db
      .select({ id: tags.id })
      .from(tags)
      .where(and(eq(tags.accountId, accountId), sql`lower(${tags.name}) = lower(${name})`, sql`${tags.id} <> ${exceptId}`));
    return !!row;
  }

  async update(db: Db, accountId: string, id: string, patch: { name?: string; color?: string }): Promise<TagRow | undefined> {
    const [row] = await db
      .update(tags)
      .set(patch)
      .where(and(eq(tags.accountId, accountId), eq(tags.id, id)))
      .returning();
    return row;
  }

  async remove(db: Db, accountId: string, id: string): Promise<string[] | null> {
    const used = await db
      .select({ id: conversationTags.conversationId })
      .from(conversationTags)
      .where(and(eq(conversationTags.accountId, accountId), eq(conversationTags.tagId, id)));
    const [row] = await db
      .delete(tags)
      .where(and(eq(tags.accountId, accountId), eq(tags.id, id)))
      .returning({ id: tags.id });
    return row ? used.map((u) => u.id) : null;
  }

  /** Which of these ids are tags of the account. */
  async existing(db: Db, accountId: string, ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await db
      .select({ id: tags.id })
      .from(tags)
      .where(and(eq(tags.accountId, accountId), inArray(tags.id, ids)));
    return new Set(rows.map((r) => r.id));
  }

  async conversationExists(db: Db, accountId: string, conversationId: string): Promise<boolean> {
    const [row] = await db
      .select({ id: conversations.id })
      .from(conversations)
      .where(and(eq(conversations.accountId, accountId), eq(conversations.id, conversationId)));
    return !!row;
  }

  async contactExists(db: Db, accountId: string, contactId: string): Promise<boolean> {
    const [row] = await db
      .select({ id: contacts.id })
      .from(contacts)
      .where(and(eq(contacts.accountId, accountId), eq(contacts.id, contactId)));
    return !!row;
  }

  async addToConversation(db: Db, accountId: string, conversationId: string, tagIds: string[]): Promise<void> {
    if (tagIds.length === 0) return;
    await db
      .insert(conversationTags)
      .values(tagIds.map((tagId) => ({ accountId, conversationId, tagId })))
      .onConflictDoNothing();
  }

  async removeFromConversation(db: Db, accountId: string, conversationId: string, tagIds: string[] | 'all'): Promise<void> {
    if (tagIds !== 'all' && tagIds.length === 0) return;
    await db
      .delete(conversationTags)
      .where(
        and(
          eq(conversationTags.accountId, accountId),
          eq(conversationTags.conversationId, conversationId),
          tagIds === 'all' ? undefined : inArray(conversationTags.tagId, tagIds),
        ),
      );
  }

  async setContactTags(db: Db, accountId: string, contactId: string, tagIds: string[]): Promise<void> {
    await db.delete(contactTags).where(and(eq(contactTags.accountId, accountId), eq(contactTags.contactId, contactId)));
    if (tagIds.length) await db.insert(contactTags).values(tagIds.map((tagId) => ({ accountId, contactId, tagId })));
  }

  listForContact(db: Db, accountId: string, contactId: string): Promise<TagRow[]> {
    return db
      .select({ id: tags.id, accountId: tags.accountId, name: tags.name, color: tags.color, createdAt: tags.createdAt })
      .from(contactTags)
      .innerJoin(tags, eq(tags.id, contactTags.tagId))
      .where(and(eq(contactTags.accountId, accountId), eq(contactTags.contactId, contactId)))
      .orderBy(asc(contactTags.createdAt));
  }
}
