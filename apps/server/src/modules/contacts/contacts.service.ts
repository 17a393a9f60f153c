import type {
  AttributeDefinition,
  ContactDetail,
  ContactDuplicate,
  ContactPatch,
  ContactSummary,
  ConversationStatus,
} from '@switchboard/shared';
import { type contactListQuery, type attributeDefinitionInput } from '@switchboard/shared';
import type { z } from 'zod';
import type { AppContext } from '../../context.js';
import { transaction } from '../../platform/db/transaction.js';
import { AppError, notFound } from '../../platform/http/errors.js';
import { publicContext } from '../conversations/conversations.dto.js';
import { recordAudit } from '../identity/identity.audit.js';
import { requirePermission, type Actor } from '../identity/permissions.js';
import { applyAttributes } from './contacts.attributes.js';
import { contactSearchText, normaliseEmail, normalisePhone, phoneDigits } from './contacts.normalise.js';
import { ContactsRepository, type ContactRow, type ContactSort } from './contacts.repository.js';

type ListQuery = z.output<typeof contactListQuery>;

/** Contacts across channels: the list, the profile, edits, fields, blocking and merging. */
export class ContactsService {
  readonly repo: ContactsRepository;

  constructor(private readonly ctx: AppContext) {
    this.repo = new ContactsRepository(ctx.db);
  }

  async list(actor: Actor, q: ListQuery): Promise<{ items: ContactSummary[]; nextCursor: string | null }> {
    requirePermission(actor, 'contact.read');
    const after = q.cursor ? decodeContactCursor(q.cursor, q.sort) : undefined;
    const digits = q.q && /\d/.test(q.q) && /^[\d\s()+\-.]+$/.test(q.q) ? phoneDigits(q.q) : undefined;
    const rows = await this.repo.list(actor.accountId, {
      q: q.q || undefined,
      phoneDigits: digits,
      channelId: q.channelId,
      tagId: q.tagId,
      blocked: q.blocked === undefined ? undefined : q.blocked === 'true',
      sort: q.sort,
      limit: q.limit + 1,
      after,
    });
    const page = rows.slice(0, q.limit);
    const last = rows.length > q.limit ? page.at(-1) : undefined;
    return {
      items: await this.summaries(actor.accountId, page),
      nextCursor: last ? encodeContactCursor(q.sort, last.sortKey, last.id) : null,
    };
  }

