export * from './cohorts.ts';
export * from './engagement.ts';
export * from './money.ts';
export * from './subscriptions.ts';
