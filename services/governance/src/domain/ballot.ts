import type { ProposalType } from '@coterie/contracts';
import { ChoiceInvalidError } from './errors.ts';

/** The largest weight one choice may get in a weighted or quadratic vote. */
export const MAX_WEIGHT = 1_000_000_000;

/**
 * What a voter chose, validated against the proposal. Choice numbers are 1-based (as in Snapshot):
 * `choices[0]` is choice 1.
 */
export type Ballot =
  | { kind: 'single'; choice: number }
  /** Sorted, unique, non-empty. */
  | { kind: 'approval'; choices: number[] }
  /** Sorted by choice; every weight > 0; at least one entry. */
  | { kind: 'weights'; weights: [choice: number, weight: bigint][] };

/**
 * Validates a choice value (already JSON-decoded) for a proposal of `type` with `choiceCount`
 * choices: a number (single-choice), an array of numbers (approval), or an object mapping choice
 * numbers to non-negative integer weights, at least one positive (weighted, quadratic; zero weights
 * are dropped).
 *
 * @throws {ChoiceInvalidError}
 */
export function parseBallot(type: ProposalType, choiceCount: number, value: unknown): Ballot {
  const inRange = (n: unknown): n is number =>
    Number.isInteger(n) && (n as number) >= 1 && (n as number) <= choiceCount;
  const range = `a choice number from 1 to ${choiceCount}`;
  switch (type) {
    case 'single-choice': {
      if (!inRange(value)) throw new ChoiceInvalidError(`A single-choice vote is ${range}.`);
      return { kind: 'single', choice: value };
    }
    case 'approval': {
      if (!Array.isArray(value) || value.length === 0 || !value.every(inRange)) {
        throw new ChoiceInvalidError(`An approval vote is a non-empty array of ${range}.`);
      }
      const choices = [...new Set(value as number[])].sort((a, b) => a - b);
      if (choices.length !== value.length)
        throw new ChoiceInvalidError('An approval vote names each choice once.');
      return { kind: 'approval', choices };
    }
    case 'weighted':
    case 'quadratic': {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw new ChoiceInvalidError(
          `A ${type} vote maps choice numbers to integer weights, e.g. {"1": 2, "3": 1}.`,
        );
      }
      const weights: [number, bigint][] = [];
      for (const [key, weight] of Object.entries(value)) {
        const choice = /^[1-9][0-9]*$/.test(key) ? Number(key) : Number.NaN;
        if (!inRange(choice)) throw new ChoiceInvalidError(`"${key}" is not ${range}.`);
        if (!Number.isInteger(weight) || (weight as number) < 0 || (weight as number) > MAX_WEIGHT) {
          throw new ChoiceInvalidError(`Weights are integers from 0 to ${MAX_WEIGHT}.`);
        }
        if ((weight as number) > 0) weights.push([choice, BigInt(weight as number)]);
      }
      if (weights.length === 0) throw new ChoiceInvalidError('At least one weight must be positive.');
      weights.sort((a, b) => a[0] - b[0]);
      return { kind: 'weights', weights };
    }
  }
}

/** Decodes the JSON text of a signed `choice` and validates it. @throws {ChoiceInvalidError} */
export function parseSignedChoice(type: ProposalType, choiceCount: number, text: string): Ballot {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ChoiceInvalidError('The choice is not valid JSON.');
  }
  return parseBallot(type, choiceCount, value);
}

/** The canonical JSON text of a ballot, as `voteTypedData` puts it in the message to sign. */
export function encodeBallot(ballot: Ballot): string {
  switch (ballot.kind) {
    case 'single':
      return String(ballot.choice);
    case 'approval':
      return JSON.stringify(ballot.choices);
    case 'weights':
      // Integer-like keys keep ascending order in JSON.stringify, which is the order we sorted to.
      return JSON.stringify(Object.fromEntries(ballot.weights.map(([c, w]) => [String(c), Number(w)])));
  }
}
