export * from '@coterie/testing/ports';
export * from './ensure-chain.ts';
export * from './ensure-nats.ts';
export * from './ensure-postgres.ts';
