import type { Community } from '@coterie/contracts';
import type { Deps } from '../ports.ts';
import { requireCommunity } from './authorize.ts';

export async function getCommunity(deps: Deps, input: { slug: string }): Promise<Community> {
  return requireCommunity(deps.pool, input.slug);
}
