/** Every contract the package builds; each lives in `contracts/<name>.sol`. */
export const contractNames = [
  'CommunityToken',
  'MembershipPass',
  'MemberBadge',
  'SmartWallet',
  'Multicall3',
] as const;

export type ContractName = (typeof contractNames)[number];

/**
 * Multicall3 is never deployed by a transaction: the dev chain plants its runtime code with
 * `hardhat_setCode`, so only its deployed bytecode is worth shipping.
 */
export const runtimeOnlyContracts: ReadonlySet<ContractName> = new Set(['Multicall3']);
