export * from './create-logger.ts';
export * from './line-batcher.ts';
