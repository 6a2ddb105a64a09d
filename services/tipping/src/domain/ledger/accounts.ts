/** Ledger accounts are strings; these build the only shapes the service uses. */
export const accounts = {
  member: (memberId: string) => `member:${memberId}`,
  treasury: (communityId: string) => `community:${communityId}:treasury`,
  platformFees: () => 'platform:fees',
  stripe: () => 'external:stripe',
  chain: (chainId: number) => `external:chain:${chainId}`,
} as const;

/** The account a tip line credits: a member, or the community (`creator`) treasury. */
export function recipientAccount(communityId: string, to: string): string {
  return to === 'creator' ? accounts.treasury(communityId) : accounts.member(to);
}
