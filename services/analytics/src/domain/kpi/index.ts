export * from './cohorts.ts';
export * from './csv.ts';
export * from './engagement.ts';
export * from './money.ts';
export * from './series.ts';
export * from './spend.ts';
export * from './subscriptions.ts';
