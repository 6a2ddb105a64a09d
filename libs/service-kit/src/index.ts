export * from './run-main.ts';
export * from './service-runtime.ts';
