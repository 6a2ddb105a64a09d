import type { Logger } from '@coterie/logger';

export interface Stoppable {
  stop(): Promise<void>;
}

/**
 * Process plumbing for `main.ts`: start, then stop gracefully on SIGTERM/SIGINT (a second
 * signal or a stuck shutdown exits anyway), and exit non-zero if start-up fails.
 */
export async function runMain(
  start: () => Promise<Stoppable>,
  logger: Logger,
  graceMs = 15_000,
): Promise<void> {
  let app: Stoppable;
  try {
    app = await start();
  } catch (error) {
    logger.fatal({ err: error }, 'failed to start');
    process.exit(1);
  }
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    logger.info({ signal }, 'stopping');
    setTimeout(() => {
      logger.error('graceful stop took too long; exiting');
      process.exit(1);
    }, graceMs).unref();
    app.stop().then(
      () => process.exit(0),
      (error) => {
        logger.error({ err: error }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}
