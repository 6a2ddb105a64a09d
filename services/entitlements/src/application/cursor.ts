import { InvalidCursorError } from '@coterie/contracts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Opaque to clients (they must not build cursors), a keyset position to us. */
export function encodeCursor(id: string): string {
  return Buffer.from(id).toString('base64url');
}

/** The keyset id of a cursor we issued (undefined without one); anything else is 400 `invalid_cursor`. */
export function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  const id = Buffer.from(cursor, 'base64url').toString();
  if (!UUID.test(id)) throw new InvalidCursorError();
  return id;
}
