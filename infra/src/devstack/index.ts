export * from './ensure-chain.ts';
export * from './ensure-nats.ts';
export * from './ensure-postgres.ts';
export * from './ports.ts';
