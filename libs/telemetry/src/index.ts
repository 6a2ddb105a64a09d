export * from './metrics.ts';
export * from './propagation.ts';
export * from './start-telemetry.ts';
export * from './with-span.ts';
