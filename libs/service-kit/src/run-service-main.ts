import { loadConfigOrExit } from '@coterie/config';
import { createLogger, type Logger } from '@coterie/logger';
import { startTelemetry } from '@coterie/telemetry';
import type { z } from 'zod';
import { runMain } from './run-main.ts';

type ProcessEnvConfig = { LOG_LEVEL: string; OTEL_EXPORTER_OTLP_ENDPOINT?: string | undefined };

export interface ServiceMainOptions<TSchema extends z.ZodType<ProcessEnvConfig>> {
  /** `identity`, `gateway`, …: the logger's name and `coterie-<name>` in traces. */
  name: string;
  version: string;
  configSchema: TSchema;
  createApp(
    config: z.infer<TSchema>,
    overrides: { logger: Logger },
  ): { start(): Promise<unknown>; stop(): Promise<void> };
}

/**
 * Everything a service's `main.ts` does: configuration from the environment (exit on a bad
 * key), telemetry, the logger, start, and a graceful stop on SIGTERM/SIGINT.
 */
export async function runServiceMain<TSchema extends z.ZodType<ProcessEnvConfig>>(
  options: ServiceMainOptions<TSchema>,
): Promise<void> {
  const config = loadConfigOrExit(options.configSchema);
  const telemetry = startTelemetry({
    serviceName: `coterie-${options.name}`,
    serviceVersion: options.version,
    ...(config.OTEL_EXPORTER_OTLP_ENDPOINT ? { otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT } : {}),
  });
  const logger = createLogger({ name: options.name, level: config.LOG_LEVEL });
  await runMain(async () => {
    const app = options.createApp(config, { logger });
    await app.start();
    return {
      stop: async () => {
        await app.stop();
        await telemetry.shutdown();
      },
    };
  }, logger);
}
