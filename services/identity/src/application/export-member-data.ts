import type { IdentityMemberData } from '@coterie/contracts';
import { readMemberData } from '../adapters/postgres/member-data-repository.ts';
import { MemberNotFoundError } from '../domain/identity-errors.ts';
import type { IdentityDeps } from '../ports.ts';

/** The member's identity data for `GET /v1/me/data`: profile, wallets, emails, session metadata. */
export async function exportMemberData(deps: IdentityDeps, memberId: string): Promise<IdentityMemberData> {
  const data = await readMemberData(deps.pool, memberId);
  if (!data) throw new MemberNotFoundError();
  return data;
}
