import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import type { Tx } from '../../platform/db/transaction.js';

export type ContactRow = {
  id: string;
  name: string | null;
  phones: string[];
  emails: string[];
  notes: string | null;
  attributes: Record<string, unknown>;
  blockedAt: Date | null;
  createdAt: Date;
  lastSeenAt: Date | null;
};

export type HandleRow = {
  id: string;
  contactId: string;
  channelId: string;
  channelType: string;
  channelName: string;
  externalId: string;
  name: string | null;
  username: string | null;
};

export type TagRow = {
  contactId: string;
  id: string;
  name: string;
  color: string | null;
};

export type ContactConversationRow = {
  id: string;
  number: number | null;
  channelId: string;
  channelType: string;
  channelName: string;
  status: string;
  lastMessageAt: Date;
  lastMessagePreview: string | null;
  context: Record<string, unknown> | null;
  createdAt: Date;
};

export type ContactSort = 'last_seen' | 'created' | 'name';

export interface ContactFilter {
  q?: string | undefined;
  /** Digits of `q` when it reads as a phone (matched against the phone digits in the search text). */
  phoneDigits?: string | undefined;
  channelId?: string | undefined;
  tagId?: string | undefined;
  blocked?: boolean | undefined;
  sort: ContactSort;
  limit: number;
  after?: { value: string | null; id: string } | undefined;
}

export type AttributeDefinitionRow = {
  id: string;
  key: string;
  label: string;
  type: 'text' | 'number' | 'date' | 'list' | 'checkbox' | 'link';
  options: string[];
  position: number;
};

export type DuplicateRow = {
  a: string;
  b: string;
  samePhone: boolean;
  sameEmail: boolean;
  similarity: number;
};

const CONTACT_COLUMNS = sql`ct.id, ct.name, ct.phones, ct.emails, ct.notes, ct.attributes, ct.blocked_at as "blockedAt",
  ct.created_at as "createdAt", ct.last_seen_at as "lastSeenAt"`;

/** Escapes LIKE wildcards in user input. */
const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The sort key of a contact list, as text (keyset cursors carry it). */
const SORT_KEY: Record<ContactSort, SQL> = {
  last_seen: sql`coalesce(to_char(ct.last_seen_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'), '')`,
  created: sql`to_char(ct.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')`,
  name: sql`lower(coalesce(ct.name, ''))`,
};

/** Contacts, their handles, fields, merges and the account's contact field definitions: the only SQL of contacts. */
export class ContactsRepository {
  constructor(private readonly db: Db) {}

  /** One page of the account's contacts (keyset on the sort key and id). */
  async list(accountId: string, f: ContactFilter): Promise<(ContactRow & { sortKey: string })[]> {
    const where: SQL[] = [sql`ct.account_id = ${accountId}`];
    if (f.q) where.push(this.matches(accountId, f.q, f.phoneDigits));
    if (f.channelId) {
      where.push(sql`exists (select 1 from contact_handles h where h.contact_id = ct.id and h.channel_id = ${f.channelId})`);
    }
    if (f.tagId) where.push(sql`exists (select 1 from contact_tags t where t.contact_id = ct.id and t.tag_id = ${f.tagId})`);
    if (f.blocked !== undefined) where.push(f.blocked ? sql`ct.blocked_at is not null` : sql`ct.blocked_at is null`);
    const key = SORT_KEY[f.sort];
    // Names ascend (A→Z); times descend (newest first).
    const asc = f.sort === 'name';
    if (f.after) {
      const v = f.after.value ?? '';
      where.push(asc ? sql`(${key}, ct.id) > (${v}, ${f.after.id}::uuid)` : sql`(${key}, ct.id) < (${v}, ${f.after.id}::uuid)`);
    }
    const order = asc ? sql`${key} asc, ct.id asc` : sql`${key} desc, ct.id desc`;
    const { rows } = await this.db.execute<ContactRow & { sortKey: string }>(sql`
      select ${CONTACT_COLUMNS}, ${key} as "sortKey" from contacts ct
      where ${sql.join(where, sql` and `)}
      order by ${order} limit ${f.limit}`);
    return rows.map(dates);
  }

