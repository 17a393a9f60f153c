import { readFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from './support/harness.js';

/** The migration that introduced the role catalogue keeps every member's access: operators become agents. */

const dir = path.resolve(import.meta.dirname, '../drizzle');
const TARGET = '0011_roles_and_token_scopes';

let db: { url: string; drop(): Promise<void> };
let client: pg.Client;

async function apply(tag: string): Promise<void> {
  const sql = await readFile(path.join(dir, `${tag}.sql`), 'utf8');
  for (const statement of sql.split('--> statement-breakpoint')) if (statement.trim()) await client.query(statement);
}

beforeAll(async () => {
  db = await createTestDatabase();
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
});

afterAll(async () => {
  await client?.end();
  await db?.drop();
});

describe('role keys migration', () => {
  it('turns operators into agents and leaves the other roles as they were', async () => {
    const journal = JSON.parse(await readFile(path.join(dir, 'meta/_journal.json'), 'utf8')) as { entries: { tag: string }[] };
    const tags = journal.entries.map((e) => e.tag);
    expect(tags).toContain(TARGET);
    for (const tag of tags.slice(0, tags.indexOf(TARGET))) await apply(tag);

    const { rows } = await client.query<{ id: string }>(`insert into accounts (name) values ('Shop') returning id`);
    const account = rows[0]!.id;
    for (const role of ['owner', 'admin', 'supervisor', 'operator', 'operator']) {
      const user = await client.query<{ id: string }>(`insert into users (email, name, password_hash) values ($1, $2, 'x') returning id`, [
        `${role}-${Math.random()}@shop.test`,
        role,
      ]);
      await client.query(`insert into memberships (account_id, user_id, role) values ($1, $2, $3)`, [account, user.rows[0]!.id, role]);
    }

    await apply(TARGET);
    const after = await client.query<{ role: string; n: number }>(
      `select role, count(*)::int as n from memberships group by role order by role`,
    );
    expect(after.rows).toEqual([
      { role: 'admin', n: 1 },
      { role: 'agent', n: 2 },
      { role: 'owner', n: 1 },
      { role: 'supervisor', n: 1 },
    ]);
    const tokens = await client.query(
      `select column_name from information_schema.columns where table_name = 'api_tokens' and column_name in ('scopes', 'expires_at') order by 1`,
    );
    expect(tokens.rows.map((r: { column_name: string }) => r.column_name)).toEqual(['expires_at', 'scopes']);
  });
});
