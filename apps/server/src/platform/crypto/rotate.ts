import type pg from 'pg';
import type { SecretBox } from './secret-box.js';
import { readKeyCheck, tableExists, WrongSecretKeyError, writeKeyCheck } from './key-check.js';
import { SEALED_COLUMNS, sealedColumnName } from './sealed-columns.js';

export interface RotationResult {
  /** Values re-sealed with the new key, by `table.column`. */
  resealed: Record<string, number>;
  /** Values already sealed with the new key. */
  current: number;
  /** Values that open with no key given (damaged or sealed with a key nobody has): `table.column key`. */
  unreadable: string[];
}

const PAGE = 200;

/**
 * Re-seals every secret with the current SECRET_KEY while the product runs: processes started with the
 * new key and SECRET_KEY_PREVIOUS read both meanwhile. Each row is replaced only if it still holds the
 * value that was read (a concurrent change wins; it is sealed with the new key already). When every
 * value opens with the new key, the database's key check moves to it.
 */
export async function rotateSecrets(pool: pg.Pool, box: SecretBox): Promise<RotationResult> {
  const check = await readKeyCheck(pool);
  if (check && check.keyId !== box.keyId && !box.previousKeyIds.includes(check.keyId)) {
    throw new WrongSecretKeyError(
      `its secrets are sealed with the key whose id is ${check.keyId}; set that key as SECRET_KEY_PREVIOUS to rotate away from it`,
    );
  }
  const result: RotationResult = { resealed: {}, current: 0, unreadable: [] };
  for (const c of SEALED_COLUMNS) {
    if (!(await tableExists(pool, c.table))) continue;
    const name = sealedColumnName(c);
    result.resealed[name] = 0;
    let after = '';
    for (;;) {
      const { rows } = await pool.query<{ k: string; v: string }>(
        `select "${c.key}"::text as k, "${c.column}" as v from "${c.table}"
          where "${c.column}" is not null and "${c.key}"::text > $1 order by "${c.key}"::text limit ${PAGE}`,
        [after],
      );
      for (const { k, v } of rows) {
        let next: string | undefined;
        try {
          next = box.reseal(v);
        } catch {
          result.unreadable.push(`${name} ${k}`);
          continue;
        }
        if (next === undefined) {
          result.current++;
          continue;
        }
        const updated = await pool.query(`update "${c.table}" set "${c.column}" = $1 where "${c.key}"::text = $2 and "${c.column}" = $3`, [
          next,
          k,
          v,
        ]);
        if (updated.rowCount) result.resealed[name] = (result.resealed[name] ?? 0) + 1;
        else result.current++; // changed meanwhile by a process that seals with the new key
      }
      if (rows.length < PAGE) break;
      after = rows[rows.length - 1]!.k;
    }
  }
  if (result.unreadable.length === 0) {
    const previous = check && check.keyId !== box.keyId ? check.keyId : (check?.previousKeyId ?? null);
    await writeKeyCheck(pool, box.keyId, previous);
  }
  return result;
}
