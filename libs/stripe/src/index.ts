export * from './create-stripe-client.ts';
