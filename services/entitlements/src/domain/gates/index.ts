export * from './checksum-gate.ts';
export * from './evaluate-gate.ts';
export * from './facts.ts';
export * from './gate-chains.ts';
export * from './highest-tier.ts';
export * from './required-reads.ts';
export * from './watched-tokens.ts';
