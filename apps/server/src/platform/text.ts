/**
 * Text PostgreSQL cannot store: U+0000 (refused in `text`, and as `\u0000` in `jsonb`) and UTF-16
 * surrogates without their pair (refused as `\ud800` escapes in `jsonb`, silently mangled in `text`).
 * Requests carrying them are refused; text a customer sent through a provider is cleaned instead,
 * so their message is never lost.
 */

/** True when `s` holds a NUL or a lone surrogate. */
export function isUnsafeText(s: string): boolean {
  return s.includes('\0') || !isWellFormed(s);
}

/** Drops NULs and replaces lone surrogates with U+FFFD. */
export function cleanText(s: string): string {
  if (!isUnsafeText(s)) return s;
  return toWellFormed(s.replaceAll('\0', ''));
}

/** The first string (value or key) in a JSON-like value that is unsafe, as a JSON pointer; null when none. */
export function findUnsafeText(value: unknown, path = ''): string | null {
  if (typeof value === 'string') return isUnsafeText(value) ? path || '/' : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnsafeText(value[i], `${path}/${i}`);
      if (found) return found;
    }
    return null;
  }
  if (isPlainObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      if (isUnsafeText(key)) return `${path}/${cleanText(key)}`;
      const found = findUnsafeText(item, `${path}/${key}`);
      if (found) return found;
    }
  }
  return null;
}

/**
 * A copy of a JSON-like value with every string (and key) cleaned; values without unsafe text are
 * returned as they are. Dates, buffers and class instances are kept untouched.
 */
export function cleanDeep<T>(value: T): T {
  if (findUnsafeText(value) === null) return value;
  return cleanAny(value) as T;
}

function cleanAny(value: unknown): unknown {
  if (typeof value === 'string') return cleanText(value);
  if (Array.isArray(value)) return value.map(cleanAny);
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [cleanText(k), cleanAny(v)]));
  return value;
}

/** Plain records, including the prototype-less ones query-string parsers build (`new Empty()` over a null prototype). */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as object | null;
  return proto === null || proto === Object.prototype || Object.getPrototypeOf(proto) === null;
}

// String.prototype.isWellFormed / toWellFormed (Node 20+) are not in the ES2022 library types.
type WellFormed = { isWellFormed(): boolean; toWellFormed(): string };
const isWellFormed = (s: string): boolean => (s as unknown as WellFormed).isWellFormed();
const toWellFormed = (s: string): string => (s as unknown as WellFormed).toWellFormed();
