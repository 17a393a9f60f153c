/** The textual form of a UUID that PostgreSQL's `uuid` type accepts (any version, any case). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Whether `value` can be compared with a `uuid` column: ids taken from paths, cursors and tokens are
 * checked with it before they reach SQL, where a malformed one would be a 500 instead of a miss.
 */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}
