import type { Member } from '@coterie/contracts';
import { updateMemberProfile } from '../adapters/postgres/members-repository.ts';
import { MemberNotFoundError } from '../domain/identity-errors.ts';
import type { IdentityDeps } from '../ports.ts';
import { getMember } from './get-members.ts';

export async function updateProfile(
  deps: IdentityDeps,
  input: { memberId: string; displayName?: string | null; bio?: string | null; avatarUrl?: string | null },
): Promise<Member> {
  const { memberId, ...patch } = input;
  if (!(await updateMemberProfile(deps.pool, memberId, patch))) throw new MemberNotFoundError();
  return getMember(deps, memberId);
}
