export * from './create-mailer.ts';
