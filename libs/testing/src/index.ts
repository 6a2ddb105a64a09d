export * from './eventually.ts';
export * from './infra.ts';
export * from './namespace.ts';
export * from './ports.ts';
export * from './smtp-inbox.ts';
