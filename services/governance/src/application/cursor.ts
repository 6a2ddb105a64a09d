/** Opaque to clients, a keyset position to us. */
export function encodeCursor(parts: readonly string[]): string {
  return Buffer.from(parts.join('|')).toString('base64url');
}

/** The parts of a cursor we issued, or undefined for anything else (treated as "from the start"). */
export function decodeCursor(cursor: string | undefined, count: number): string[] | undefined {
  if (!cursor) return undefined;
  const parts = Buffer.from(cursor, 'base64url').toString().split('|');
  return parts.length === count && parts.every((p) => p.length > 0 && p.length < 100) ? parts : undefined;
}
