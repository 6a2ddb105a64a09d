import { fileURLToPath } from 'node:url';
import type { MigrationSource } from '@coterie/db';

/** The outbox and inbox tables every service's schema carries. */
export const messagingMigrations: MigrationSource = {
  component: 'messaging',
  dir: fileURLToPath(new URL('./migrations', import.meta.url)),
};
