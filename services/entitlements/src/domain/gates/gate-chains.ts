import type { Gate } from '@coterie/contracts';

/** Every chain a gate reads from, in first-seen order (for validating a gate against `CHAINS`). */
export function gateChains(gate: Gate): number[] {
  const chains = new Set<number>();
  const stack: Gate[] = [gate];
  while (stack.length > 0) {
    const node = stack.pop() as Gate;
    if ('any' in node) stack.push(...[...node.any].reverse());
    else if ('all' in node) stack.push(...[...node.all].reverse());
    else if ('not' in node) stack.push(node.not);
    else if ('chainId' in node) chains.add(node.chainId);
  }
  return [...chains];
}
