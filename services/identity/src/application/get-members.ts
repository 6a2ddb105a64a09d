import type { Member } from '@coterie/contracts';
import { getAddress } from 'viem';
import { findMember, findMembers, memberIdByWallet } from '../adapters/postgres/members-repository.ts';
import { MemberNotFoundError } from '../domain/identity-errors.ts';
import type { IdentityDeps } from '../ports.ts';

export async function getMember(deps: IdentityDeps, memberId: string): Promise<Member> {
  const member = await findMember(deps.pool, memberId);
  if (!member) throw new MemberNotFoundError();
  return member;
}

export function getMembers(deps: IdentityDeps, memberIds: readonly string[]): Promise<Member[]> {
  return findMembers(deps.pool, memberIds);
}

/** Addresses arrive in any case; wallets are stored EIP-55 checksummed. */
export async function memberByAddress(deps: IdentityDeps, address: string): Promise<string | null> {
  return (await memberIdByWallet(deps.pool, getAddress(address.toLowerCase()))) ?? null;
}
