export * from './chains-config.ts';
export * from './create-chain-clients.ts';
