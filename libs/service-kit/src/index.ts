export * from './run-main.ts';
export * from './run-service-main.ts';
export * from './service-runtime.ts';
