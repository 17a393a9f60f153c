import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from './support/harness.js';

const MIGRATIONS = path.resolve(import.meta.dirname, '../drizzle');
const A = '00000000-0000-4000-8000-000000000001';
const WA = '00000000-0000-4000-8000-0000000000c1';
const MAIL = '00000000-0000-4000-8000-0000000000c2';
const ANNA = '00000000-0000-4000-8000-0000000000a1';
const OLEG = '00000000-0000-4000-8000-0000000000a2';

/** Contacts made before one contact could have several channel handles keep their conversations and gain handles. */
describe('contacts migration (one row per handle → contacts with handles)', () => {
  it('turns each old contact into a contact with one handle, takes phones and e-mails from handles, numbers conversations', async () => {
    const db = await createTestDatabase();
    const dir = await mkdtemp(path.join(os.tmpdir(), 'switchboard-mig-'));
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      await cp(MIGRATIONS, dir, { recursive: true });
      const journalFile = path.join(dir, 'meta/_journal.json');
      const journal = JSON.parse(await readFile(journalFile, 'utf8')) as { entries: { idx: number; tag: string }[] };
      const at = journal.entries.findIndex((e) => e.tag.startsWith('0016_contacts'));
      await writeFile(journalFile, JSON.stringify({ ...journal, entries: journal.entries.slice(0, at) }));
      await migrate(drizzle(client), { migrationsFolder: dir });
      await client.query(`insert into accounts (id, name) values ($1, 'A')`, [A]);
      await client.query(
        `insert into channels (id, account_id, type, name, secrets) values ($1, $3, 'whatsapp_cloud', 'wa', ''), ($2, $3, 'email', 'mail', '')`,
        [WA, MAIL, A],
      );
      await client.query(
        `insert into contacts (id, account_id, channel_id, external_id, name, username) values
           ($1, $3, $4, '79001234567', 'Анна', '+79001234567'), ($2, $3, $5, 'Oleg@Customer.test', 'Олег', null)`,
        [ANNA, OLEG, A, WA, MAIL],
      );
      await client.query(
        `insert into conversations (account_id, channel_id, contact_id, external_chat_id, created_at) values
           ($1, $2, $3, '79001234567', now() - interval '1 day'), ($1, $4, $5, 'oleg', now())`,
        [A, WA, ANNA, MAIL, OLEG],
      );

      await writeFile(journalFile, JSON.stringify(journal));
      await migrate(drizzle(client), { migrationsFolder: dir });

      const contacts = (await client.query('select id, name, phones, emails, search_text, last_seen_at from contacts order by name')).rows;
      expect(contacts).toEqual([
        expect.objectContaining({ id: ANNA, name: 'Анна', phones: ['+79001234567'], emails: [], search_text: 'анна +79001234567' }),
        expect.objectContaining({
          id: OLEG,
          name: 'Олег',
          phones: [],
          emails: ['oleg@customer.test'],
          search_text: 'олег  oleg@customer.test',
        }),
      ]);
      expect(contacts.every((c) => c.last_seen_at instanceof Date)).toBe(true);
      const handles = (
        await client.query('select id, contact_id, channel_id, external_id, username from contact_handles order by external_id')
      ).rows;
      expect(handles).toEqual([
        { id: ANNA, contact_id: ANNA, channel_id: WA, external_id: '79001234567', username: '+79001234567' },
        { id: OLEG, contact_id: OLEG, channel_id: MAIL, external_id: 'Oleg@Customer.test', username: null },
      ]);
      const conversations = (await client.query('select contact_id, handle_id, number from conversations order by number')).rows;
      expect(conversations).toEqual([
        { contact_id: ANNA, handle_id: ANNA, number: 1 },
        { contact_id: OLEG, handle_id: OLEG, number: 2 },
      ]);
      expect((await client.query('select last from conversation_numbers where account_id = $1', [A])).rows[0].last).toBe(2);
    } finally {
      await client.end();
      await rm(dir, { recursive: true, force: true });
      await db.drop();
    }
  }, 120_000);
});
