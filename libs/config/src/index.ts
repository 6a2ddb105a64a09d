export * from './common.ts';
export * from './load-config.ts';
