import type { ProposalType } from '@coterie/contracts';
import type { Ballot } from '../ballot.ts';
import { isqrt } from './isqrt.ts';
import { splitByWeights } from './split-by-weights.ts';

export interface CountedVote {
  ballot: Ballot;
  power: bigint;
}

export interface TallyResult {
  unit: 'power' | 'sqrt-power';
  /** `scores[i]` is the score of choice number i + 1. */
  scores: bigint[];
  totalPower: bigint;
  votes: number;
}

/**
 * The result of a proposal from its votes, in exact integers:
 * - single-choice: the voter's power to the chosen choice;
 * - approval: the full power to every approved choice;
 * - weighted: the power split by the weights (largest remainder: parts sum to the power);
 * - quadratic: ⌊√power⌋ (integer square root, rounded down) split by the weights the same way,
 *   so each voter contributes exactly ⌊√power⌋ in total.
 * `totalPower` is the plain sum of the voters' power, for every type (the quorum uses it).
 */
export function tally(type: ProposalType, choiceCount: number, votes: readonly CountedVote[]): TallyResult {
  const scores = Array.from({ length: choiceCount }, () => 0n);
  const add = (choice: number, amount: bigint) => {
    scores[choice - 1] = (scores[choice - 1] as bigint) + amount;
  };
  let totalPower = 0n;
  for (const { ballot, power } of votes) {
    totalPower += power;
    switch (ballot.kind) {
      case 'single':
        add(ballot.choice, power);
        break;
      case 'approval':
        for (const choice of ballot.choices) add(choice, power);
        break;
      case 'weights': {
        const amount = type === 'quadratic' ? isqrt(power) : power;
        const parts = splitByWeights(
          amount,
          ballot.weights.map(([, w]) => w),
        );
        for (const [i, [choice]] of ballot.weights.entries()) add(choice, parts[i] as bigint);
        break;
      }
    }
  }
  return { unit: type === 'quadratic' ? 'sqrt-power' : 'power', scores, totalPower, votes: votes.length };
}

/** 1-based numbers of the choices with the top score; none when nobody scored. */
export function winners(scores: readonly bigint[]): number[] {
  // biome-ignore lint/complexity/useMathMinMax: Math.max does not take bigints.
  const top = scores.reduce((m, s) => (s > m ? s : m), 0n);
  if (top === 0n) return [];
  return scores.flatMap((s, i) => (s === top ? [i + 1] : []));
}
