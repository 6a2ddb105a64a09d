import type { Gate } from '@coterie/contracts';

/**
 * The contracts whose transfers can change a membership: chainId → token (lower-case) → the
 * communities with a tier gated on it. Leaves under a `not` count too (receiving can close a
 * gate). Native balances emit no logs: the periodic re-verification covers them.
 */
export function watchedTokens(
  gates: readonly { communityId: string; gate: Gate }[],
): Map<number, Map<string, Set<string>>> {
  const out = new Map<number, Map<string, Set<string>>>();
  for (const { communityId, gate } of gates) {
    const stack: Gate[] = [gate];
    while (stack.length > 0) {
      const node = stack.pop() as Gate;
      if ('any' in node) stack.push(...node.any);
      else if ('all' in node) stack.push(...node.all);
      else if ('not' in node) stack.push(node.not);
      else if (node.type === 'erc20' || node.type === 'erc721' || node.type === 'erc1155') {
        let tokens = out.get(node.chainId);
        if (!tokens) {
          tokens = new Map();
          out.set(node.chainId, tokens);
        }
        const token = node.token.toLowerCase();
        let communities = tokens.get(token);
        if (!communities) {
          communities = new Set();
          tokens.set(token, communities);
        }
        communities.add(communityId);
      }
    }
  }
  return out;
}
