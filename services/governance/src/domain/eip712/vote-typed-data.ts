import {
  VOTE_PRIMARY_TYPE,
  VOTE_TYPES,
  type VoteDomain,
  type VoteMessage,
  type VoteTypedData,
} from '@coterie/contracts';
import { keccak256, stringToBytes } from 'viem';

export const DOMAIN_NAME = 'Coterie';
export const DOMAIN_VERSION = '1';

/**
 * The EIP-712 domain of a community's votes: it names Coterie, the chain and (through the salt)
 * the community, so a signature made for another chain or community never verifies here.
 * No `verifyingContract`: votes are verified off-chain.
 */
export function voteDomain(chainId: number, communityId: string): VoteDomain {
  return {
    name: DOMAIN_NAME,
    version: DOMAIN_VERSION,
    chainId,
    salt: keccak256(stringToBytes(communityId)),
  };
}

/** The typed data a wallet signs (`eth_signTypedData_v4`) for `message`. */
export function voteTypedData(domain: VoteDomain, message: VoteMessage): VoteTypedData {
  return {
    domain,
    types: { Vote: VOTE_TYPES.Vote.map((f) => ({ ...f })) },
    primaryType: VOTE_PRIMARY_TYPE,
    message,
  };
}

/** Which domain fields differ from ours (empty when equal). */
export function domainMismatch(expected: VoteDomain, given: VoteDomain): (keyof VoteDomain)[] {
  return (['name', 'version', 'chainId', 'salt'] as const).filter((key) =>
    key === 'salt' ? expected.salt.toLowerCase() !== given.salt.toLowerCase() : expected[key] !== given[key],
  );
}
