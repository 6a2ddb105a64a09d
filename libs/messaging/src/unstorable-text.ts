/** A lone surrogate: jsonb refuses its `\u` escape. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** U+0000 (PostgreSQL text cannot hold it) or a lone surrogate. */
const unstorable = (s: string) => s.includes('\u0000') || LONE_SURROGATE.test(s);

/**
 * Whether any string (or key) in a parsed JSON value is text PostgreSQL cannot store: the RPC
 * server refuses such a request with a 400 instead of failing in the store with a 500, and a
 * consumer terminates such an event once the store has refused it. Iterative, so no depth of
 * nesting overflows it.
 */
export function hasUnstorableText(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') {
      if (unstorable(v)) return true;
    } else if (Array.isArray(v)) {
      for (const item of v) stack.push(item);
    } else if (v !== null && typeof v === 'object') {
      for (const [k, inner] of Object.entries(v)) {
        if (unstorable(k)) return true;
        stack.push(inner);
      }
    }
  }
  return false;
}

/**
 * A PostgreSQL "data exception" (SQLSTATE class 22: invalid byte sequence, unsupported Unicode
 * escape, …), anywhere in the `cause` chain: the same values fail the same way every time,
 * unlike a lost connection or a conflict.
 */
export function isPermanentDataError(error: unknown): boolean {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 8; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