  /**
   * The contact search condition: a substring (trigram index) of the name, phones and e-mails, or of any of
   * its handles. One id set from index scans of both tables, not a per-row check. (Fuzzy name similarity is
   * for duplicate suggestions: in a search box it drowns the exact hits.)
   */
  matches(accountId: string, q: string, digits?: string): SQL {
    const like = `%${likeEscape(q.toLowerCase())}%`;
    const own = [sql`c2.search_text like ${like}`];
    if (digits && digits.length >= 4) own.push(sql`c2.search_text like ${`%${digits}%`}`);
    return sql`ct.id in (
      select c2.id from contacts c2 where c2.account_id = ${accountId} and (${sql.join(own, sql` or `)})
      union
      select h.contact_id from contact_handles h where h.account_id = ${accountId}
        and lower(h.external_id || ' ' || coalesce(h.username, '') || ' ' || coalesce(h.name, '')) like ${like})`;
  }

  /** Contacts ranked for a search box: best name similarity first. */
  async search(accountId: string, q: string, digits: string | undefined, limit: number): Promise<ContactRow[]> {
    const { rows } = await this.db.execute<ContactRow>(sql`
      select ${CONTACT_COLUMNS} from contacts ct
      where ct.account_id = ${accountId} and ${this.matches(accountId, q, digits)}
      order by similarity(lower(coalesce(ct.name, '')), ${q.toLowerCase()}) desc, ct.last_seen_at desc nulls last, ct.id
      limit ${limit}`);
    return rows.map(dates);
  }

  async get(db: Db, accountId: string, id: string, opts: { forUpdate?: boolean } = {}): Promise<ContactRow | undefined> {
    const { rows } = await db.execute<ContactRow>(sql`
      select ${CONTACT_COLUMNS} from contacts ct where ct.account_id = ${accountId} and ct.id = ${id}
      ${opts.forUpdate ? sql`for update` : sql``}`);
    return rows[0] && dates(rows[0]);
  }

  async handles(db: Db, accountId: string, contactIds: string[]): Promise<HandleRow[]> {
    if (!contactIds.length) return [];
    const { rows } = await db.execute<HandleRow>(sql`
      select h.id, h.contact_id as "contactId", h.channel_id as "channelId", ch.type as "channelType", ch.name as "channelName",
        h.external_id as "externalId", h.name, h.username
      from contact_handles h join channels ch on ch.id = h.channel_id
      where h.account_id = ${accountId} and h.contact_id = any(${sql.param(contactIds)}::uuid[])
      order by h.created_at`);
    return rows;
  }

  async tags(db: Db, accountId: string, contactIds: string[]): Promise<TagRow[]> {
    if (!contactIds.length) return [];
    const { rows } = await db.execute<TagRow>(sql`
      select ct.contact_id as "contactId", t.id, t.name, t.color
      from contact_tags ct join tags t on t.id = ct.tag_id
      where ct.account_id = ${accountId} and ct.contact_id = any(${sql.param(contactIds)}::uuid[])
      order by lower(t.name)`);
    return rows;
  }

  /** Replaces the contact's tags with the given ones of the account; returns the ids that are not the account's tags. */
  async setTags(tx: Tx, accountId: string, contactId: string, tagIds: string[]): Promise<string[]> {
    const { rows } = await tx.db.execute<{ id: string }>(sql`
      select id from tags where account_id = ${accountId} and id = any(${sql.param(tagIds)}::uuid[])`);
    const known = new Set(rows.map((r) => r.id));
    const unknown = tagIds.filter((t) => !known.has(t));
    if (unknown.length) return unknown;
    await tx.db.execute(sql`
      delete from contact_tags where account_id = ${accountId} and contact_id = ${contactId}
        and not (tag_id = any(${sql.param(tagIds)}::uuid[]))`);
    if (tagIds.length) {
      await tx.db.execute(sql`
        insert into contact_tags (account_id, contact_id, tag_id)
        select ${accountId}, ${contactId}, unnest(${sql.param(tagIds)}::uuid[]) on conflict do nothing`);
    }
    return [];
  }

  /** The account's tags by lower-cased name (CSV import). */
  async tagsByName(db: Db, accountId: string): Promise<Map<string, string>> {
    const { rows } = await db.execute<{ id: string; name: string }>(sql`select id, name from tags where account_id = ${accountId}`);
    return new Map(rows.map((r) => [r.name.toLowerCase(), r.id]));
  }

  async conversations(db: Db, accountId: string, contactId: string): Promise<ContactConversationRow[]> {
    const { rows } = await db.execute<ContactConversationRow>(sql`
      select c.id, c.number, c.channel_id as "channelId", ch.type as "channelType", ch.name as "channelName", c.status,
        c.last_message_at as "lastMessageAt", c.last_message_preview as "lastMessagePreview", c.context, c.created_at as "createdAt"
      from conversations c join channels ch on ch.id = c.channel_id
      where c.account_id = ${accountId} and c.contact_id = ${contactId}
      order by c.last_message_at desc limit 200`);
    return rows.map((r) => ({ ...r, lastMessageAt: new Date(r.lastMessageAt), createdAt: new Date(r.createdAt) }));
  }