  /** Handles and tags of a page of contacts, in two queries. */
  async summaries(accountId: string, rows: ContactRow[]): Promise<ContactSummary[]> {
    const ids = rows.map((r) => r.id);
    const [handles, tags] = await Promise.all([
      this.repo.handles(this.ctx.db, accountId, ids),
      this.repo.tags(this.ctx.db, accountId, ids),
    ]);
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      phones: r.phones,
      emails: r.emails,
      handles: handles.filter((h) => h.contactId === r.id).map(({ contactId: _c, ...h }) => h),
      tags: tags.filter((t) => t.contactId === r.id).map(({ contactId: _c, ...t }) => t),
      blocked: r.blockedAt !== null,
      createdAt: r.createdAt.toISOString(),
      lastSeenAt: r.lastSeenAt?.toISOString() ?? null,
    }));
  }

  async get(actor: Actor, id: string): Promise<ContactDetail> {
    requirePermission(actor, 'contact.read');
    const row = await this.repo.get(this.ctx.db, actor.accountId, id);
    if (!row) throw notFound('Contact');
    const [summary] = await this.summaries(actor.accountId, [row]);
    const conversations = await this.repo.conversations(this.ctx.db, actor.accountId, id);
    // Where they came from: the earliest conversation that knows its listing, page or subject.
    const first = [...conversations].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime()).find((c) => publicContext(c.context));
    return {
      ...summary!,
      notes: row.notes,
      attributes: row.attributes as ContactDetail['attributes'],
      blockedAt: row.blockedAt?.toISOString() ?? null,
      source: first ? publicContext(first.context) : null,
      conversations: conversations.map((c) => ({
        id: c.id,
        number: c.number,
        channelId: c.channelId,
        channelType: c.channelType,
        channelName: c.channelName,
        status: c.status as ConversationStatus,
        lastMessageAt: c.lastMessageAt.toISOString(),
        lastMessagePreview: c.lastMessagePreview,
        context: publicContext(c.context),
      })),
    };
  }

  /** The contact a conversation belongs to (the conversation view's side panel). */
  async forConversation(actor: Actor, conversationId: string): Promise<ContactDetail> {
    requirePermission(actor, 'contact.read');
    const { rows } = await this.ctx.pool.query<{ contact_id: string }>(
      'select contact_id from conversations where account_id = $1 and id = $2',
      [actor.accountId, conversationId],
    );
    if (!rows[0]) throw notFound('Conversation');
    return this.get(actor, rows[0].contact_id);
  }

  async update(actor: Actor, id: string, patch: ContactPatch): Promise<ContactDetail> {
    requirePermission(actor, 'contact.edit');
    await transaction(this.ctx.pool, async (tx) => {
      const row = await this.repo.get(tx.db, actor.accountId, id, { forUpdate: true });
      if (!row) throw notFound('Contact');
      const problems: { field: string; message: string }[] = [];
      const phones = patch.phones?.map((p) => {
        const n = normalisePhone(p);
        if (!n) problems.push({ field: 'phones', message: `"${p}" is not a phone number` });
        return n ?? p;
      });
      const emails = patch.emails?.map((e) => {
        const n = normaliseEmail(e);
        if (!n) problems.push({ field: 'emails', message: `"${e}" is not an e-mail address` });
        return n ?? e;
      });
      let attributes: Record<string, unknown> | undefined;
      if (patch.attributes) {
        const defs = await this.repo.definitions(tx.db, actor.accountId);
        const applied = applyAttributes(defs, row.attributes, patch.attributes);
        for (const p of applied.problems) problems.push({ field: `attributes.${p.key}`, message: p.message });
        attributes = applied.values;
      }
      if (problems.length) throw new AppError('validation_failed', problems.map((p) => p.message).join('; '), { problems });
      if (patch.tagIds) {
        const unknown = await this.repo.setTags(tx, actor.accountId, id, [...new Set(patch.tagIds)]);
        if (unknown.length)
          throw new AppError('validation_failed', 'Unknown tags', { problems: [{ field: 'tagIds', message: 'unknown tag' }] });
      }
      const next = {
        name: patch.name === undefined ? row.name : patch.name || null,
        phones: phones ? [...new Set(phones)] : row.phones,
        emails: emails ? [...new Set(emails)] : row.emails,
      };
      await this.repo.update(tx, actor.accountId, id, {
        ...(patch.name !== undefined ? { name: next.name } : {}),
        ...(phones ? { phones: next.phones } : {}),
        ...(emails ? { emails: next.emails } : {}),
        ...(patch.notes !== undefined ? { notes: patch.notes || null } : {}),
        ...(attributes ? { attributes } : {}),
        searchText: contactSearchText(next),
      });
      await this.ctx.bus.publish(tx, actor.accountId, 'contact.updated', { contactId: id });
    });
    return this.get(actor, id);
  }

  /** Blocks or unblocks: a blocked contact's messages are still stored, but nothing answers or alerts on them (audited). */
  async setBlocked(actor: Actor, id: string, blocked: boolean): Promise<ContactDetail> {
    requirePermission(actor, 'contact.manage');
    await transaction(this.ctx.pool, async (tx) => {
      const row = await this.repo.get(tx.db, actor.accountId, id, { forUpdate: true });
      if (!row) throw notFound('Contact');
      if ((row.blockedAt !== null) === blocked) return;
      await this.repo.setBlocked(tx, actor.accountId, id, blocked ? actor.userId : null);
      await recordAudit(tx.db, actor, blocked ? 'contact.blocked' : 'contact.unblocked', {
        targetType: 'contact',
        targetId: id,
        details: { name: row.name },
      });
      await this.ctx.bus.publish(tx, actor.accountId, 'contact.updated', { contactId: id });
    });
    return this.get(actor, id);
  }

  /**
   * Merges `sourceId` into `targetId` in one transaction: handles, conversations and tags move; phones,
   * e-mails and fields are united (the target's values win); notes are joined; the source is deleted (audited).
   */
  async merge(actor: Actor, targetId: string, sourceId: string): Promise<ContactDetail> {
    requirePermission(actor, 'contact.manage');
    if (targetId === sourceId) throw new AppError('bad_request', 'A contact cannot be merged into itself');
    await transaction(this.ctx.pool, async (tx) => {
      // Lock both rows in a fixed order so two opposite merges cannot deadlock.
      const [firstId, secondId] = [targetId, sourceId].sort();
      const locked = [
        await this.repo.get(tx.db, actor.accountId, firstId!, { forUpdate: true }),
        await this.repo.get(tx.db, actor.accountId, secondId!, { forUpdate: true }),
      ];
      const target = locked.find((c) => c?.id === targetId);
      const source = locked.find((c) => c?.id === sourceId);
      if (!target || !source) throw notFound('Contact');
      const merged = {
        name: target.name ?? source.name,
        phones: [...new Set([...target.phones, ...source.phones])],
        emails: [...new Set([...target.emails, ...source.emails])],
      };
      const notes = [target.notes, source.notes].filter(Boolean).join('\n\n') || null;
      const moved = await this.repo.merge(tx, actor.accountId, targetId, sourceId);
      await this.repo.update(tx, actor.accountId, targetId, {
        ...merged,
        notes,
        attributes: { ...source.attributes, ...target.attributes },
        searchText: contactSearchText(merged),
      });
      await this.repo.mergeTimes(tx, actor.accountId, targetId, source);
      if (source.blockedAt && !target.blockedAt) await this.repo.setBlocked(tx, actor.accountId, targetId, actor.userId);
      await recordAudit(tx.db, actor, 'contact.merged', {
        targetType: 'contact',
        targetId,
        details: { sourceId, sourceName: source.name, targetName: target.name, ...moved },
      });
      await this.ctx.bus.publish(tx, actor.accountId, 'contact.merged', { contactId: targetId, mergedId: sourceId });
    });
    return this.get(actor, targetId);
  }

  async duplicates(actor: Actor, contactId: string | undefined, limit = 50): Promise<ContactDuplicate[]> {
    requirePermission(actor, 'contact.read');
    if (contactId && !(await this.repo.get(this.ctx.db, actor.accountId, contactId))) throw notFound('Contact');
    const pairs = await this.repo.duplicates(actor.accountId, contactId, limit);
    const ids = [...new Set(pairs.flatMap((p) => [p.a, p.b]))];
    const rows = await Promise.all(ids.map((id) => this.repo.get(this.ctx.db, actor.accountId, id)));
    const summaries = new Map(
      (
        await this.summaries(
          actor.accountId,
          rows.filter((r) => r !== undefined),
        )
      ).map((s) => [s.id, s]),
    );
    return pairs.flatMap((p) => {
      const a = summaries.get(p.a);
      const b = summaries.get(p.b);
      if (!a || !b) return [];
      const reasons: ContactDuplicate['reasons'] = [];
      if (p.samePhone) reasons.push('phone');
      if (p.sameEmail) reasons.push('email');
      if (p.similarity >= 0.6) reasons.push('name');
      return [{ a, b, reasons, similarity: Math.round(p.similarity * 100) / 100 }];
    });
  }

  // ---- custom fields ----

  async definitions(actor: Actor): Promise<AttributeDefinition[]> {
    requirePermission(actor, 'contact.read');
    return this.repo.definitions(this.ctx.db, actor.accountId);
  }

  async createDefinition(actor: Actor, input: z.output<typeof attributeDefinitionInput>): Promise<AttributeDefinition> {
    requirePermission(actor, 'contact.manage');
    checkOptions(input);
    return transaction(this.ctx.pool, async (tx) => {
      const row = await this.repo.insertDefinition(tx, actor.accountId, input);
      if (!row) throw new AppError('conflict', `A contact field with the key "${input.key}" exists already`);
      await recordAudit(tx.db, actor, 'contact_field.created', {
        targetType: 'contact_field',
        targetId: row.id,
        details: { key: row.key },
      });
      return row;
    });
  }

  async updateDefinition(
    actor: Actor,
    id: string,
    input: Pick<z.output<typeof attributeDefinitionInput>, 'label' | 'options' | 'position'>,
  ): Promise<AttributeDefinition> {
    requirePermission(actor, 'contact.manage');
    return transaction(this.ctx.pool, async (tx) => {
      const row = await this.repo.updateDefinition(tx, actor.accountId, id, input);
      if (!row) throw notFound('Contact field');
      checkOptions(row);
      return row;
    });
  }

  async deleteDefinition(actor: Actor, id: string): Promise<void> {
    requirePermission(actor, 'contact.manage');
    await transaction(this.ctx.pool, async (tx) => {
      const key = await this.repo.deleteDefinition(tx, actor.accountId, id);
      if (!key) throw notFound('Contact field');
      await recordAudit(tx.db, actor, 'contact_field.deleted', { targetType: 'contact_field', targetId: id, details: { key } });
    });
  }
}

function checkOptions(d: { type: string; options: string[] }) {
  if (d.type === 'list' && d.options.length === 0) throw new AppError('validation_failed', 'A list field needs at least one option');
}

/** Keyset cursors of the contact list: the sort it belongs to, the sort key and the id. */
export function encodeContactCursor(sort: ContactSort, value: string, id: string): string {
  return Buffer.from(JSON.stringify([sort, value, id])).toString('base64url');
}

export function decodeContactCursor(cursor: string, sort: ContactSort): { value: string; id: string } {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 3 &&
      parsed[0] === sort &&
      typeof parsed[1] === 'string' &&
      parsed[1].length <= 300 &&
      typeof parsed[2] === 'string' &&
      /^[0-9a-f-]{36}$/.test(parsed[2])
    ) {
      return { value: parsed[1], id: parsed[2] };
    }
  } catch {
    // fall through
  }
  throw new AppError('invalid_cursor', 'cursor is not valid: pass the nextCursor of the previous page');
}
