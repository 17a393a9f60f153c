import type pg from 'pg';
import type { SecretBox } from './secret-box.js';
import { SEALED_COLUMNS, sealedColumnName, type SealedColumn } from './sealed-columns.js';

/** The process's SECRET_KEY is not the one this database's secrets are sealed with. */
export class WrongSecretKeyError extends Error {
  constructor(detail: string) {
    super(
      `SECRET_KEY does not match this database: ${detail}. Start Switchboard with the SECRET_KEY it was set up with ` +
        '(an embedded install keeps it in <DATA_DIR>/secret.key). To change the key, set the new key as SECRET_KEY and the ' +
        'old one as SECRET_KEY_PREVIOUS, then run `switchboard rotate-secret`.',
    );
    this.name = 'WrongSecretKeyError';
  }
}

export interface KeyCheckRow {
  keyId: string;
  previousKeyId: string | null;
}

export async function readKeyCheck(client: pg.Pool | pg.ClientBase): Promise<KeyCheckRow | undefined> {
  const { rows } = await client.query<{ key_id: string; previous_key_id: string | null }>(
    "select key_id, previous_key_id from secret_key_check where id = 'current'",
  );
  return rows[0] ? { keyId: rows[0].key_id, previousKeyId: rows[0].previous_key_id } : undefined;
}

export async function writeKeyCheck(client: pg.Pool | pg.ClientBase, keyId: string, previousKeyId: string | null): Promise<void> {
  await client.query(
    `insert into secret_key_check (id, key_id, previous_key_id, updated_at) values ('current', $1, $2, now())
     on conflict (id) do update set key_id = excluded.key_id, previous_key_id = excluded.previous_key_id, updated_at = now()`,
    [keyId, previousKeyId],
  );
}

export async function tableExists(client: pg.Pool | pg.ClientBase, table: string): Promise<boolean> {
  const { rows } = await client.query<{ t: string | null }>('select to_regclass($1)::text as t', [`public.${table}`]);
  return rows[0]?.t !== null && rows[0]?.t !== undefined;
}

/** A few sealed values of a column (the key check of a database that has none recorded yet). */
async function sample(client: pg.Pool, c: SealedColumn): Promise<string[]> {
  if (!(await tableExists(client, c.table))) return [];
  const { rows } = await client.query<{ v: string }>(`select "${c.column}" as v from "${c.table}" where "${c.column}" is not null limit 3`);
  return rows.map((r) => r.v);
}

/**
 * Boot check: the database names the key its secrets are sealed with; a process with another key stops
 * here with a clear message instead of failing on every secret later. The first boot (or the first after
 * an upgrade) records the key, after checking that the secrets already stored open with it.
 * Returns how the key was accepted.
 */
export async function verifySecretKey(pool: pg.Pool, box: SecretBox): Promise<'recorded' | 'current' | 'previous'> {
  const row = await readKeyCheck(pool);
  if (row) {
    if (row.keyId === box.keyId) return 'current';
    if (box.previousKeyIds.includes(row.keyId)) return 'previous'; // a rotation is under way
    throw new WrongSecretKeyError(
      `its secrets are sealed with the key whose id is ${row.keyId}, this process has ${[box.keyId, ...box.previousKeyIds].join(', ')}`,
    );
  }
  for (const c of SEALED_COLUMNS) {
    for (const value of await sample(pool, c)) {
      try {
        box.open(value);
      } catch {
        throw new WrongSecretKeyError(`the stored ${sealedColumnName(c)} secrets cannot be opened with it`);
      }
    }
  }
  await pool.query(`insert into secret_key_check (id, key_id) values ('current', $1) on conflict (id) do nothing`, [box.keyId]);
  // Another process may have recorded a different key at the same moment: check what won.
  return (await readKeyCheck(pool))?.keyId === box.keyId ? 'recorded' : verifySecretKey(pool, box);
}
