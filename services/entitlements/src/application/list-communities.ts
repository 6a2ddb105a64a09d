import type { Community } from '@coterie/contracts';
import { listCommunities as listRows } from '../adapters/postgres/communities-repository.ts';
import type { Deps } from '../ports.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';

export async function listCommunities(
  deps: Deps,
  input: { limit: number; cursor?: string | undefined },
): Promise<{ items: Community[]; nextCursor: string | null }> {
  const afterId = decodeCursor(input.cursor);
  const rows = await listRows(deps.pool, { limit: input.limit + 1, ...(afterId ? { afterId } : {}) });
  const items = rows.slice(0, input.limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > input.limit && last ? encodeCursor(last.id) : null };
}
