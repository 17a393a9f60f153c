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

/** Deeper than any request of ours needs: a walk past it stops, and the request is refused. */
export const MAX_JSON_DEPTH = 64;

/** A JSON-like value nested deeper than MAX_JSON_DEPTH (`path` is where the walk stopped). */
export class TooDeeplyNested extends Error {
  constructor(readonly path: string) {
    super(`nested deeper than ${MAX_JSON_DEPTH} levels at ${path || '/'}`);
  }
}

/**
 * The first string (value or key) in a JSON-like value that is unsafe, as a JSON pointer; null when
 * none. Walks without recursion (a hostile body of deeply nested arrays must not overflow the stack)
 * and throws TooDeeplyNested past MAX_JSON_DEPTH.
 */
export function findUnsafeText(value: unknown): string | null {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: '', depth: 0 }];
  while (stack.length > 0) {
    const { value: v, path, depth } = stack.pop()!;
    if (typeof v === 'string') {
      if (isUnsafeText(v)) return path || '/';
      continue;
    }
    const entries = Array.isArray(v) ? v.map((item, i) => [String(i), item] as const) : isPlainObject(v) ? Object.entries(v) : null;
    if (!entries) continue;
    if (depth >= MAX_JSON_DEPTH) throw new TooDeeplyNested(path);
    for (const [key] of entries) if (!Array.isArray(v) && isUnsafeText(key)) return `${path}/${cleanText(key)}`;
    for (let i = entries.length - 1; i >= 0; i--)
      stack.push({ value: entries[i]![1], path: `${path}/${entries[i]![0]}`, depth: depth + 1 });
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