  async update(
    tx: Tx,
    accountId: string,
    id: string,
    patch: Partial<Pick<ContactRow, 'name' | 'phones' | 'emails' | 'notes' | 'attributes'>> & { searchText: string },
  ): Promise<void> {
    const sets: SQL[] = [sql`updated_at = now()`, sql`search_text = ${patch.searchText}`];
    if (patch.name !== undefined) sets.push(sql`name = ${patch.name}`);
    if (patch.phones) sets.push(sql`phones = ${sql.param(patch.phones)}::text[]`);
    if (patch.emails) sets.push(sql`emails = ${sql.param(patch.emails)}::text[]`);
    if (patch.notes !== undefined) sets.push(sql`notes = ${patch.notes}`);
    if (patch.attributes) sets.push(sql`attributes = ${JSON.stringify(patch.attributes)}::jsonb`);
    await tx.db.execute(sql`update contacts set ${sql.join(sets, sql`, `)} where account_id = ${accountId} and id = ${id}`);
  }

  async setBlocked(tx: Tx, accountId: string, id: string, by: string | null): Promise<void> {
    await tx.db.execute(sql`
      update contacts set blocked_at = ${by ? sql`coalesce(blocked_at, now())` : sql`null`}, blocked_by = ${by}, updated_at = now()
      where account_id = ${accountId} and id = ${id}`);
  }

  /**
   * Moves everything of `sourceId` onto `targetId` (handles, conversations, tags) and deletes the source.
   * Both rows must be locked by the caller. Returns how many handles and conversations moved.
   */
  async merge(tx: Tx, accountId: string, targetId: string, sourceId: string): Promise<{ handles: number; conversations: number }> {
    const moved = await tx.db.execute<{ handles: number; conversations: number }>(sql`
      with h as (update contact_handles set contact_id = ${targetId} where account_id = ${accountId} and contact_id = ${sourceId} returning 1),
        c as (update conversations set contact_id = ${targetId} where account_id = ${accountId} and contact_id = ${sourceId} returning 1)
      select (select count(*) from h)::int as handles, (select count(*) from c)::int as conversations`);
    await tx.db.execute(sql`
      insert into contact_tags (account_id, contact_id, tag_id)
      select account_id, ${targetId}, tag_id from contact_tags where account_id = ${accountId} and contact_id = ${sourceId}
      on conflict do nothing`);
    await tx.db.execute(sql`delete from contacts where account_id = ${accountId} and id = ${sourceId}`);
    return moved.rows[0]!;
  }

  /** Keeps the earliest first-seen and latest last-seen of two merged contacts. */
  async mergeTimes(tx: Tx, accountId: string, targetId: string, source: ContactRow): Promise<void> {
    await tx.db.execute(sql`
      update contacts set created_at = least(created_at, ${source.createdAt.toISOString()}::timestamptz),
        last_seen_at = greatest(last_seen_at, ${source.lastSeenAt?.toISOString() ?? null}::timestamptz)
      where account_id = ${accountId} and id = ${targetId}`);
  }

  /**
   * Likely duplicates: pairs of the account's contacts sharing a phone or an e-mail, or with very similar
   * names seen on different channels (trigram similarity ≥ 0.6). Limited to `contactId`'s pairs when given.
   */
  async duplicates(accountId: string, contactId: string | undefined, limit: number): Promise<DuplicateRow[]> {
    const scope = contactId ? sql`and a.id = ${contactId}` : sql`and a.id < b.id`;
    const { rows } = await this.db.transaction(async (tx) => {
      await tx.execute(sql`set local pg_trgm.similarity_threshold = 0.6`);
      return tx.execute<DuplicateRow>(sql`
        select a.id as a, b.id as b, (a.phones && b.phones) as "samePhone", (a.emails && b.emails) as "sameEmail",
          similarity(lower(coalesce(a.name, '')), lower(coalesce(b.name, ''))) as similarity
        from contacts a join contacts b on b.account_id = a.account_id and b.id <> a.id
          and (a.phones && b.phones or a.emails && b.emails
            or (lower(coalesce(a.name, '')) % lower(coalesce(b.name, '')) and length(coalesce(a.name, '')) >= 3
                and not exists (select 1 from contact_handles ha join contact_handles hb on hb.channel_id = ha.channel_id
                                where ha.contact_id = a.id and hb.contact_id = b.id)))
        where a.account_id = ${accountId} ${scope}
        order by (a.phones && b.phones or a.emails && b.emails) desc, similarity desc, a.id, b.id
        limit ${limit}`);
    });
    return rows.map((r) => ({ ...r, similarity: Number(r.similarity) }));
  }

