export * from './common.ts';
export * from './contexts.ts';
export * from './define.ts';
export * from './entitlements.ts';
export * from './envelope.ts';
export * from './errors.ts';
export * from './health.ts';
export * from './identity.ts';
