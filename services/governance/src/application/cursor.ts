import { InvalidCursorError } from '@coterie/contracts';

/** Opaque to clients, a keyset position to us. */
export function encodeCursor(parts: readonly string[]): string {
  return Buffer.from(parts.join('|')).toString('base64url');
}

/** The parts of a cursor we issued (undefined without one); anything else is 400 `invalid_cursor`. */
export function decodeCursor(
  cursor: string | undefined,
  count: number,
  valid: (parts: string[]) => boolean = () => true,
): string[] | undefined {
  if (!cursor) return undefined;
  const parts = Buffer.from(cursor, 'base64url').toString().split('|');
  const wellFormed = parts.length === count && parts.every((p) => p.length > 0 && p.length < 100);
  if (!wellFormed || !valid(parts)) throw new InvalidCursorError();
  return parts;
}