  /** New contacts from an import (validated); returns their ids in input order. */
  async insertMany(
    tx: Tx,
    accountId: string,
    rows: {
      name: string | null;
      phones: string[];
      emails: string[];
      notes: string | null;
      attributes: Record<string, unknown>;
      searchText: string;
    }[],
  ): Promise<string[]> {
    const { rows: ids } = await tx.db.execute<{ id: string }>(sql`
      insert into contacts (account_id, name, phones, emails, notes, attributes, search_text)
      select ${accountId}, r.name, array(select jsonb_array_elements_text(r.phones)), array(select jsonb_array_elements_text(r.emails)),
        r.notes, r.attributes, r.search_text
      from rows from (jsonb_to_recordset(${JSON.stringify(
        rows.map((r) => ({ ...r, search_text: r.searchText })),
      )}::jsonb) as (name text, phones jsonb, emails jsonb, notes text, attributes jsonb, search_text text))
        with ordinality as r(name, phones, emails, notes, attributes, search_text, n)
      order by r.n
      returning id`);
    return ids.map((r) => r.id);
  }

  /** Every contact of the account in pages of `size`, oldest first (export). */
  async *exportPages(accountId: string, size = 1000): AsyncGenerator<ContactRow[]> {
    let after: { at: string; id: string } | undefined;
    for (;;) {
      const { rows } = await this.db.execute<ContactRow & { at: string }>(sql`
        select ${CONTACT_COLUMNS}, ct.created_at::text as at from contacts ct where ct.account_id = ${accountId}
        ${after ? sql`and (ct.created_at, ct.id) > (${after.at}::timestamptz, ${after.id}::uuid)` : sql``}
        order by ct.created_at, ct.id limit ${size}`);
      if (!rows.length) return;
      yield rows.map(dates);
      const last = rows.at(-1)!;
      after = { at: last.at, id: last.id };
      if (rows.length < size) return;
    }
  }

  async definitions(db: Db, accountId: string): Promise<AttributeDefinitionRow[]> {
    const { rows } = await db.execute<AttributeDefinitionRow>(sql`
      select id, key, label, type, options, position from contact_attribute_definitions
      where account_id = ${accountId} order by position, created_at, key`);
    return rows;
  }

  async insertDefinition(tx: Tx, accountId: string, d: Omit<AttributeDefinitionRow, 'id'>): Promise<AttributeDefinitionRow | undefined> {
    const { rows } = await tx.db.execute<AttributeDefinitionRow>(sql`
      insert into contact_attribute_definitions (account_id, key, label, type, options, position)
      values (${accountId}, ${d.key}, ${d.label}, ${d.type}, ${sql.param(d.options)}::text[], ${d.position})
      on conflict (account_id, key) do nothing
      returning id, key, label, type, options, position`);
    return rows[0];
  }

  async updateDefinition(
    tx: Tx,
    accountId: string,
    id: string,
    d: Pick<AttributeDefinitionRow, 'label' | 'options' | 'position'>,
  ): Promise<AttributeDefinitionRow | undefined> {
    const { rows } = await tx.db.execute<AttributeDefinitionRow>(sql`
      update contact_attribute_definitions set label = ${d.label}, options = ${sql.param(d.options)}::text[], position = ${d.position}
      where account_id = ${accountId} and id = ${id}
      returning id, key, label, type, options, position`);
    return rows[0];
  }

  /** Removes a field and its values from every contact. */
  async deleteDefinition(tx: Tx, accountId: string, id: string): Promise<string | undefined> {
    const { rows } = await tx.db.execute<{ key: string }>(sql`
      delete from contact_attribute_definitions where account_id = ${accountId} and id = ${id} returning key`);
    const key = rows[0]?.key;
    if (key) {
      await tx.db.execute(sql`
        update contacts set attributes = attributes - ${key} where account_id = ${accountId} and attributes ? ${key}`);
    }
    return key;
  }
}

/** Raw rows carry timestamps as Date already (node-pg), but `execute` types are loose: normalise. */
function dates<T extends ContactRow>(r: T): T {
  return {
    ...r,
    createdAt: new Date(r.createdAt),
    lastSeenAt: r.lastSeenAt ? new Date(r.lastSeenAt) : null,
    blockedAt: r.blockedAt ? new Date(r.blockedAt) : null,
  };
}
