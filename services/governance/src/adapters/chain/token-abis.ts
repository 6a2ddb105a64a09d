import { parseAbi } from 'viem';

/** The few token functions the strategies call (any ERC-20 / ERC20Votes / ERC-721 implements them). */
export const tokenReadAbi = parseAbi([
  'function balanceOf(address account) view returns (uint256)',
  'function totalSupply() view returns (uint256)',
  'function getPastVotes(address account, uint256 timepoint) view returns (uint256)',
  'function getPastTotalSupply(uint256 timepoint) view returns (uint256)',
]);
