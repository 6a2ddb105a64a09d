export * from '@coterie/testing/ports';
export * from './containers.ts';
export * from './ensure-chain.ts';
export * from './ensure-nats.ts';
export * from './ensure-postgres.ts';
