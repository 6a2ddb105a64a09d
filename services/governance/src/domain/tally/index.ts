export { isqrt } from './isqrt.ts';
export { quorumReached, quorumRequired } from './quorum.ts';
export { splitByWeights } from './split-by-weights.ts';
export { type CountedVote, type TallyResult, tally, winners } from './tally.ts';
