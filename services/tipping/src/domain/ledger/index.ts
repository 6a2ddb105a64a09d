export * from './accounts.ts';
export * from './assets.ts';
export * from './ledger.ts';
export * from './tip-postings.ts';
